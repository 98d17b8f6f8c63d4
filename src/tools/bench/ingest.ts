/**
 * npm run bench:ingest — pipeline throughput against the bare OCR engine on the same pages.
 *
 * Makes BENCH_LETTERS distinct letters from the sample scans (default 24), then in two fresh
 * child processes: (1) the bare OCR pool reads every page, already decoded and scaled, with the
 * pipeline's number of workers — the limit; (2) `ingest` takes the same letters from an inbox
 * into a new archive. Prints pages per minute, wall time and peak memory (VmHWM) of each. The
 * pipeline reads only the writing on a page (ocr.skipBlankMargins), so the bare pool also reads
 * the pages cut the same way: against that, the pipeline's own steps are seen alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initWorkspace } from '../../services/workspace.js';
import { loadSettings } from '../../adapters/settings/settings-file.js';
import { reencode } from '../../adapters/sharp/raster.js';
import { decodeScan } from '../../services/intake/decode.js';
import { limitsFrom } from '../../services/intake/limits.js';
import { crop } from '../../adapters/sharp/image.js';
import type { GrayImage } from '../../ports/image.js';
import { writingBox, WRITING_MARGIN } from '../../services/intake/writing.js';
import { OcrPool } from '../../adapters/ocr/pool.js';
import { cliEntry, packageRoot } from '../../adapters/files/workspace.js';
import { peakMB, runWatchingMemory } from './measure.js';

const here = fileURLToPath(import.meta.url);
const samples = path.join(packageRoot(), 'test', 'fixtures', 'samples', 'scans');

interface PhaseResult {
  pages: number;
  seconds: number;
  peakMB: number;
  workers: number;
}

async function makeLetters(inbox: string, count: number): Promise<void> {
  const sources = ['S01.jpg', 'S02.jpg', 'S03.pdf', 'S04.png'];
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length]!;
    const target = path.join(inbox, `letter-${String(i + 1).padStart(3, '0')}${path.extname(source)}`);
    if (source.endsWith('.pdf')) {
      // Distinct bytes, same pages: a comment after the end of the file changes nothing a reader sees.
      writeFileSync(target, Buffer.concat([readFileSync(path.join(samples, source)), Buffer.from(`\n% copy ${i}\n`)]));
    } else {
      writeFileSync(target, await reencode(path.join(samples, source), source.endsWith('.png') ? 'png' : 'jpeg', i, 300 + i));
    }
  }
}

/**
 * The limit: the OCR pool reading every page and nothing more. Two figures: pages decoded to the
 * reading size before the clock starts (recognition alone), and pages decoded as they are read
 * (decode + recognize: the least any OCR of these files must do), with as many lanes as the
 * pipeline uses so decoding may overlap reading. The target is set against the second.
 */
async function barePhase(root: string): Promise<BareResult> {
  const settings = loadSettings(path.join(root, 'pipeline', 'settings.yaml'));
  const inbox = path.join(root, 'inbox');
  const limits = limitsFrom(settings);
  const files = readdirSync(inbox).sort().map((f) => path.join(inbox, f));
  const pool = await OcrPool.create(settings.ocr);
  const lanes = async (count: number, work: () => Promise<void>) => Promise.all(Array.from({ length: count }, work));

  const decoded = [];
  for (const file of files) for (const page of (await decodeScan(readFileSync(file), limits)).pages) decoded.push(page.image);
  let start = performance.now();
  const pageQueue = [...decoded];
  await lanes(pool.size, async () => {
    for (let p = pageQueue.shift(); p; p = pageQueue.shift()) await pool.recognize(p);
  });
  const recognizeOnly = (performance.now() - start) / 1000;

  start = performance.now();
  const fileQueue = [...files];
  await lanes(pool.size + 1, async () => {
    for (let f = fileQueue.shift(); f; f = fileQueue.shift()) {
      const scan = await decodeScan(readFileSync(f), limits);
      await Promise.all(scan.pages.map((page) => pool.recognize(page.image)));
    }
  });
  const seconds = (performance.now() - start) / 1000;

  // Like for like with the pipeline's reading: the same, each page cut to its writing first.
  start = performance.now();
  const writingQueue = [...files];
  await lanes(pool.size + 1, async () => {
    for (let f = writingQueue.shift(); f; f = writingQueue.shift()) {
      const scan = await decodeScan(readFileSync(f), limits);
      await Promise.all(scan.pages.map((page) => pool.recognize(writingOnly(page.image))));
    }
  });
  const writingSeconds = (performance.now() - start) / 1000;
  const workers = pool.size;
  await pool.close();
  return { pages: decoded.length, seconds, recognizeOnly, writingSeconds, peakMB: peakMB(), workers };
}

