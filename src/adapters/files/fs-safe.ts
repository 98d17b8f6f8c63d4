import { promises as fs, constants } from 'node:fs';
import path from 'node:path';

let tempCount = 0;

/** The name a write in progress has beside its final name: unique to the process and the call. */
export function tempBeside(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${++tempCount}.tmp`);
}

/**
 * A write a stopped process left beside its final name (see tempBeside; older versions named them
 * .name.<pid>.tmp): never part of the archive.
 */
export const PARTIAL_WRITE = /^\..+\.\d+(-\d+)?\.tmp$/;

/** Writes the data to a new temporary file beside `target` and syncs it; returns its path. */
async function writeSyncedBeside(target: string, data: Buffer | string): Promise<string> {
  const temp = tempBeside(target);
  await writeSynced(temp, data);
  return temp;
}

/** Writes a new file and syncs it to disk before returning. */
export async function writeSynced(file: string, data: Buffer | string): Promise<void> {
  const handle = await fs.open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes beside the final name, syncs, then renames into place: a reader never sees half a file. */
export async function writeFileAtomic(target: string, data: Buffer | string): Promise<void> {
  const temp = await writeSyncedBeside(target, data);
  await fs.rename(temp, target);
  await syncDir(path.dirname(target));
}

const LINKS_NOT_ALLOWED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Like writeFileAtomic, but never replaces a file already there: the finished file is linked to
 * its name, which fails when another process took the name first. Returns false then, having
 * written nothing. Where links are not allowed (some network shares) the name is checked first.
 */
export async function writeFileNew(target: string, data: Buffer | string): Promise<boolean> {
  const temp = await writeSyncedBeside(target, data);
  try {
    await fs.link(temp, target);
    await fs.rm(temp, { force: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code !== 'EEXIST' && !LINKS_NOT_ALLOWED.has(code)) {
      await fs.rm(temp, { force: true });
      throw e;
    }
    if (code === 'EEXIST' || (await exists(target))) {
      await fs.rm(temp, { force: true });
      return false;
    }
    await fs.rename(temp, target);
  }
  await syncDir(path.dirname(target));
  return true;
}

/** Copies a file and syncs the copy, so it survives a power cut once we return. */
export async function copyFileDurable(source: string, target: string): Promise<void> {
  await fs.copyFile(source, target, constants.COPYFILE_EXCL);
  const handle = await fs.open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some file systems (network shares) cannot sync a directory; the rename itself still stands.
  } finally {
    await handle?.close();
  }
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

/** Moves a file or folder; across devices falls back to copy then delete. */
export async function moveDurable(source: string, target: string): Promise<void> {
  try {
    await fs.rename(source, target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await fs.cp(source, target, { recursive: true, errorOnExist: true, force: false });
    await fs.rm(source, { recursive: true, force: true });
  }
  await syncDir(path.dirname(target));
}

/** Names like `name` to try in turn: 信.jpg, 信（2）.jpg, 信（3）.jpg … */
export function* nameVariants(name: string): Generator<string> {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let i = 1; ; i++) yield i === 1 ? name : `${stem}（${i}）${ext}`;
}
