/**
 * npm run bench — every benchmark of the project, one after another in fresh processes, and their
 * figures written into BENCHMARKS.md (between the markers of its "Latest full run" section) with
 * the machine and the date. The hand-written sections around it explain the figures.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../adapters/files/workspace.js';

const BENCHES = [
  ['ingest', 'Ingest: pages per minute against the bare OCR limit'],
  ['search', 'Search latency'],
  ['render', 'Register book and reply letter rendering'],
  ['bind', 'Binding case and year volumes'],
  ['web', 'Web pages under load'],
] as const;

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

function main(): void {
  const root = packageRoot();
  const sections: string[] = [];
  for (const [name, title] of BENCHES) {
    process.stderr.write(`bench:${name} …\n`);
    const started = Date.now();
    const r = spawnSync(process.execPath, [path.join(root, 'dist', 'tools', 'bench', `${name}.js`)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 });
    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    if (r.status !== 0) throw new Error(`bench:${name} failed with ${r.status}`);
    sections.push(`### ${title} (\`npm run bench:${name}\`, ${minutes} min)\n\n\`\`\`\n${r.stdout.trim()}\n\`\`\``);
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const block = [
    START,
    `## Latest full run (\`npm run bench\`)`,
    '',
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${os.cpus().length} cores (${cpu}) · ${Math.round(os.totalmem() / 2 ** 30)} GB · Node ${process.version}. Medians where a benchmark runs rounds.`,
    '',
    ...sections.flatMap((s) => [s, '']),
    END,
  ].join('\n');
  const file = path.join(root, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const next = text.includes(START) ? text.replace(new RegExp(`${START}[\\s\\S]*?${END}`), block) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
  process.stdout.write(`${block}\n`);
}

main();