function writingOnly(image: GrayImage): GrayImage {
  const box = writingBox(image, WRITING_MARGIN);
  return box ? crop(image, box.left, box.top, box.width, box.height) : image;
}

interface BareResult extends PhaseResult {
  recognizeOnly: number;
  /** Decode + recognize with each page cut to its writing, as the pipeline reads it. */
  writingSeconds: number;
}

function runBare(root: string): BareResult {
  const out = execFileSync(process.execPath, [here, 'bare', root], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').pop()!) as BareResult;
}

/** What one `ingest` costs before its first page: starting Node, loading modules and models. */
async function startupSeconds(root: string): Promise<number> {
  const cli = cliEntry();
  const r = await runWatchingMemory([cli, '--root', root, '--json', 'ingest']);
  if (r.code !== 0) throw new Error(`empty ingest failed: ${r.stderr}`);
  return r.seconds;
}

async function pipelinePhase(root: string): Promise<PhaseResult> {
  const cli = cliEntry();
  const r = await runWatchingMemory([cli, '--root', root, '--json', 'ingest']);
  const seconds = r.seconds;
  if (r.code !== 0) throw new Error(`ingest failed: ${r.stderr}`);
  const results = JSON.parse(r.stdout) as { kind: string }[];
  if (results.some((x) => x.kind !== 'registered')) throw new Error('not every letter was registered');
  const settings = loadSettings(path.join(root, 'pipeline', 'settings.yaml'));
  const db = execFileSync(process.execPath, [cli, '--root', root, '--json', 'cases'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const cases = JSON.parse(db) as { number: string }[];
  let pages = 0;
  for (const c of cases) {
    const shown = JSON.parse(execFileSync(process.execPath, [cli, '--root', root, '--json', 'show', c.number], { encoding: 'utf8' })) as { ocr: { pages: unknown[] } };
    pages += shown.ocr.pages.length;
  }
  return { pages, seconds, peakMB: r.peakMB, workers: settings.ocr.workers === 'auto' ? -1 : settings.ocr.workers };
}

async function prepare(root: string, letters: number, blankSheets = true): Promise<void> {
  await initWorkspace(root);
  mkdirSync(path.join(root, 'inbox'), { recursive: true });
  await makeLetters(path.join(root, 'inbox'), letters);
  const settingsFile = path.join(root, 'pipeline', 'settings.yaml');
  let settings = readFileSync(settingsFile, 'utf8').replace(/stableSeconds: \d+/, 'stableSeconds: 0');
  if (process.env.BENCH_WORKERS) settings = settings.replace(/workers: auto/, `workers: ${process.env.BENCH_WORKERS}`);
  if (!blankSheets) settings = settings.replace(/blankSheets: true/, 'blankSheets: false');
  writeFileSync(settingsFile, settings);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const [phase, root] = process.argv.slice(2);
  if (phase === 'bare' && root) {
    process.stdout.write(`${JSON.stringify(await barePhase(root))}\n`);
    return;
  }
  const letters = Number(process.env.BENCH_LETTERS ?? 24);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const base = mkdtempSync(path.join(os.tmpdir(), 'xinfang-bench-'));
  const perMinute = (r: PhaseResult) => (r.pages / r.seconds) * 60;
  const rows: {
    recognize: number;
    limit: number;
    pipeline: number;
    steady: number;
    startup: number;
    ratio: number;
    steadyRatio: number;
    barePeak: number;
    pipePeak: number;
    registerOnly: number;
    registerOnlyRatio: number;
    writingLimit: number;
    writingRatio: number;
  }[] = [];
  let pages = 0;
  let workers = 0;
  for (let round = 1; round <= rounds; round++) {
    // Each round in fresh workspaces; bare and pipeline take turns so drift in the machine hits both.
    const bareRoot = path.join(base, `bare-${round}`);
    const pipeRoot = path.join(base, `pipeline-${round}`);
    await prepare(bareRoot, letters);
    await prepare(pipeRoot, letters);
    // The same letters with the blank instruction sheets switched off: registration alone.
    const bareRegisterRoot = path.join(base, `register-only-${round}`);
    await prepare(bareRegisterRoot, letters, false);
    const emptyRoot = path.join(base, `empty-${round}`);
    await prepare(emptyRoot, 0);
    const bare = runBare(bareRoot);
    const startup = await startupSeconds(emptyRoot);
    const pipeline = await pipelinePhase(pipeRoot);
    const registerOnly = await pipelinePhase(bareRegisterRoot);
    pages = pipeline.pages;
    workers = bare.workers;
    const row = {
      recognize: (bare.pages / bare.recognizeOnly) * 60,
      limit: perMinute(bare),
      pipeline: perMinute(pipeline),
      steady: (pipeline.pages / (pipeline.seconds - startup)) * 60,
      startup,
      ratio: perMinute(pipeline) / perMinute(bare),
      steadyRatio: pipeline.pages / (pipeline.seconds - startup) / (bare.pages / bare.seconds),
      barePeak: bare.peakMB,
      pipePeak: pipeline.peakMB,
      registerOnly: perMinute(registerOnly),
      registerOnlyRatio: perMinute(registerOnly) / perMinute(bare),
      writingLimit: (bare.pages / bare.writingSeconds) * 60,
      writingRatio: perMinute(pipeline) / ((bare.pages / bare.writingSeconds) * 60),
    };
    rows.push(row);
    process.stderr.write(`round ${round}: limit ${row.limit.toFixed(1)}, pipeline ${row.pipeline.toFixed(1)} pages/min (${(row.ratio * 100).toFixed(1)}%), without start-up ${row.steady.toFixed(1)} (${(row.steadyRatio * 100).toFixed(1)}%), peak ${row.pipePeak} MB; against bare OCR of the writing only ${row.writingLimit.toFixed(1)}: ${(row.writingRatio * 100).toFixed(1)}%; without blank sheets ${row.registerOnly.toFixed(1)} (${(row.registerOnlyRatio * 100).toFixed(1)}%)\n`);
  }
  const m = (key: keyof (typeof rows)[number]) => median(rows.map((r) => r[key]));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `machine: ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`,
    `letters: ${letters}, pages: ${pages}, OCR workers: ${workers}, rounds: ${rounds} (medians below)`,
    `bare OCR, recognition only (pages decoded beforehand): ${m('recognize').toFixed(1)} pages/min`,
    `bare OCR, decode + recognize (the limit):             ${m('limit').toFixed(1)} pages/min, peak ${m('barePeak')} MB`,
    `pipeline ingest (wall, start-up included):            ${m('pipeline').toFixed(1)} pages/min, peak ${m('pipePeak')} MB`,
    `start-up of one ingest (Node, modules, OCR models; empty inbox): ${m('startup').toFixed(1)} s`,
    `pipeline ingest without start-up:                     ${m('steady').toFixed(1)} pages/min`,
    `pipeline / limit: ${(m('ratio') * 100).toFixed(1)}% with start-up, ${(m('steadyRatio') * 100).toFixed(1)}% without (target ≥ 90%)`,
    `bare OCR, decode + recognize, each page cut to its writing as the pipeline reads it: ${m('writingLimit').toFixed(1)} pages/min;`,
    `  pipeline against that: ${(m('writingRatio') * 100).toFixed(1)}% (what the pipeline's own steps cost, with reading the same on both sides)`,
    `pipeline with blank sheets off (workflow.blankSheets: false): ${m('registerOnly').toFixed(1)} pages/min, ${(m('registerOnlyRatio') * 100).toFixed(1)}% of the limit`,
    `peak memory of the pipeline: ${m('pipePeak')} MB (target < 1536 MB; with the blank-sheets process alongside it)`,
  ];
  if (!process.env.BENCH_KEEP) rmSync(base, { recursive: true, force: true });
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
