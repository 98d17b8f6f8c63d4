/**
 * npm run bench:district — a district on PostgreSQL (issue 18):
 * 1. statements and database milliseconds per registered letter: BENCH_LETTERS (default 200)
 *    generated petitions, each with its page and two documents, registered one by one through the
 *    store's register(), on PostgreSQL (a pool whose clients count and time every query,
 *    openCountingPool, used by no production path) and on SQLite (countSqliteStatements, the same for better-sqlite3);
 * 2. search median and p95 at BENCH_SEARCH_CASES cases (default 1,000,000) in one community's
 *    schema, filled in bulk: cases and their case_search rows inserted from arrays (unnest) in
 *    batches, the GIN index made after; the searchable text cut the way the adapter cuts it
 *    (domain bigrams, the adapter's squeezing), a sample checked against what the adapter's own
 *    index makes of the same case; then ~20 queries of 2–6 characters (hits and misses);
 * 3. pages per minute with 1 and 2 workers through the queue (src/tools/bench/district-queue.ts), with its overheads.
 * Prints a Markdown table. BENCH_PG names the server (default the local socket's postgres database).
 * The schemas are dropped at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../adapters/files/workspace.js';
import { openPostgresStore, PostgresStore } from '../../adapters/postgres/postgres-store.js';
import { openCountingPool, openPool } from '../../adapters/postgres/sql.js';
import { loadSettings } from '../../adapters/settings/settings-file.js';
import { openSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import type { Store } from '../../ports/store.js';
import { countSqliteStatements } from '../../adapters/sqlite/statement-counter.js';
import { formatCaseNumber } from '../../domain/case-number.js';
import type { NewPetition } from '../../domain/case.js';
import { bigrams } from '../../domain/extract/text.js';
import { extractFields } from '../../domain/extract/letter-fields.js';
import { searchableText } from '../../domain/search.js';
import { extractRules, registryOptions, type Settings } from '../../domain/settings.js';
import { letterText, person, pick, PLACES } from './generated-cases.js';

const SERVER = process.env.BENCH_PG ?? 'postgresql:///postgres?host=/var/run/postgresql';

interface Counter {
  statements: number;
  ms: number;
}

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

function petition(i: number, settings: Settings): NewPetition {
  const text = letterText(i);
  const extraction = extractFields(text, extractRules(settings));
  const lines = text.split('\n').map((t, n) => ({ text: t, confidence: 0.93, box: [80, 120 + n * 60, 1600, 50] as [number, number, number, number] }));
  return {
    channel: '来信', receivedAt: new Date(Date.UTC(2026, 10, 2) + i * 60_000), year: 2026, text, extraction, flags: extraction.flags,
    pages: [{ text, confidence: 0.93, lowConfidence: false, rotation: 0, skew: 0.4, lines, frame: { width: 2480, height: 3508 } }],
    ocrEngine: 'bench',
    documents: [
      { role: 'original', fileName: `原件-${i}.pdf`, sha256: `${i}`.padStart(64, 'a'), pages: 1, bytes: 412_000 },
      { role: 'searchable', fileName: `可检索-${i}.pdf`, sha256: `${i}`.padStart(64, 'b'), pages: 1, bytes: 180_000 },
    ],
    source: { name: `扫描-${i}.pdf`, sha256: `${i}`.padStart(64, 'c'), stagingDir: `archive/.staging/${i}` },
  };
}

async function registerOnPostgres(letters: number, settings: Settings): Promise<{ statements: number[]; ms: number[]; wall: number[]; kbPerLetter: number }> {
  const schema = 'c_bench_register';
  const options = { ...registryOptions(settings), schema };
  await dropSchema(schema);
  await (await openPostgresStore(SERVER, options)).close(); // makes and migrates the schema
  const counter: Counter = { statements: 0, ms: 0 };
  const pool = openCountingPool(SERVER, counter, 4, schema);
  const store = new PostgresStore(pool, options);
  const empty = await schemaBytes(schema);
  try {
    const out = await registerCounted(store, counter, letters, settings);
    return { ...out, kbPerLetter: ((await schemaBytes(schema)) - empty) / letters / 1024 };
  } finally {
    await store.close();
    await dropSchema(schema);
  }
}

/** Registers the generated letters one by one, each letter's statements, database ms and wall ms read off the counter. */
async function registerCounted(store: Pick<Store, 'register'>, counter: Counter, letters: number, settings: Settings): Promise<{ statements: number[]; ms: number[]; wall: number[] }> {
  const out = { statements: [] as number[], ms: [] as number[], wall: [] as number[] };
    for (let i = 0; i < letters; i++) {
      const p = petition(i, settings);
      const before = { ...counter };
      const t = performance.now();
      await store.register(p, (year, number) => `archive/${year}/${number}`);
      out.wall.push(performance.now() - t);
      out.statements.push(counter.statements - before.statements);
      out.ms.push(counter.ms - before.ms);
    }
  return out;
}

/** Tables and indexes of a schema, in bytes. */
async function schemaBytes(schema: string): Promise<number> {
  const sql = `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'm')`;
  return Number((await admin((c) => c.query<{ bytes: string }>(sql, [schema]))).rows[0]!.bytes);
}

