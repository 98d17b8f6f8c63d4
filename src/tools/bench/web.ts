/**
 * npm run bench:web — the web pages under load: a workspace of BENCH_CASES registered cases
 * (default 100,000, most of them closed, as after a few years), BENCH_CLIENTS signed-in clients
 * (default 20) asking at once for the case list, a search, a case page and the dashboard, BENCH_REQUESTS
 * requests each. Server time is Fastify's own measure of each request (reply.elapsedTime); medians and
 * p95. Then the size of a case list page, and the first page of a 10-page scan shown cold and cached.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliEntry, packageRoot, workspaceAt } from '../../adapters/files/workspace.js';
import { reencode } from '../../adapters/sharp/raster.js';
import type { SqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { openOffice } from '../../app.js';
import type { NewPetition } from '../../domain/case.js';
import { extractFields } from '../../domain/extract/letter-fields.js';
import { extractRules } from '../../domain/settings.js';
import { EMPTY_WORKFLOW } from '../../domain/workflow.js';
import { buildWebServer } from '../../interfaces/web/server.js';
import { initWorkspace } from '../../services/workspace.js';
import { letterText, MATTERS, person, pick, PLACES } from './generated-cases.js';

const PASSWORD = 'bench-password';

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_CASES ?? 100_000);
  const clients = Number(process.env.BENCH_CLIENTS ?? 20);
  const perClient = Number(process.env.BENCH_REQUESTS ?? 25);
  const root = mkdtempSync(path.join(os.tmpdir(), 'xinfang-bench-web-'));
  await initWorkspace(root);
  const paths = workspaceAt(root);

  // A letter of ten pages (a folder of page scans), taken in by the real intake first.
  const folder = path.join(paths.inbox, '十页来信');
  mkdirSync(folder);
  for (let i = 0; i < 10; i++) writeFileSync(path.join(folder, `${String(i + 1).padStart(2, '0')}.jpg`), await reencode(path.join(packageRoot(), 'test', 'fixtures', 'samples', 'scans', 'S01.jpg'), 'jpeg', i, 300));
  execFileSync(process.execPath, [cliEntry(), '--root', root, 'ingest'], { stdio: 'ignore' });

  const office = await openOffice({ root, background: 'none' });
  const build = performance.now();
  const rules = extractRules(office.settings);
  const store = office.store as SqliteStore;
  for (let start = 1; start < count; start += 5_000) {
    const batch: NewPetition[] = [];
    for (let i = start; i < Math.min(count, start + 5_000); i++) {
      const text = letterText(i);
      const extraction = extractFields(text, rules);
      batch.push({ channel: i % 9 === 0 ? '来访' : '来信', receivedAt: new Date(Date.UTC(2026, 0, 1) + i * 5 * 60_000), year: 2026, text, extraction, flags: extraction.flags, pages: [], ocrEngine: 'bench', documents: [] });
    }
    await store.registerMany(batch, (year, number) => `archive/${year}/${number}`);
  }
  // Most cases of a few years are closed; the last thousand are open, a tenth of them instructed to the handler.
  const all = await office.store.listCases();
  const closed = all.slice(1, Math.max(1, all.length - 1_000));
  for (let i = 0; i < closed.length; i += 5_000) {
    await store.applyMany(closed.slice(i, i + 5_000).map((c) => ({ caseId: c.id, from: ['registered'], next: { status: 'closed', workflow: { ...EMPTY_WORKFLOW, closedAt: c.receivedAt } }, entry: { at: c.receivedAt, actor: 'bench', action: 'closed', detail: '基准测试用案件' } })));
  }
  await store.applyMany(
    all.slice(-1_000).filter((_, i) => i % 10 === 0).map((c) => ({
      caseId: c.id,
      from: ['registered'],
      next: { status: 'instructed', workflow: { ...EMPTY_WORKFLOW, instruction: { leader: '张主任', text: '请处理', handler: '李文', at: c.receivedAt, due: null } } },
      entry: { at: c.receivedAt, actor: 'bench', action: 'instructed', detail: '基准测试用批示' },
    })),
  );
  const buildSeconds = (performance.now() - build) / 1000;
  // One clerk per client, as in an office (one name signing in twenty times at once is held back by the throttle).
  for (let k = 0; k < clients; k++) await office.users.add({ name: 'bench' }, { name: `登记员${k + 1}`, role: '登记员', password: PASSWORD });

  const app = await buildWebServer(office);
  const times = new Map<string, number[]>();
  app.addHook('onResponse', async (request, reply) => {
    const kind = String((request.routeOptions.config as { kind?: string } | undefined)?.kind ?? routeKind(request.url));
    if (!times.has(kind)) times.set(kind, []);
    times.get(kind)!.push(reply.elapsedTime);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  const cookies = await Promise.all(Array.from({ length: clients }, (_, k) => signIn(base, `登记员${k + 1}`)));
  times.clear();
  const last = all[all.length - 1]!;
  const urls = (i: number) => [
    `/cases?page=${(i % 50) + 1}`,
    `/cases?q=${encodeURIComponent(i % 2 ? person(i * 37).name : pick(PLACES, i))}`,
    `/cases/2026-${1 + ((i * 7919) % (last.seq - 1))}`,
    '/',
  ];
  const started = performance.now();
  await Promise.all(
    cookies.map(async (cookie, k) => {
      for (let i = 0; i < perClient; i++) {
        const url = urls(k * perClient + i)[i % 4]!;
        const r = await fetch(`${base}${url}`, { headers: { cookie } });
        if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
        await r.arrayBuffer();
      }
    }),
  );
  const wall = (performance.now() - started) / 1000;
  const listBytes = (await (await fetch(`${base}/cases`, { headers: { cookie: cookies[0]! } })).arrayBuffer()).byteLength;
  const scanCase = (await office.cases.find('1')).number;
  const timed = async (url: string) => {
    const t = performance.now();
    const r = await fetch(`${base}${url}`, { headers: { cookie: cookies[0]! } });
    await r.arrayBuffer();
    return { ms: performance.now() - t, status: r.status };
  };
  const casePage = await timed('/cases/2026-1');
  const cold = await timed('/cases/2026-1/pages/1?w=960');
  const warm = await timed('/cases/2026-1/pages/1?w=960');
  const alertLines = await measureAlertLatency(office, base);
  const records = await measureRecordsPages(office, base);
  await app.close();
  await office.close();
  if (!process.env.BENCH_KEEP) rmSync(root, { recursive: true, force: true });

  const stats = (kind: string) => {
    const v = [...(times.get(kind) ?? [])].sort((a, b) => a - b);
    const at = (q: number) => v[Math.min(v.length - 1, Math.floor(q * v.length))] ?? NaN;
    return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms (${v.length} requests)`;
  };
  const lines = [
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? ''}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`,
    `registry: ${count} cases (1,000 open), built in ${buildSeconds.toFixed(0)} s; ${clients} clients at once, ${clients * perClient} requests in ${wall.toFixed(1)} s`,
    `case list:  ${stats('list')} (target p95 < 150 ms)`,
    `search:     ${stats('search')} (target p95 < 150 ms)`,
    `case page:  ${stats('case')} (target p95 < 150 ms)`,
    `dashboard:  ${stats('dashboard')} (target p95 < 200 ms)`,
    `case list page: ${(listBytes / 1024).toFixed(0)} KB (target < 200 KB)`,
    ...alertLines,
    `10-page scan (${scanCase}): case page ${casePage.ms.toFixed(0)} ms, first page image ${cold.ms.toFixed(0)} ms cold, ${warm.ms.toFixed(0)} ms cached (target < 1 s)`,
    ...records,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * The time from an urgent case being committed to its alert being shown to a signed-in leader:
 * a client polls the banner endpoint every second, as the page does (hx-trigger "every 1s", with
 * the mark it was last given), while cases with an urgent word are registered through the service
 * at random moments. Measured from just before the registration is called (so the commit itself is
 * counted) to the poll response that carries the case. The registry first gets a few years' worth
 * of alerts, read long ago, and the open cases' deadline alerts.
 */
