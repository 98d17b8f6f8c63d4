import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PARTIAL_WRITE } from '../../adapters/files/fs-safe.js';
import { sha256File } from '../../adapters/files/hash.js';
import type { Registry } from '../../adapters/sqlite/registry.js';
import type { Workspace } from '../../adapters/files/workspace.js';

export interface FileProblem {
  kind: 'changed' | 'missing' | 'unknown';
  /** Relative to the workspace root. */
  path: string;
  caseNumber: string | null;
}

export interface FileCheck {
  files: number;
  bytes: number;
  problems: FileProblem[];
}

/**
 * Re-hashes every file the registry knows (case documents, volumes, manifests, year volumes) and
 * looks for files in the year folders that it does not know. Reads one file at a time.
 */
export async function verifyFiles(ws: Workspace, registry: Registry): Promise<FileCheck> {
  const problems: FileProblem[] = [];
  const known = new Set<string>();
  let files = 0;
  let bytes = 0;
  const check = async (relative: string, expected: string, caseNumber: string | null) => {
    known.add(path.normalize(relative));
    const file = ws.absolute(relative);
    try {
      const stat = await fs.stat(file);
      bytes += stat.size;
      files++;
      if ((await sha256File(file)) !== expected) problems.push({ kind: 'changed', path: relative, caseNumber });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      problems.push({ kind: 'missing', path: relative, caseNumber });
    }
  };
  for (const d of registry.allDocuments()) await check(d.path, d.sha256, d.caseNumber);
  for (const v of registry.volumes()) await check(v.path, v.sha256, null);

  const folders = new Map(registry.caseFolders().map((f) => [path.normalize(f), f]));
  const years = (await fs.readdir(ws.archive, { withFileTypes: true })).filter((e) => e.isDirectory() && /^\d{4}$/.test(e.name));
  for (const year of years) {
    for await (const relative of walk(ws, path.join('archive', year.name))) {
      if (known.has(path.normalize(relative)) || PARTIAL_WRITE.test(path.basename(relative))) continue;
      const owner = [...folders.keys()].find((f) => relative.startsWith(`${f}${path.sep}`));
      problems.push({ kind: 'unknown', path: relative, caseNumber: owner ? path.basename(owner) : null });
    }
  }
  return { files, bytes, problems };
}

async function* walk(ws: Workspace, relative: string): AsyncGenerator<string> {
  for (const entry of await fs.readdir(ws.absolute(relative), { withFileTypes: true })) {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) yield* walk(ws, child);
    else yield child;
  }
}
