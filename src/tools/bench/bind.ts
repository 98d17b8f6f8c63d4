/**
 * npm run bench:bind — binds BENCH_CASES closed cases (default 1,000) with `xinfang bind --year`
 * in a fresh process and prints its time, peak memory (VmHWM) and the bytes of a scanned page.
 *
 * The cases are made once: a real scan (test/fixtures/samples S01) is taken in by `xinfang ingest`
 * and walked through instruction, acceptance, reply and closing, which makes its documents; the
 * other cases are registered with hard links to the same files and the same workflow, so every
 * case binds a real scan and real generated documents.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initWorkspace } from '../../services/workspace.js';
import { cliEntry, packageRoot, workspaceAt } from '../../adapters/files/workspace.js';
import { openOffice } from '../../app.js';
import type { NewPetition } from '../../domain/case.js';
import { runWatchingMemory } from './measure.js';

const cli = cliEntry();

async function prepare(root: string, count: number): Promise<void> {
  await initWorkspace(root);
  const ws = workspaceAt(root);
  copyFileSync(path.join(packageRoot(), 'test', 'fixtures', 'samples', 'scans', 'S01.jpg'), path.join(ws.inbox, 'S01.jpg'));
  execFileSync(process.execPath, [cli, '--root', root, 'ingest'], { stdio: 'ignore' });
  let now = new Date();
  const office = await openOffice({ root, clock: () => now, background: 'none' });
  const store = office.store;
  try {
    const at = (day: string) => (now = new Date(`${day}T10:00:00+08:00`));
    const who = { name: 'bench' };
    const find = () => office.cases.find('1');
    at('2026-11-05');
    await office.workflow.instruct(who, await find(), { leader: '张主任', text: '请城建办协调处理', handler: '李文' });
    at('2026-11-06');
    await office.workflow.accept(who, await find());
    at('2026-11-20');
    await office.workflow.reply(who, await find(), { outcome: '予以支持', facts: '经协调，工棚已于11月18日拆除，人行道恢复通行。' });
    at('2026-11-21');
    await office.workflow.close(who, await find());
    const model = await find();
    {
      for (let i = 2; i <= count; i++) {
        const petition: NewPetition = {
          channel: '来信',
          receivedAt: new Date(Date.parse(model.receivedAt) + i * 60_000),
          year: model.year,
          text: model.ocrText,
          // A different petitioner each time, as in a real year.
          extraction: { fields: { ...model.fields, name: `居民${i}`, phone: `139${String(i).padStart(8, '0')}`, idNumber: null }, sources: model.sources, flags: [], urgentWords: [] },
          flags: [],
          pages: model.pages,
          ocrEngine: model.ocrEngine,
          documents: [],
        };
        const registered = await store.register(petition, (year, number) => ws.caseFolder(year, number));
        if (!registered.created) throw new Error('bench case registered twice');
        const row = registered.case;
        mkdirSync(ws.absolute(row.folder), { recursive: true });
        const documents = model.documents.map((d) => {
          const target = path.join(row.folder, path.basename(d.path));
          linkSync(ws.absolute(d.path), ws.absolute(target));
          return { ...d, path: target };
        });
        await store.applyStep(row.id, ['registered'], { status: 'closed', workflow: model.workflow }, { at: model.workflow.closedAt!, actor: 'bench', action: 'closed', detail: '基准测试用案件' }, documents);
      }
    }
  } finally {
    await office.close();
  }
}

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_CASES ?? 1000);
  const root = mkdtempSync(path.join(os.tmpdir(), 'xinfang-bench-bind-'));
  const prepStart = performance.now();
  await prepare(root, count);
  process.stderr.write(`prepared ${count} closed cases in ${((performance.now() - prepStart) / 1000).toFixed(0)} s\n`);
  const r = await runWatchingMemory([cli, '--root', root, '--json', 'bind', '--year', '2026']);
  if (r.code !== 0) throw new Error(`bind failed: ${r.stderr}`);
  const result = JSON.parse(r.stdout) as { bound: { pages: number; bytes: number; scanPages: number; scanBytes: number }[]; volumes: { pages: number; bytes: number }[] };
  const scanPages = result.bound.reduce((a, b) => a + b.scanPages, 0);
  const scanBytes = result.bound.reduce((a, b) => a + b.scanBytes, 0);
  const casePages = result.bound.reduce((a, b) => a + b.pages, 0);
  const caseBytes = result.bound.reduce((a, b) => a + b.bytes, 0);
  const lines = [
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`,
    `bind --year: ${result.bound.length} case volumes and ${result.volumes.length} shelf volumes in ${r.seconds.toFixed(1)} s (${((r.seconds / result.bound.length) * 1000).toFixed(0)} ms a case), peak ${r.peakMB} MB`,
    `case volumes: ${casePages} pages, ${(caseBytes / 1048576).toFixed(1)} MB, ${(caseBytes / casePages / 1024).toFixed(1)} KB a page on average`,
    `scanned pages: ${scanPages}, ${(scanBytes / scanPages / 1024).toFixed(1)} KB a page (grayscale JPEG; target ≤ 150 KB)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (!process.env.BENCH_KEEP) rmSync(root, { recursive: true, force: true });
}

await main();
