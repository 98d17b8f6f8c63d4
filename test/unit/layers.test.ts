/**
 * The shape of the code, checked: arrows point down (domain ← ports ← adapters ← services ←
 * app ← district ← interfaces), each outside library is reached from one folder of adapters (or the CLI), and no
 * word meant for the office names a command-line flag outside the CLI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/workspace.js';

const src = path.join(repoRoot, 'src');

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (entry.name.endsWith('.ts')) yield full;
  }
}

const files = [...sourceFiles(src)].map((file) => ({ file: path.relative(src, file).split(path.sep).join('/'), text: readFileSync(file, 'utf8') }));
const IMPORT = /(?:from\s+|import\s*\(\s*)'([^']+)'/g;
const importsOf = (text: string) => [...text.matchAll(IMPORT)].map((m) => m[1]!);
const layerOf = (file: string) => (file.includes('/') ? file.split('/')[0]! : file.replace(/\.[jt]s$/, ''));

/** What each layer may import besides itself. */
const ALLOWED: Record<string, string[]> = {
  domain: [],
  ports: ['domain'],
  adapters: ['domain', 'ports'],
  services: ['domain', 'ports', 'adapters'],
  app: ['domain', 'ports', 'adapters', 'services'],
  // A district's communities, each an Office of app.ts: the composition root one level up.
  district: ['domain', 'ports', 'adapters', 'services', 'app'],
  index: ['app', 'domain', 'services'],
  interfaces: ['domain', 'ports', 'adapters', 'services', 'app', 'district'],
  tools: ['domain', 'ports', 'adapters', 'services', 'app', 'district', 'interfaces'],
};

describe('the layers of the code', () => {
  it('has every file in a known layer', () => {
    expect(files.map((f) => layerOf(f.file)).filter((l) => !(l in ALLOWED))).toEqual([]);
  });

  it('never imports a higher layer from a lower one', () => {
    const wrong: string[] = [];
    for (const { file, text } of files) {
      const layer = layerOf(file);
      for (const spec of importsOf(text).filter((s) => s.startsWith('.'))) {
        const target = layerOf(path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)));
        if (target !== layer && !ALLOWED[layer]!.includes(target)) wrong.push(`${file} → ${spec}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('reaches each outside library from one folder only', () => {
    const folders = new Map<string, Set<string>>();
    for (const { file, text } of files) {
      for (const spec of importsOf(text).filter((s) => !s.startsWith('.') && !s.startsWith('node:'))) {
        const lib = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!folders.has(lib)) folders.set(lib, new Set());
        folders.get(lib)!.add(path.posix.dirname(file));
      }
    }
    const spread = [...folders].filter(([, dirs]) => dirs.size > 1).map(([lib, dirs]) => `${lib}: ${[...dirs].join(', ')}`);
    expect(spread).toEqual([]);
    expect([...folders.get('commander')!]).toEqual(['interfaces/cli']);
    expect([...folders.get('cli-progress')!]).toEqual(['interfaces/cli']);
  });

  it('keeps command-line words out of everything but the CLI', () => {
    const strings = (text: string) => [...text.matchAll(/(['`])((?:(?!\1)[^\\\n]|\\.)*)\1/g)].map((m) => m[2]!);
    const wrong: string[] = [];
    for (const { file, text } of files.filter((f) => /^(domain|services)\//.test(f.file))) {
      for (const s of strings(text)) if (/[\p{Script=Han}]/u.test(s) && (/--[a-z]/.test(s) || /xinfang /.test(s))) wrong.push(`${file}: ${s}`);
    }
    expect(wrong).toEqual([]);
  });
});
