/**
 * The archive's proof: verification (every file against its recorded fingerprint, every history
 * chain whole, nothing in the year folders the registry does not know) and the BagIt export.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyFileDurable, exists, PARTIAL_WRITE, writeFileAtomic } from '../adapters/files/fs-safe.js';
import { sha256, sha256File } from '../adapters/files/hash.js';
import { zipFolderStream } from '../adapters/zip/zip.js';
import type { Workspace } from '../adapters/files/workspace.js';
import { localDate } from '../domain/calendar.js';
import { checkCaseHistory, type ChainProblem } from '../domain/history.js';
import { fail } from '../domain/problems.js';
import type { FileProblem, Verification } from '../domain/history.js';
import type { Actor } from '../domain/case.js';
import { can } from '../domain/roles.js';
import type { ServiceContext } from './context.js';

export type { FileProblem } from '../domain/history.js';

export type { Verification } from '../domain/history.js';

export interface ExportedBag {
  dir: string;
  files: number;
  bytes: number;
  cases: number;
}

export class RecordsService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Every history chain and every file checked; the findings listed, nothing changed. */
  async verify(actor: Actor): Promise<Verification> {
    if (!can(actor, 'verify')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '核验档案' });
    const problems: (ChainProblem & { number: string })[] = [];
    let cases = 0;
    for await (const chainOf of this.ctx.store.chains()) {
      cases++;
      for (const p of checkCaseHistory(chainOf.number, chainOf.entries, chainOf.head, chainOf.status)) problems.push({ number: chainOf.number, ...p });
    }
    const files = await this.verifyFiles();
    return { ok: problems.length + files.problems.length === 0, cases, files: files.files, bytes: files.bytes, problems, fileProblems: files.problems };
  }

  /**
   * Re-hashes every file the registry knows (case documents, volumes, manifests, year volumes) and
   * looks for files in the year folders that it does not know. Reads one file at a time.
   */
  private async verifyFiles(): Promise<{ files: number; bytes: number; problems: FileProblem[] }> {
    const { store, paths } = this.ctx;
    const problems: FileProblem[] = [];
    const known = new Set<string>();
    let files = 0;
    let bytes = 0;
    const check = async (relative: string, expected: string, caseNumber: string | null) => {
      known.add(path.normalize(relative));
      const file = paths.absolute(relative);
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
    for (const d of await store.allDocuments()) await check(d.path, d.sha256, d.caseNumber);
    for (const v of await store.volumes()) await check(v.path, v.sha256, null);

    const folders = new Map((await store.caseFolders()).map((f) => [path.normalize(f), f]));
    const years = (await fs.readdir(paths.archiveDir, { withFileTypes: true })).filter((e) => e.isDirectory() && /^\d{4}$/.test(e.name));
    for (const year of years) {
      for await (const relative of walk(paths, path.join('archive', year.name))) {
        if (known.has(path.normalize(relative)) || PARTIAL_WRITE.test(path.basename(relative))) continue;
        const owner = [...folders.keys()].find((f) => relative.startsWith(`${f}${path.sep}`));
        problems.push({ kind: 'unknown', path: relative, caseNumber: owner ? path.basename(owner) : null });
      }
    }
    return { files, bytes, problems };
  }

  /**
   * The folder an export from the web may be written to: a name inside the workspace (not in the
   * archive, the inbox, the settings or the templates), or an absolute path under one of the
   * folders the settings allow. Links are followed before judging, so none leads elsewhere.
   */
  async exportTarget(given: string): Promise<string> {
    const { paths, settings } = this.ctx;
    const text = given.trim();
    if (!text || text.includes('\0')) fail({ code: 'export-target-refused', dir: text, reason: 'empty' });
    const wanted = path.isAbsolute(text) ? path.resolve(text) : path.resolve(paths.root, text);
    const real = await realFolder(wanted);
    const inside = (parent: string, child: string) => child === parent || child.startsWith(`${parent}${path.sep}`);
    const root = await realFolder(paths.root);
    const allowed = await Promise.all(settings.archive.exportFolders.map((f) => realFolder(path.resolve(paths.root, f))));
    const inWorkspace = !path.isAbsolute(text) && inside(root, real) && real !== root;
    if (!inWorkspace && !allowed.some((a) => inside(a, real) && real !== a)) fail({ code: 'export-target-refused', dir: text, reason: 'outside' });
    const reserved = await Promise.all([paths.archiveDir, paths.inbox, paths.pipeline, paths.templates].map(realFolder));
    if (reserved.some((r) => inside(r, real) || inside(real, r))) fail({ code: 'export-target-refused', dir: text, reason: 'reserved' });
    return wanted;
  }

  /** A year's BagIt export for a person of the office (the web), into a folder checked by exportTarget. */
  async exportYearAs(actor: Actor, year: number, given: string, version: string): Promise<ExportedBag> {
    if (!can(actor, 'bind')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '导出档案' });
    return this.exportYear(year, await this.exportTarget(given), version);
  }

  /**
   * A year's BagIt export as one zip, for downloading: the bag is built in a temporary folder
   * (verified like any export), then streamed; the folder goes when the stream ends.
   */
  async exportZip(actor: Actor, year: number, version: string): Promise<{ name: string; stream: NodeJS.ReadableStream; bag: ExportedBag }> {
    if (!can(actor, 'bind')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '导出档案' });
    const temp = await fs.mkdtemp(path.join(os.tmpdir(), 'xinfang-bag-'));
    const name = `${this.ctx.settings.archive.fondsCode}-${year}-bagit`;
    try {
      const bag = await this.exportYear(year, path.join(temp, name), version);
      const stream = await zipFolderStream(bag.dir, name, walkDir(bag.dir, ''));
      const clean = () => void fs.rm(temp, { recursive: true, force: true });
      stream.on('end', clean);
      stream.on('error', clean);
      return { name: `${name}.zip`, stream, bag };
    } catch (e) {
      await fs.rm(temp, { recursive: true, force: true });
      throw e;
    }
  }

  async exportYear(year: number, target: string, version: string): Promise<ExportedBag> {
      const { store, settings, paths: ws } = this.ctx;
      const now = this.ctx.clock();
    const dir = path.resolve(target);
    if ((await exists(dir)) && (await fs.readdir(dir)).length > 0) fail({ code: 'export-exists', dir });
    const cases = [];
      for await (const c of store.casesOfYear(year)) cases.push(c);
    if (cases.length === 0) fail({ code: 'export-empty', year });
    const building = `${dir}.partial-${process.pid}`;
    await fs.rm(building, { recursive: true, force: true });
    const manifest: string[] = [];
    let bytes = 0;
    const add = async (relative: string, sha: string, size: number) => {
      manifest.push(`${sha}  ${encodePath(`data/${relative.split(path.sep).join('/')}`)}`);
      bytes += size;
    };
    try {
      for (const c of cases) {
        const detail = await store.detail(c.id);
        for (const d of detail.documents) {
          const inArchive = path.relative(ws.archiveDir, ws.absolute(d.path));
          const dest = path.join(building, 'data', inArchive);
          await fs.mkdir(path.dirname(dest), { recursive: true });
          await copyFileDurable(ws.absolute(d.path), dest);
          const copied = await sha256File(dest);
          if (copied !== d.sha256) fail({ code: 'export-changed', path: d.path, what: 'document' });
          await add(inArchive, copied, (await fs.stat(dest)).size);
        }
      }
      for (const v of await store.volumes(year)) {
        const inArchive = path.relative(ws.archiveDir, ws.absolute(v.path));
        const dest = path.join(building, 'data', inArchive);
        await fs.mkdir(path.dirname(dest), { recursive: true });
        await copyFileDurable(ws.absolute(v.path), dest);
        if ((await sha256File(dest)) !== v.sha256) fail({ code: 'export-changed', path: v.path, what: 'volume' });
        await add(inArchive, v.sha256, v.bytes);
      }
      // The registry's records of the year, so the bag can be read without this program.
      const records = [];
      for (const c of cases) {
        const { pages: _pages, ...rest } = await store.detail(c.id);
        records.push(rest);
      }
      // The year volumes with their editions, superseded ones too: which file held which cases when.
      const recordsText = `${JSON.stringify({ office: settings.office.name, year, exportedAt: now.toISOString(), cases: records, volumes: await store.volumes(year) }, null, 2)}\n`;
      const recordsName = `${year}/登记库_${year}.json`;
      await fs.mkdir(path.join(building, 'data', String(year)), { recursive: true });
      await writeFileAtomic(path.join(building, 'data', recordsName), recordsText);
      await add(recordsName, sha256(recordsText), Buffer.byteLength(recordsText));

      const tags: [string, string][] = [
        ['bagit.txt', 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n'],
        ['manifest-sha256.txt', `${manifest.sort((a, b) => a.slice(66).localeCompare(b.slice(66))).join('\n')}\n`],
        [
          'bag-info.txt',
          [
            `Source-Organization: ${settings.office.name}`,
            `External-Identifier: ${settings.archive.fondsCode}-${settings.archive.classCode}·${year}`,
            `External-Description: ${settings.archive.fondsName}${year}年信访档案（${cases.length} 件）`,
            `Bagging-Date: ${localDate(now, settings.office.timezone)}`,
            `Payload-Oxum: ${bytes}.${manifest.length}`,
            `Bag-Size: ${(bytes / 1048576).toFixed(1)} MB`,
            `Bag-Software-Agent: xinfang ${version}`,
            '',
          ].join('\n'),
        ],
      ];
      for (const [name, text] of tags) await writeFileAtomic(path.join(building, name), text);
      const tagManifest = tags.map(([name, text]) => `${sha256(text)}  ${name}`).join('\n');
      await writeFileAtomic(path.join(building, 'tagmanifest-sha256.txt'), `${tagManifest}\n`);
      await fs.rm(dir, { recursive: true, force: true });
      await fs.rename(building, dir);
    } catch (e) {
      await fs.rm(building, { recursive: true, force: true });
      throw e;
    }
    return { dir, files: manifest.length, bytes, cases: cases.length };
  }
}

async function* walk(paths: Workspace, relative: string): AsyncGenerator<string> {
  for (const entry of await fs.readdir(paths.absolute(relative), { withFileTypes: true })) {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) yield* walk(paths, child);
    else yield child;
  }
}

/** BagIt paths: a percent sign, carriage return or line feed in a name is percent-encoded. */
function encodePath(p: string): string {
  return p.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

async function* walkDir(base: string, relative: string): AsyncGenerator<string> {
  for (const entry of await fs.readdir(path.join(base, relative), { withFileTypes: true })) {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) yield* walkDir(base, child);
    else yield child;
  }
}

/** The real place of a folder, or of the nearest one above it that exists, with the rest appended. */
async function realFolder(p: string): Promise<string> {
  const rest: string[] = [];
  let at = p;
  for (;;) {
    try {
      return path.join(await fs.realpath(at), ...rest.reverse());
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(at) === at) throw e;
      rest.push(path.basename(at));
      at = path.dirname(at);
    }
  }
}
