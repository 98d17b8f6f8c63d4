/**
 * Files made for the registry (documents issued, volumes, returned papers), written so that a
 * stop at any moment leaves the folders and the registry in agreement: each file is written under
 * a temporary name and noted in the store's file journal, the records are committed, and only then
 * are the files put in place and the ones they replace removed. `recoverFiles` finishes or undoes
 * what a stopped process left (see FileJournal).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { copyFileDurable, exists, syncDir, tempBeside, writeSynced } from '../adapters/files/fs-safe.js';
import { sha256, sha256File } from '../adapters/files/hash.js';
import { ownerHasStopped } from '../adapters/system/process.js';
import type { ServiceContext } from './context.js';

export interface WrittenFile {
  /** The final path, relative to the workspace. */
  path: string;
  sha256: string;
  bytes: number;
}

type Context = Pick<ServiceContext, 'store' | 'paths' | 'owner'>;

export class FileBatch {
  private readonly writes: { temp: string; final: string }[] = [];
  private readonly removals: string[] = [];
  private readonly noteIds: number[] = [];

  constructor(private readonly ctx: Context) {}

  /** Writes the bytes to a temporary name beside `final` (relative to the workspace). */
  async write(final: string, data: Buffer | string): Promise<WrittenFile> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const temp = await this.note(final, sha256(bytes));
    await writeSynced(this.ctx.paths.absolute(temp), bytes);
    return { path: final, sha256: sha256(bytes), bytes: bytes.length };
  }

  /** Copies a file to a temporary name beside `final`, checking the copy against the fingerprint it must have. */
  async copy(source: string, final: string, expectedSha: string): Promise<WrittenFile> {
    const temp = await this.note(final, expectedSha);
    const absolute = this.ctx.paths.absolute(temp);
    await copyFileDurable(source, absolute);
    if ((await sha256File(absolute)) !== expectedSha) throw new Error(`copy of ${source} does not match its hash`);
    return { path: final, sha256: expectedSha, bytes: (await fs.stat(absolute)).size };
  }

  /** A recorded file to remove once what replaces it is recorded. */
  async removeAfter(relative: string): Promise<void> {
    this.noteIds.push(...(await this.ctx.store.noteRemovals(this.ctx.owner, [relative])));
    this.removals.push(relative);
  }

  /** The records are committed: put the files in place and remove what they replace. */
  async finish(): Promise<void> {
    for (const w of this.writes) await moveIntoPlace(this.ctx, w.temp, w.final);
    for (const r of this.removals) await fs.rm(this.ctx.paths.absolute(r), { force: true });
    await this.ctx.store.forget(this.noteIds);
  }

  /** The records were not made: take the temporary files back. */
  async abandon(): Promise<void> {
    for (const w of this.writes) await fs.rm(this.ctx.paths.absolute(w.temp), { force: true });
    await this.ctx.store.forget(this.noteIds);
  }

  /** Runs `work` (writing files into the batch); if it fails, what it wrote is taken back before the failure goes on. */
  async writing<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      await this.abandon();
      throw e;
    }
  }

  /** Runs `record` (the commit of what was written); finishes after it, or undoes if it fails or returns false. */
  async commit<T>(record: () => Promise<T>, recorded: (result: T) => boolean = () => true): Promise<T> {
    let result: T;
    try {
      result = await record();
    } catch (e) {
      await this.abandon();
      throw e;
    }
    if (recorded(result)) await this.finish();
    else await this.abandon();
    return result;
  }

  private async note(final: string, sha: string): Promise<string> {
    const temp = this.ctx.paths.relative(tempBeside(this.ctx.paths.absolute(final)));
    await fs.mkdir(path.dirname(this.ctx.paths.absolute(final)), { recursive: true });
    this.noteIds.push(...(await this.ctx.store.noteFiles(this.ctx.owner, [{ temp, final, sha256: sha }])));
    this.writes.push({ temp, final });
    return temp;
  }
}

async function moveIntoPlace(ctx: Context, temp: string, final: string): Promise<void> {
  const from = ctx.paths.absolute(temp);
  if (!(await exists(from))) return;
  await fs.rename(from, ctx.paths.absolute(final));
  await syncDir(path.dirname(ctx.paths.absolute(final)));
}

/**
 * Finishes or undoes the file work of processes that stopped: a file whose record was committed
 * (the registry has its fingerprint at its final path) is put in place; one never recorded is
 * removed; a replaced file no longer recorded is removed. Returns how many notes were settled.
 */
export async function recoverFiles(ctx: Context): Promise<number> {
  const notes = (await ctx.store.notes()).filter((n) => ownerHasStopped(n.owner));
  for (const n of notes) {
    if (n.kind === 'write') {
      if ((await ctx.store.recordedSha(n.final)) === n.sha256) await moveIntoPlace(ctx, n.temp, n.final);
      else await fs.rm(ctx.paths.absolute(n.temp), { force: true });
    } else if ((await ctx.store.recordedSha(n.final)) === null) {
      await fs.rm(ctx.paths.absolute(n.final), { force: true });
    }
  }
  if (notes.length) await ctx.store.forget(notes.map((n) => n.id));
  return notes.length;
}
