import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { MIGRATIONS } from '../../src/adapters/sqlite/schema.js';
import { folderFor, petition, STORE_OPTIONS } from '../contract/store-contract.js';

const tempRegistry = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'xinfang-reg-')), 'registry.sqlite');

describe('opening a new registry', () => {
  it('waits for another process writing to the new file before it is in WAL mode, instead of failing as "locked"', async () => {
    const file = tempRegistry();
    // Another process has created the file (not yet WAL) and holds its write lock for a moment.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import Database from 'better-sqlite3';
         const db = new Database(process.argv[1]);
         db.exec('CREATE TABLE early (x)'); db.exec('BEGIN IMMEDIATE'); db.exec('INSERT INTO early VALUES (1)');
         process.stdout.write('held\\n');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, 600);`,
        file,
      ],
      { cwd: path.resolve(import.meta.dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise((resolve) => holder.stdout!.once('data', resolve));
    const store = openSqliteStore(file, STORE_OPTIONS);
    try {
      expect(await store.listCases()).toEqual([]);
      const r = await store.register(petition('a'), folderFor);
      expect(r.created && r.case.seq).toBe(1);
    } finally {
      await store.close();
    }
    await new Promise((resolve) => holder.once('exit', resolve));
  });
});

describe('upgrading an archive made by an earlier version', () => {
  it('starts the counters after the numbers and references already given, and calls issued documents issued', async () => {
    const file = tempRegistry();
    // A registry as the version before counters left it: cases 1..3 of 2026, one bound as item 7, one issued letter.
    const db = new Database(file);
    for (const step of MIGRATIONS.slice(0, 5)) db.exec(step);
    db.pragma('user_version = 5');
    const insert = db.prepare(
      `INSERT INTO cases (year, seq, number, status, channel, received_at, folder, intake_state, history_count, archive_ref, archive_item, archive_retention)
       VALUES (2026, ?, ?, 'registered', '来信', '2026-11-03T02:00:00Z', ?, 'done', 0, ?, ?, ?)`,
    );
    for (const seq of [1, 2, 3]) insert.run(seq, `八宝信〔2026〕${seq}号`, `archive/2026/${seq}`, seq === 2 ? 'REF-7' : null, seq === 2 ? 7 : null, seq === 2 ? 'D30' : null);
    db.prepare(`INSERT INTO documents (case_id, role, path, sha256, pages, bytes, kind) VALUES (1, 'letter', 'archive/2026/1/受理告知书.pdf', 'x', 1, 1, '受理告知书')`).run();
    db.close();

    const store = openSqliteStore(file, STORE_OPTIONS);
    const r = await store.register(petition('new'), folderFor);
    expect(r.created && r.case.number).toBe('八宝信〔2026〕4号');
    const bound = await store.assignReference(3, 'D30', new Date(), (item) => `REF-${item}`);
    expect(bound.binding?.ref).toBe('REF-8');
    expect((await store.findCase('1'))!.documents.map((d) => d.role)).toEqual(['issued']);
    await store.close();
  });
});