async function measureAlertLatency(office: Awaited<ReturnType<typeof openOffice>>, base: string): Promise<string[]> {
  const samples = Number(process.env.BENCH_ALERT_SAMPLES ?? 30);
  const leader = { name: '张主任', role: '领导' as const };
  await office.users.add({ name: 'bench' }, { name: leader.name, role: leader.role, password: PASSWORD });
  const old = (await office.store.queryCases({ sort: 'number-asc', limit: 2_000, offset: 0 })).cases;
  const raised = await office.store.addAlerts(old.map((c) => ({ key: `${c.id}:urgent::`, kind: 'urgent', caseId: c.id, deadline: null, dueDate: null, recipients: [{ role: '领导' }], createdAt: c.receivedAt })));
  for (const a of raised) await office.store.markAlertRead(a.id, leader.name, new Date(a.createdAt));
  const deadlineAlerts = (await office.alerts.check()).length;

  const cookie = await signIn(base, leader.name);

  let mark = '';
  // Each banner the client was given, and when it arrived.
  const shown: { at: number; body: string }[] = [];
  const serverMs = { unchanged: [] as number[], changed: [] as number[] };
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const t = performance.now();
      const r = await fetch(`${base}/alerts/banner${mark ? `?seen=${encodeURIComponent(mark)}` : ''}`, { headers: { cookie, 'hx-request': 'true' } });
      const body = await r.text();
      if (r.status === 200) {
        mark = /\?seen=([^"]+)"/.exec(body)?.[1] ?? '';
        shown.push({ at: performance.now(), body });
        serverMs.changed.push(performance.now() - t);
      } else if (r.status === 204) serverMs.unchanged.push(performance.now() - t);
      else throw new Error(`alert banner: ${r.status}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  const clerk = { name: 'bench', role: '登记员' as const };
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    // A random moment in the poll's second, so every phase of it is sampled.
    await new Promise((resolve) => setTimeout(resolve, 1_000 + Math.random() * 1_000));
    const started = performance.now();
    const c = await office.cases.register(clerk, { channel: '来访', matter: `${pick(MATTERS, i)}再不解决，我们就到区政府门口静坐。（第 ${i + 1} 次）`, fields: { name: person(i).name } });
    // The registration also makes the blank instruction sheet after raising the alert: the banner may arrive before it returns.
    const seen = () => shown.find((b) => b.at >= started && b.body.includes(c.number));
    while (!seen()) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (performance.now() - started > 10_000) throw new Error(`alert of ${c.number} not shown after 10 s`);
    }
    latencies.push(seen()!.at - started);
    await office.alerts.markRead(leader, (await office.alerts.list(leader, { unreadOnly: true, limit: 1 })).alerts[0]!.id);
  }
  polling = false;
  await poller;
  await office.alerts.idle();
  const stat = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
    return `median ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms`;
  };
  return [
    `alert shown to a signed-in leader after an urgent case is committed: ${stat(latencies)} (${samples} cases, the page polls every 1 s; limit 2 s)`,
    `alert banner endpoint: unchanged (204) ${stat(serverMs.unchanged)}, changed ${stat(serverMs.changed)} (${raised.length} old alerts read, ${deadlineAlerts} deadline alerts raised)`,
  ];
}

function routeKind(url: string): string {
  if (url === '/') return 'dashboard';
  if (url.startsWith('/cases?q=')) return 'search';
  if (url.startsWith('/cases?')) return 'list';
  if (/^\/cases\/[^/]+$/.test(url)) return 'case';
  return 'other';
}

await main();

/**
 * The records pages, one archivist asking again and again (time at the client, the page read
 * whole): the register book of a month (target 300 ms) and the year's statistics (target 1 s).
 */
async function measureRecordsPages(office: Awaited<ReturnType<typeof openOffice>>, base: string): Promise<string[]> {
  const repeats = Number(process.env.BENCH_RECORDS_REQUESTS ?? 20);
  await office.users.add({ name: 'bench' }, { name: '档案员1', role: '档案员', password: PASSWORD });
  const cookie = await signIn(base, '档案员1');
  const once = async (url: string) => {
    const t = performance.now();
    const r = await fetch(`${base}${url}`, { headers: { cookie } });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
    return performance.now() - t;
  };
  const measure = async (url: string) => {
    const cold = await once(url);
    const v: number[] = [];
    for (let i = 0; i < repeats; i++) v.push(await once(url));
    v.sort((a, b) => a - b);
    const at = (q: number) => v[Math.min(v.length - 1, Math.floor(q * v.length))]!;
    return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms (${v.length} requests; first ${cold.toFixed(0)} ms)`;
  };
  const book = await measure('/book?year=2026&month=6');
  const stats = await measure('/stats?kind=year&year=2026');
  // The charts the statistics page shows, drawn once per figures and then served from the cache.
  const chart = await measure('/stats/charts/0.svg?kind=year&year=2026');
  return [`register book, a month: ${book} (target p95 < 300 ms)`, `statistics, the year: ${stats} (target p95 < 1 s)`, `statistics chart:      ${chart}`];
}

/** Signs a person in through the sign-in form, as a browser would; the session cookie. */
async function signIn(base: string, username: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  const first = page.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(await page.text())![1]!;
  const signed = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { cookie: first, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username, password: PASSWORD, _csrf: csrf }) });
  return signed.headers.get('set-cookie')!.split(';')[0]!;
}
