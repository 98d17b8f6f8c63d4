/**
 * npm run bench:search — search latency on a registry of BENCH_CASES cases (default 100,000).
 * Builds the registry from generated petitions (names, places and matters combined at random),
 * then times BENCH_QUERIES searches of every kind a clerk types: a name, a phone number, a place,
 * two common characters, a phrase from a letter. Prints the median and the 99th percentile.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../adapters/files/workspace.js';
import { loadSettings } from '../../adapters/settings/settings-file.js';
import { openSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { extractFields } from '../../domain/extract/letter-fields.js';
import { extractRules, registryOptions } from '../../domain/settings.js';
import { letterText, MATTERS, person, pick, PLACES } from './generated-cases.js';

async function main(): Promise<void> {
  const cases = Number(process.env.BENCH_CASES ?? 100_000);
  const queries = Number(process.env.BENCH_QUERIES ?? 300);
  const settings = loadSettings(path.join(packageRoot(), 'pipeline', 'settings.yaml'));
  const rules = extractRules(settings);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xinfang-search-'));
  const file = path.join(dir, 'registry.sqlite');
  const registry = openSqliteStore(file, registryOptions(settings));
  const build = performance.now();
  const batch = 5_000;
  for (let start = 0; start < cases; start += batch) {
    const petitions = [];
    for (let i = start; i < Math.min(cases, start + batch); i++) {
      const text = letterText(i);
      const extraction = extractFields(text, rules);
      petitions.push({ channel: '来信' as const, receivedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000), year: 2026, text, extraction, flags: extraction.flags, pages: [], ocrEngine: 'bench', documents: [] });
    }
    await registry.registerMany(petitions, (year, number) => `archive/${year}/${number}`);
  }
  const buildSeconds = (performance.now() - build) / 1000;

  const kinds: ((i: number) => string)[] = [
    (i) => person(i * 37).name,
    (i) => person(i * 53).phone,
    (i) => pick(PLACES, i),
    (i) => pick(['物业', '噪音', '低保', '漏水', '工棚', '电梯', '社保', '喷漆'], i),
    (i) => pick(MATTERS, i).slice(4, 12),
    (i) => `${pick(PLACES, i)}${(i % 20) + 1}号楼`,
  ];
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < queries; i++) {
    const query = kinds[i % kinds.length]!(i);
    const t = performance.now();
    hits += (await registry.search(query, 20)).length;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  const sizeMB = statSync(file).size / 2 ** 20;
  await registry.close();
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  const lines = [
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? ''}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`,
    `registry: ${cases} cases, built in ${buildSeconds.toFixed(1)} s, ${sizeMB.toFixed(0)} MB`,
    `${queries} searches (names, phones, places, two common characters, phrases), top 20 each, ${hits} hits in all`,
    `latency: median ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms (target: median < 50 ms)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
