/**
 * Moving in: a community's SQLite archive copied into the PostgreSQL registry, table by table with
 * its ids, in one transaction, and the archive's files copied into the target's folder through the
 * file journal (written beside, recorded, renamed into place), each checked against its SHA-256.
 * Refused before anything is written when the source is not sound or the target holds other data;
 * a second run after a complete one finds the same contents and changes nothing. After the copy
 * every table's rows, every file, every history chain and the numbering counters are checked.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { sha256File } from '../adapters/files/hash.js';
import type { Workspace } from '../adapters/files/workspace.js';
import { fail } from '../domain/problems.js';
import { NOT_MOVED, REGISTRY_TABLES, type CopyProgress, type RawRow, type RegistryReader, type RegistryTable, type RegistryWriter } from '../ports/registry-tables.js';
import type { Store } from '../ports/store.js';
import { FileBatch } from './files.js';
import type { Verification } from './records.js';

export interface MigrationSource {
  paths: Workspace;
  tables: RegistryReader;
  /** The file journal's notes still open (a process at work on the archive). */
  openNotes(): Promise<number>;
  verify(): Promise<Verification>;
}

export interface MigrationTarget {
  paths: Workspace;
  tables: RegistryWriter;
  /** The target's store and this process, for the file journal. */
  store: Store;
  owner: string;
  verify(): Promise<Verification>;
}

export interface TableCheck {
  table: string;
  source: number;
  target: number;
  /** Same rows, value for value. */
  same: boolean;
}

export interface CounterCheck {
  name: string;
  year: number;
  source: number | null;
  target: number | null;
}

export interface MigrationReport {
  /** moved: the registry was copied now; already: the target held exactly this archive, nothing in it changed. */
  outcome: 'moved' | 'already';
  tables: TableCheck[];
  files: { total: number; copied: number; inPlace: number; sameFolder: boolean };
  counters: CounterCheck[];
  verification: Verification;
  ok: boolean;
}

interface TableState {
  table: RegistryTable;
  columns: string[];
  count: number;
  digest: string;
}

/** One table read whole: its count and a fingerprint of its rows in key order, each value as the store gives it. */
async function digestOf(reader: RegistryReader, table: RegistryTable, columns: string[]): Promise<TableState> {
  const hash = createHash('sha256');
  let count = 0;
  for await (const batch of reader.rows(table, columns)) {
    for (const row of batch) hash.update(`${rowText(row, columns)}\n`);
    count += batch.length;
  }
  return { table, columns, count, digest: hash.digest('hex') };
}

function rowText(row: RawRow, columns: readonly string[]): string {
  return JSON.stringify(columns.map((c) => row[c] ?? null));
}

export class MigrationService {
  constructor(private readonly source: MigrationSource, private readonly target: MigrationTarget) {}

  async run(progress: CopyProgress = {}): Promise<MigrationReport> {
    const { source, target } = this;
    if ((await source.openNotes()) > 0) fail({ code: 'migrate-source-busy', root: source.paths.root });
    const sourceCheck = await source.verify();
    if (!sourceCheck.ok) fail({ code: 'migrate-source-not-clean', root: source.paths.root, problems: sourceCheck.problems.length + sourceCheck.fileProblems.length });

    const columns = await this.sameColumns();
    const before = await Promise.all(REGISTRY_TABLES.map((t) => digestOf(source.tables, t, columns.get(t.name)!)));
    const targetCounts = await Promise.all(REGISTRY_TABLES.map((t) => target.tables.count(t)));
    const empty = targetCounts.every((n) => n === 0);
    if (!empty) await this.sameAsSource(before);

    const files = await this.filesToCopy();
    const batch = new FileBatch({ store: target.store, paths: target.paths, owner: target.owner });
    await batch.writing(async () => {
      for (const f of files.missing) await batch.copy(source.paths.absolute(f.path), f.path, f.sha256);
    });
    await batch.commit(async () => {
      if (empty) await target.tables.copyIn(before.map((s) => ({ table: s.table, columns: s.columns, rows: source.tables.rows(s.table, s.columns) })), progress);
    });

    const after = await Promise.all(REGISTRY_TABLES.map((t) => digestOf(target.tables, t, columns.get(t.name)!)));
    const tables = before.map((s, i): TableCheck => ({ table: s.table.name, source: s.count, target: after[i]!.count, same: s.digest === after[i]!.digest && s.count === after[i]!.count }));
    const counters = await this.counters();
    const verification = await target.verify();
    const ok = tables.every((t) => t.same) && counters.every((c) => c.source === c.target) && verification.ok;
    return {
      outcome: empty ? 'moved' : 'already',
      tables,
      files: { total: files.total, copied: files.missing.length, inPlace: files.total - files.missing.length, sameFolder: files.sameFolder },
      counters,
      verification,
      ok,
    };
  }