async function registerOnSqlite(letters: number, settings: Settings): Promise<{ statements: number[]; ms: number[]; wall: number[] }> {
  const counter: Counter = { statements: 0, ms: 0 };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xinfang-bench-district-'));
  const store = openSqliteStore(path.join(dir, 'registry.sqlite'), registryOptions(settings));
  countSqliteStatements(counter);
  try {
    return await registerCounted(store, counter, letters, settings);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function admin<R>(work: (c: ReturnType<typeof openPool>) => Promise<R>): Promise<R> {
  const pool = openPool(SERVER, 1);
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

function dropSchema(schema: string): Promise<unknown> {
  return admin((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

/** The adapter's squeezing (postgres-store.ts squeeze): letters and digits only, lower case. */
const squeeze = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

async function searchAtScale(cases: number, settings: Settings) {
  const schema = 'c_bench_search';
  const options = { ...registryOptions(settings), schema };
  await dropSchema(schema);
  const store = await openPostgresStore(SERVER, { ...options, poolSize: 2 });
  const pool = openPool(SERVER, 2, schema);
  try {
    // The adapter's own case, registered and indexed by it, to check the bulk rows against.
    const own = await store.register(petition(0, settings), (y, n) => `archive/${y}/${n}`);
    if (!own.created) throw new Error('the first case was not made');
    const fill = performance.now();
    await pool.query('DROP INDEX case_search_grams');
    const batch = 20_000;
    for (let start = 1; start < cases; start += batch) {
      const seqs: number[] = [], numbers: string[] = [], texts: string[] = [], names: string[] = [], phones: string[] = [], at: string[] = [];
      for (let i = start; i < Math.min(cases, start + batch); i++) {
        const p = person(i);
        seqs.push(i + 1);
        numbers.push(formatCaseNumber(options.format, { short: options.short, year: 2026, seq: i + 1 }));
        texts.push(letterText(i));
        names.push(p.name);
        phones.push(p.phone);
        at.push(new Date(Date.UTC(2026, 0, 1) + i * 30_000).toISOString());
      }
      const ids = (
        await pool.query<{ id: number; number: string }>(
          `INSERT INTO cases (year, seq, number, status, channel, received_at, folder, intake_state, ocr_text, ocr_engine, flags,
             petitioner_name, phone, field_sources, urgent_words, judgements)
           SELECT 2026, u.seq, u.number, 'registered', '来信', u.at, 'archive/2026/' || u.number, 'done', u.text, 'bench', '[]',
             u.name, u.phone, '{}', '[]', '{}'
           FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(seq, number, text, name, phone, at)
           RETURNING id, number`,
          [seqs, numbers, texts, names, phones, at],
        )
      ).rows;
      const byNumber = new Map(ids.map((r) => [r.number, r.id]));
      const caseIds: number[] = [], grams: string[] = [], squeezed: string[] = [];
      for (const [k, number] of numbers.entries()) {
        // searchableText() of such a case: its fields (number；name；phone) and its letter.
        const text = `${[number, names[k], phones[k]].join('；')}\n${texts[k]}`;
        caseIds.push(byNumber.get(number)!);
        grams.push([...new Set(bigrams(text))].join(' '));
        squeezed.push(squeeze(text));
      }
      await pool.query(`INSERT INTO case_search (case_id, grams, squeezed) SELECT u.id, string_to_array(u.g, ' '), u.s FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(id, g, s)`, [caseIds, grams, squeezed]);
    }
    await pool.query(`UPDATE counters SET next = $1 WHERE name = 'case' AND year = 2026`, [cases + 1]);
    await pool.query('CREATE INDEX case_search_grams ON case_search USING GIN (grams)');
    await pool.query('ANALYZE cases; ANALYZE case_search');
    const fillSeconds = (performance.now() - fill) / 1000;

    // A sample checked: the adapter's index of its own case, and searchableText() of bulk cases read back through the adapter.
    const sampleIds = (await pool.query<{ id: number }>('SELECT id FROM cases ORDER BY id LIMIT 1 OFFSET 1')).rows.concat(
      (await pool.query<{ id: number }>(`SELECT id FROM cases ORDER BY random() LIMIT 5`)).rows,
    );
    for (const { id } of [{ id: own.case.id }, ...sampleIds]) {
      const row = await store.caseById(id);
      const text = searchableText(row);
      const stored = (await pool.query<{ grams: string[]; squeezed: string }>('SELECT grams, squeezed FROM case_search WHERE case_id = $1', [id])).rows[0];
      const want = [...new Set(bigrams(text))].sort();
      if (!stored || stored.squeezed !== squeeze(text) || JSON.stringify([...stored.grams].sort()) !== JSON.stringify(want)) {
        throw new Error(`case ${row.number}: the bulk index row differs from what the adapter makes`);
      }
    }

    const queries = [
      person(123).name, person(4567).name, person(777).phone.slice(-6), pick(PLACES, 3), pick(PLACES, 6), '物业', '噪音', '低保', '漏水', '电梯',
      '喷漆', '社保', '工棚占用', '南湖小区3号楼', '火星', '量子计算', '高铁站', '航天飞机', '区块链', '潜水艇',
    ];
    const times: number[] = [];
    const hits: number[] = [];
    const each = new Map<string, number[]>(queries.map((q) => [q, []]));
    for (const q of queries) await store.search(q, 20); // warm
    for (let round = 0; round < 3; round++) {
      for (const q of queries) {
        const t = performance.now();
        const found = await store.search(q, 20);
        times.push(performance.now() - t);
        each.get(q)!.push(performance.now() - t);
        if (round === 0) hits.push(found.length);
      }
    }
    const size = (await pool.query<{ bytes: string }>(`SELECT (SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'm'))::text AS bytes`, [schema])).rows[0]!.bytes;
    const count = (await pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM cases')).rows[0]!.n;
    return { cases: count, fillSeconds, schemaMB: Number(size) / 2 ** 20, median: median(times), p95: quantile(times, 0.95), queries, hits, each: queries.map((q) => median(each.get(q)!)), misses: hits.filter((h) => h === 0).length };
  } finally {
    await pool.end();
    await store.close();
    await dropSchema(schema);
  }
}

async function queueFigures(): Promise<string[]> {
  const { measureQueue } = await import('./district-queue.js');
  const rows: string[] = [];
  for (const workers of [1, 2] as const) {
    const r = await measureQueue({ workers, letters: Number(process.env.BENCH_QUEUE_LETTERS ?? 20) });
    rows.push(
      `| 队列：${workers} 个 worker，每分钟页数（${r.letters} 封 ${r.pages} 页，${r.seconds.toFixed(0)} 秒） | ${r.pagesPerMinute.toFixed(1)} |`,
      `| 队列：${workers} 个 worker，空闲时入队到开始（ms，中位数） | ${r.pickupMs.toFixed(0)} |`,
      `| 队列：${workers} 个 worker，每件任务的队列记账（ms，中位数） | ${r.bookkeepingMs.toFixed(1)} |`,
      `| 队列：${workers} 个 worker，登记文件并入队（一个事务，ms，中位数） | ${r.enqueueMs.toFixed(1)} |`,
    );
  }
  return rows;
}

async function main(): Promise<void> {
  const letters = Number(process.env.BENCH_LETTERS ?? 200);
  const searchCases = Number(process.env.BENCH_SEARCH_CASES ?? 1_000_000);
  const settings = loadSettings(path.join(packageRoot(), 'pipeline', 'settings.yaml'));
  const version = (await admin((c) => c.query<{ v: string }>('SELECT current_setting(\'server_version\') AS v'))).rows[0]!.v;
  const pgReg = await registerOnPostgres(letters, settings);
  const sqReg = await registerOnSqlite(letters, settings);
  const search = searchCases > 0 ? await searchAtScale(searchCases, settings) : null;
  const queue = await queueFigures();
  const f = (n: number) => n.toFixed(2);
  const lines = [
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? ''}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, PostgreSQL ${version} (local socket)`,
    '',
    '| figure | value |',
    '| --- | --- |',
    `| PostgreSQL: statements per registered letter (median; min–max) | ${median(pgReg.statements)} (${Math.min(...pgReg.statements)}–${Math.max(...pgReg.statements)}) |`,
    `| PostgreSQL: database ms per letter (median / p95) | ${f(median(pgReg.ms))} / ${f(quantile(pgReg.ms, 0.95))} |`,
    `| PostgreSQL: register() wall ms per letter (median) | ${f(median(pgReg.wall))} |`,
    `| SQLite: statements per registered letter (median; min–max) | ${median(sqReg.statements)} (${Math.min(...sqReg.statements)}–${Math.max(...sqReg.statements)}) |`,
    `| SQLite: database ms per letter (median / p95) | ${f(median(sqReg.ms))} / ${f(quantile(sqReg.ms, 0.95))} |`,
    `| SQLite: register() wall ms per letter (median) | ${f(median(sqReg.wall))} |`,
    `| PostgreSQL: database size per registered letter (growth of its schema's tables and indexes / letters) | ${pgReg.kbPerLetter.toFixed(1)} KB |`,
    `| letters registered (each) | ${letters} |`,
  ];
  if (search) {
    lines.push(
      `| search: cases in one community's schema | ${search.cases.toLocaleString('en')} |`,
      `| search: bulk fill time (cases, case_search, GIN index) | ${search.fillSeconds.toFixed(0)} s |`,
      `| search: schema size (tables and indexes) | ${search.schemaMB.toFixed(0)} MB |`,
      `| search: median / p95 ms (${search.queries.length} queries × 3, ${search.misses} misses) | ${f(search.median)} / ${f(search.p95)} |`,
    );
  }
  lines.push(...queue);
  console.log(lines.join('\n'));
  if (search) console.log(`\nqueries (hits, at most 20; median ms): ${search.queries.map((q, i) => `${q}=${search.hits[i]} (${search.each[i]!.toFixed(1)} ms)`).join('、')}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
