/**
 * Scans handed in through the web: written into the inbox as the shared folder would receive
 * them, so they go through the same intake. A file is written under a hidden temporary name the
 * intake ignores and renamed into place; the pages of one letter arrive as one folder, renamed
 * into place whole, so the intake never sees half a letter.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { exists, nameVariants, syncDir, writeFileAtomic, writeFileNew } from '../../adapters/files/fs-safe.js';
import { sha256 } from '../../adapters/files/hash.js';
import type { Actor } from '../../domain/case.js';
import { fail } from '../../domain/problems.js';
import { can } from '../../domain/roles.js';
import type { ServiceContext } from '../context.js';
import { isIgnoredName } from './ignore.js';
import { listInbox } from './inbox.js';

export interface Upload {
  name: string;
  data: Buffer;
}

export interface InboxView {
  /** Waiting to be read or being read now. */
  waiting: { name: string; files: number; bytes: number }[];
  /** Set aside, each with the reason written beside it. */
  setAside: { name: string; reason: string }[];
}

export class InboxService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Puts uploaded scans into the inbox: each file a letter, or all of them the pages of one letter. Returns the names given. */
  async receive(actor: Actor, uploads: Upload[], asOneLetter: boolean): Promise<string[]> {
    if (!can(actor, 'upload')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '上传扫描件' });
    const inbox = this.ctx.paths.inbox;
    await fs.mkdir(inbox, { recursive: true });
    const clean = uploads.filter((u) => u.data.length > 0).map((u) => ({ ...u, name: safeName(u.name, this.ctx.settings.intake.setAsideFolder) }));
    if (clean.length === 0) fail({ code: 'empty' });
    // Noted before the files reach the inbox, so the intake always knows who handed them in.
    const at = this.ctx.clock();
    await this.ctx.store.noteUploads(clean.map((u) => ({ sha256: sha256(u.data), name: u.name, by: actor.name, at })));
    if (asOneLetter && clean.length > 1) {
      const hidden = path.join(inbox, `.upload-${randomBytes(4).toString('hex')}`);
      await fs.mkdir(hidden);
      for (const [i, u] of clean.entries()) await writeFileAtomic(path.join(hidden, `${String(i + 1).padStart(2, '0')}_${u.name}`), u.data);
      const name = await this.freeName(`${path.parse(clean[0]!.name).name}（${clean.length}页）`);
      await fs.rename(hidden, path.join(inbox, name));
      await syncDir(inbox);
      this.ctx.log.info({ by: actor.name, letter: name, pages: clean.length }, 'uploaded a letter of several pages');
      return [name];
    }
    const names: string[] = [];
    // Each file claims its name as it is put in place: two clerks uploading 扫描.pdf at once get 扫描.pdf and 扫描（2）.pdf.
    for (const u of clean) {
      for (const name of nameVariants(u.name)) {
        if (await writeFileNew(path.join(inbox, name), u.data)) {
          names.push(name);
          break;
        }
      }
    }
    this.ctx.log.info({ by: actor.name, files: names }, 'uploaded scans');
    return names;
  }

  /** What the inbox holds now: letters waiting, and those set aside with why. */
  async view(actor: Actor): Promise<InboxView> {
    if (!can(actor, 'upload') && !can(actor, 'see-all-cases')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '查看收件箱' });
    const folder = this.ctx.settings.intake.setAsideFolder;
    const waiting = (await listInbox(this.ctx.paths.inbox, folder)).map((i) => ({ name: i.name, files: i.files.length, bytes: i.bytes }));
    const asideDir = this.ctx.paths.setAside(folder);
    const setAside: InboxView['setAside'] = [];
    const names = (await exists(asideDir)) ? (await fs.readdir(asideDir)).sort() : [];
    for (const name of names.filter((n) => !n.endsWith('.原因.txt') && !isIgnoredName(n))) {
      const note = path.join(asideDir, `${name}.原因.txt`);
      const text = (await exists(note)) ? await fs.readFile(note, 'utf8') : '';
      setAside.push({ name, reason: /原因：(.*)/.exec(text)?.[1] ?? '' });
    }
    return { waiting, setAside };
  }

  /** Puts a set-aside file back into the inbox to be tried again (once the clerk has fixed what was wrong). */
  async retry(actor: Actor, name: string): Promise<string> {
    if (!can(actor, 'upload')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '重新登记' });
    const asideDir = this.ctx.paths.setAside(this.ctx.settings.intake.setAsideFolder);
    // Only a file listed as set aside, by its exact name: never a path, the folder itself or its notes.
    if (!(await this.view(actor)).setAside.some((s) => s.name === name)) fail({ code: 'unknown-case', reference: name });
    const from = path.join(asideDir, name);
    const target = await this.freeName(name);
    await fs.rename(from, path.join(this.ctx.paths.inbox, target));
    await fs.rm(path.join(asideDir, `${name}.原因.txt`), { force: true });
    return target;
  }

  private async freeName(name: string): Promise<string> {
    for (const candidate of nameVariants(name)) if (!(await exists(path.join(this.ctx.paths.inbox, candidate)))) return candidate;
    throw new Error('unreachable: the name variants never end');
  }
}

/** A file name as the browser sent it, made safe for the inbox folder: no path, no control characters. */
function safeName(name: string, setAsideFolder: string): string {
  let base = path.basename(name.replace(/\\/g, '/')).replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_').replace(/^[.~$]+/, '');
  // A name the intake would pass over (a download's .part, an Office lock file) or take for its own folder is made one it reads.
  if (!base || base === setAsideFolder) base = `扫描件_${base}`;
  if (isIgnoredName(base)) base = `${base}_`;
  return base;
}
