import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isIgnoredName } from './ignore.js';

/** One letter waiting in the inbox: a single file, or a folder whose files are its pages. */
export interface InboxItem {
  /** Name directly under inbox/. */
  name: string;
  path: string;
  kind: 'file' | 'folder';
  /** The page files, in name order (one for a single file). */
  files: string[];
  /** Changes whenever any file's size or time changes: used to tell when copying has finished. */
  signature: string;
  bytes: number;
}

const byName = new Intl.Collator('zh-CN', { numeric: true }).compare;

/** Lists what is waiting in the inbox now, leaving out system files and the set-aside folder. */
export async function listInbox(inbox: string, setAsideFolder: string): Promise<InboxItem[]> {
  let entries;
  try {
    entries = await fs.readdir(inbox, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const items: InboxItem[] = [];
  for (const entry of entries.sort((a, b) => byName(a.name, b.name))) {
    if (entry.name === setAsideFolder || isIgnoredName(entry.name)) continue;
    const full = path.join(inbox, entry.name);
    if (!entry.isFile() && !entry.isDirectory()) continue;
    // Undefined when it vanished while we looked (moved by a clerk or another watcher).
    const item = await itemAt(full);
    if (item) items.push(item);
  }
  return items;
}

/** The item at this path as the inbox listing would describe it, or undefined if it is gone. */
export async function itemAt(full: string): Promise<InboxItem | undefined> {
  try {
    const stat = await fs.stat(full);
    const name = path.basename(full);
    if (stat.isDirectory()) return await folderItem(name, full);
    return { name, path: full, kind: 'file', files: [full], signature: `${stat.size}:${stat.mtimeMs}`, bytes: stat.size };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function folderItem(name: string, full: string): Promise<InboxItem> {
  const names = (await fs.readdir(full, { withFileTypes: true }))
    .filter((e) => e.isFile() && !isIgnoredName(e.name))
    .map((e) => e.name)
    .sort(byName);
  const parts: string[] = [];
  let bytes = 0;
  const files: string[] = [];
  for (const file of names) {
    const stat = await fs.stat(path.join(full, file));
    parts.push(`${file}:${stat.size}:${stat.mtimeMs}`);
    bytes += stat.size;
    files.push(path.join(full, file));
  }
  return { name, path: full, kind: 'folder', files, signature: parts.join('|'), bytes };
}

/**
 * Remembers each item's signature and when it last changed; an item is ready once it has
 * stayed the same for the settled time (the scanner or copy has finished writing it).
 */
export class StabilityTracker {
  private readonly seen = new Map<string, { signature: string; since: number }>();

  constructor(private readonly settleMs: number) {}

  ready(items: InboxItem[], now: number): InboxItem[] {
    const present = new Set(items.map((i) => i.name));
    for (const name of this.seen.keys()) if (!present.has(name)) this.seen.delete(name);
    const ready: InboxItem[] = [];
    for (const item of items) {
      const known = this.seen.get(item.name);
      if (!known || known.signature !== item.signature) {
        this.seen.set(item.name, { signature: item.signature, since: now });
        if (this.settleMs > 0) continue;
      }
      const since = this.seen.get(item.name)!.since;
      if (now - since >= this.settleMs && item.files.length > 0) ready.push(item);
    }
    return ready;
  }

  /** Earliest time (ms) at which a waiting item may become ready, or undefined. */
  nextCheck(now: number): number | undefined {
    let next: number | undefined;
    for (const { since } of this.seen.values()) {
      const due = since + this.settleMs;
      if (due > now && (next === undefined || due < next)) next = due;
    }
    return next;
  }

  forget(name: string): void {
    this.seen.delete(name);
  }
}