  /** The columns of each table moved, the same on both sides; a table or column only one side has stops the move. */
  private async sameColumns(): Promise<Map<string, string[]>> {
    const [from, to] = await Promise.all([this.source.tables.tableColumns(), this.target.tables.tableColumns()]);
    const out = new Map<string, string[]>();
    for (const t of REGISTRY_TABLES) {
      const a = from.get(t.name);
      const b = to.get(t.name);
      if (!a || !b || a.length !== b.length || a.some((c) => !b.includes(c))) fail({ code: 'migrate-schema-differs', table: t.name });
      out.set(t.name, [...a].sort());
    }
    const known = new Set([...REGISTRY_TABLES.map((t) => t.name), ...NOT_MOVED]);
    for (const name of from.keys()) if (!known.has(name)) fail({ code: 'migrate-schema-differs', table: name });
    return out;
  }

  /** The target holds data: it must be this archive exactly (a run before, completed); cases of the same number that differ are named. */
  private async sameAsSource(before: TableState[]): Promise<void> {
    const differing: TableState[] = [];
    for (const s of before) {
      const t = await digestOf(this.target.tables, s.table, s.columns);
      if (t.digest !== s.digest || t.count !== s.count) differing.push(s);
    }
    if (differing.length === 0) return;
    const cases = before.find((s) => s.table.name === 'cases')!;
    const byNumber = async (reader: RegistryReader) => {
      const out = new Map<string, string>();
      for await (const batch of reader.rows(cases.table, cases.columns)) for (const row of batch) out.set(String(row.number), rowText(row, cases.columns));
      return out;
    };
    const [mine, theirs] = [await byNumber(this.source.tables), await byNumber(this.target.tables)];
    const conflicting = [...mine].filter(([number, row]) => theirs.has(number) && theirs.get(number) !== row).map(([number]) => number);
    if (conflicting.length) fail({ code: 'migrate-conflict', numbers: conflicting });
    fail({ code: 'migrate-target-not-empty', table: differing[0]!.table.name });
  }

  /**
   * Every file the source registry records (documents, volumes): those the target's folder lacks,
   * to copy. A file already there must have the recorded fingerprint; the same folder on both
   * sides (a workspace moving its own registry) has every file in place already.
   */
  private async filesToCopy(): Promise<{ total: number; missing: { path: string; sha256: string }[]; sameFolder: boolean }> {
    const recorded: { path: string; sha256: string }[] = [];
    for (const name of ['documents', 'volumes']) {
      const table = REGISTRY_TABLES.find((t) => t.name === name)!;
      for await (const batch of this.source.tables.rows(table, ['id', 'path', 'sha256'])) for (const r of batch) recorded.push({ path: String(r.path), sha256: String(r.sha256) });
    }
    const sameFolder = path.resolve(this.source.paths.root) === path.resolve(this.target.paths.root);
    if (sameFolder) return { total: recorded.length, missing: [], sameFolder };
    const missing: { path: string; sha256: string }[] = [];
    for (const f of recorded) {
      const there = this.target.paths.absolute(f.path);
      try {
        await fs.stat(there);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        missing.push(f);
        continue;
      }
      if ((await sha256File(there)) !== f.sha256) fail({ code: 'migrate-file-conflict', path: f.path });
    }
    return { total: recorded.length, missing, sameFolder };
  }

  private async counters(): Promise<CounterCheck[]> {
    const table = REGISTRY_TABLES.find((t) => t.name === 'counters')!;
    const read = async (reader: RegistryReader) => {
      const out = new Map<string, number>();
      for await (const batch of reader.rows(table, ['name', 'year', 'next'])) for (const r of batch) out.set(`${r.name}\u0000${r.year}`, Number(r.next));
      return out;
    };
    const [from, to] = [await read(this.source.tables), await read(this.target.tables)];
    return [...new Set([...from.keys(), ...to.keys()])].sort().map((key) => {
      const [name, year] = key.split('\u0000') as [string, string];
      return { name, year: Number(year), source: from.get(key) ?? null, target: to.get(key) ?? null };
    });
  }
}
