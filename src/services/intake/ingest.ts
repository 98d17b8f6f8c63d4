import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { copyFileDurable, exists, moveDurable, syncDir, writeFileAtomic } from '../../adapters/files/fs-safe.js';
import { sha256, sha256File } from '../../adapters/files/hash.js';
import { buildSearchablePdf } from '../../adapters/pdfkit/searchable-pdf.js';
import { stagingOwnedByLiveProcess } from '../../adapters/system/process.js';
import { SYSTEM_ACTOR, type Case, type DocumentRecord, type NewPetition } from '../../domain/case.js';
import { yearInZone } from '../../domain/case-number.js';
import { extractFields } from '../../domain/extract/letter-fields.js';
import type { Flag } from '../../domain/flags.js';
import type { PaperCode } from '../../domain/paper-code.js';
import { describeError, fail, isScanProblem, isXinfangError, type Problem } from '../../domain/problems.js';
import { learnedRules } from '../classifiers.js';
import { problemText } from '../../domain/words.js';
import { FileBatch } from '../files.js';
import type { IntakeContext } from './context.js';
import { decodeScan, type ScanPage } from './decode.js';
import { findPaperCode } from './find-code.js';
import { itemAt, type InboxItem } from './inbox.js';
import { limitsFrom } from './limits.js';
import { readPage, type ReadPage } from './read-page.js';
import { setAside } from './set-aside.js';

export type IntakeResult =
  | { kind: 'registered'; item: string; case: Case; pages: number; confidence: number; lowConfidence: boolean }
  | { kind: 'filed'; item: string; case: Case; paperKind: string; pages: number }
  | { kind: 'duplicate'; item: string; of: Case; movedTo: string }
  | { kind: 'set-aside'; item: string; problem: Problem; movedTo: string }
  | { kind: 'taken-elsewhere'; item: string; case: Case }
  | { kind: 'gone'; item: string }
  /** Not taken in for now: the file stays in the inbox and is tried again. */
  | { kind: 'failed'; item: string; reason: 'disk-full' | 'will-retry'; attempts: number };

/**
 * Takes one inbox item in, in this order: fingerprint → duplicate check → decode → read →
 * stage the files → number and commit → move the files into place → clear the inbox.
 * Nothing leaves the inbox before the commit; every step after it can be repeated safely.
 */
export async function ingestItem(ctx: IntakeContext, item: InboxItem, turn: RegistrationTurn = FREE_TURN): Promise<IntakeResult> {
  const setAsideDir = ctx.paths.setAside(ctx.settings.intake.setAsideFolder);
  try {
    const { letterSha, fileHashes } = await letterHash(item);

    const paperKey = item.kind === 'file' ? letterSha : fileHashes[0]!;
    const returned = await ctx.store.findReturnedPaper(paperKey);
    if (returned && returned.sourceName === item.name) {
      // Filed before the process stopped, but not yet cleared from the inbox.
      await removeFromInbox(item.path, letterSha);
      return { kind: 'taken-elsewhere', item: item.name, case: returned.case };
    }
    if (returned) return await handleKnown(ctx, item, letterSha, returned.case, setAsideDir, true);
    const known = await ctx.store.findByContent(letterSha);
    if (known) return await handleKnown(ctx, item, letterSha, known, setAsideDir);

    const maxBytes = ctx.settings.intake.maxFileMegabytes * 1024 * 1024;
    const tooBig = item.files.length && (await Promise.all(item.files.map((f) => fs.stat(f)))).find((s) => s.size > maxBytes);
    if (tooBig) fail({ code: 'too-large', megabytes: Number((tooBig.size / 1048576).toFixed(0)), max: ctx.settings.intake.maxFileMegabytes });

    const started = performance.now();
    const scans = await decodeAll(ctx, item);
    // A page of ours come back (signed sheet, stamped reply) is filed to its case, not registered.
    const code = await findPaperCode(scans[0]!);
    const target = code ? await ctx.store.caseByNumber(code.caseNumber) : undefined;
    if (code && !target) fail({ code: 'unknown-paper-case', caseNumber: code.caseNumber, kind: code.kind });
    // Pages of one letter are read side by side across the OCR workers.
    const pages = await Promise.all(scans.map((page) => readPage(page, ctx.ocr, ctx.settings)));
    if (code && target) return await fileReturnedPaper(ctx, item, target, code, pages, fileHashes);
    const read = performance.now();
    const receivedAt = ctx.clock();
    const staged = await stage(ctx, item, letterSha, fileHashes, pages, receivedAt);
    const stagedAt = performance.now();
    let registered: Case;
    await turn.wait();
    const turnAt = performance.now();
    try {
      const outcome = await ctx.store.register(staged.petition, (year, number) => ctx.paths.caseFolder(year, number));
      if (!outcome.created) {
        await fs.rm(staged.dir, { recursive: true, force: true });
        // Another letter with the same bytes won the race: a copy under another name is a duplicate;
        // the same inbox file means another watcher took it, and it will clear the inbox.
        if (outcome.existing.sourceName === item.name) return { kind: 'taken-elsewhere', item: item.name, case: outcome.existing };
        return await handleKnown(ctx, item, letterSha, outcome.existing, setAsideDir);
      }
      registered = outcome.case;
    } catch (e) {
      await fs.rm(staged.dir, { recursive: true, force: true });
      throw e;
    } finally {
      turn.done();
    }
    const committed = performance.now();
    await ctx.alerts?.registered(registered);
    await finishIntake(ctx, registered);
    const ms = (from: number, to: number) => Math.round(to - from);
    ctx.log.info(
      { case: registered.number, item: item.name, sha256: letterSha, pages: pages.length, readMs: ms(started, read), stageMs: ms(read, stagedAt), waitMs: ms(stagedAt, turnAt), commitMs: ms(turnAt, committed), finishMs: ms(committed, performance.now()) },
      'registered',
    );
    const confidence = registered.ocrConfidence ?? 0;
    return { kind: 'registered', item: item.name, case: registered, pages: pages.length, confidence, lowConfidence: pages.some((p) => p.lowConfidence) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !(await exists(item.path))) return { kind: 'gone', item: item.name };
    if (!isXinfangError(e)) {
      ctx.log.error({ item: item.name, err: describeError(e) }, 'intake failed unexpectedly');
      throw e;
    }
    ctx.log.warn({ item: item.name, code: e.code }, 'set aside');
    return setAsideFor(ctx, item, setAsideDir, e.problem);
  }
}

/**
 * Letters of one batch are numbered in the order they lay in the inbox, even though they are read
 * side by side: each waits for the one before it to be numbered (or to fail) first.
 */
export interface RegistrationTurn {
  wait(): Promise<void>;
  done(): void;
}

const FREE_TURN: RegistrationTurn = { wait: async () => {}, done: () => {} };

/** Sets an item aside with a note saying why; the result says where it went. */
export async function setAsideFor(ctx: IntakeContext, item: InboxItem, folder: string, problem: Problem): Promise<IntakeResult> {
  const movedTo = await setAside(item, folder, { code: problem.code, message: problemText(problem) }, ctx.clock(), ctx.settings.office.timezone);
  if (!movedTo) return { kind: 'gone', item: item.name };
  return { kind: 'set-aside', item: item.name, problem, movedTo };
}

async function handleKnown(ctx: IntakeContext, item: InboxItem, letterSha: string, known: Case, setAsideDir: string, returnedPaper = false): Promise<IntakeResult> {
  if (known.intakeState === 'committed' && known.sourceSha256 === letterSha && known.sourceName === item.name) {
    // Registered, but not yet cleared from the inbox: by another watcher still at work (leave it
    // to that one), or by a process that stopped (finish its work). Never register it twice.
    if (!(known.stagingDir && stagingOwnedByLiveProcess(known.stagingDir))) await finishIntake(ctx, known);
    return { kind: 'taken-elsewhere', item: item.name, case: known };
  }
  const problem: Problem = returnedPaper ? { code: 'duplicate-paper', of: known.number } : { code: 'duplicate', of: known.number, sourceName: known.sourceName ?? '' };
  const movedTo = await setAside(item, setAsideDir, { code: 'duplicate', message: problemText(problem) }, ctx.clock(), ctx.settings.office.timezone);
  if (!movedTo) return { kind: 'gone', item: item.name };
  ctx.log.info({ item: item.name, of: known.number }, 'duplicate set aside');
  return { kind: 'duplicate', item: item.name, of: known, movedTo };
}

async function decodeAll(ctx: IntakeContext, item: InboxItem): Promise<ScanPage[]> {
  const limits = limitsFrom(ctx.settings);
  const pages: ScanPage[] = [];
  for (const file of item.files) {
    const bytes = await fs.readFile(file);
    try {
      const scan = await decodeScan(bytes, limits);
      pages.push(...scan.pages);
    } catch (e) {
      if (isXinfangError(e) && item.kind === 'folder' && isScanProblem(e.problem)) fail({ ...e.problem, file: path.basename(file) });
      throw e;
    }
    if (pages.length > limits.maxPages) fail({ code: 'too-many-pages', max: limits.maxPages, pages: null });
  }
  if (pages.length === 0) fail({ code: 'no-pages', in: 'folder' });
  return pages;
}

/** How a returned paper is named in the history. */
const RETURNED_LABEL: Record<string, string> = { 批办单: '领导签批的批办单', 信访处理意见书: '盖章的信访处理意见书原件' };

/**
 * Files a returned paper into its case's folder: its scan as it came, a searchable copy with its
 * own OCR text, one history entry. The files go through the file journal (written aside, recorded,
 * then put in place), so a stop leaves either the filed paper or nothing; the inbox is cleared after.
 */
async function fileReturnedPaper(ctx: IntakeContext, item: InboxItem, target: Case, code: PaperCode, pages: ReadPage[], fileHashes: string[]): Promise<IntakeResult> {
  const stem = `收回_${code.kind}_${fileHashes[0]!.slice(0, 8)}`;
  const text = pages.map((p) => p.text).join('\n\n');
  const batch = new FileBatch(ctx);
  const documents: DocumentRecord[] = [];
  try {
    for (const [i, file] of item.files.entries()) {
      const name = item.kind === 'file' ? `${stem}_${safeName(item.name)}` : `${stem}_${String(i + 1).padStart(2, '0')}_${safeName(path.basename(file))}`;
      const copied = await batch.copy(file, `${target.folder}/${name}`, fileHashes[i]!);
      documents.push({ role: 'returned', kind: code.kind, path: copied.path, sha256: copied.sha256, pages: item.kind === 'file' ? pages.length : 1, bytes: copied.bytes, text, sourceName: item.name });
    }
    const pdf = await buildSearchablePdf(
      pages.map((p) => ({ kept: p.kept, readSize: p.readSize, uprightSize: p.uprightSize, turn: p.rotation + p.skew, lines: p.lines })),
      `${target.number} ${code.kind}（收回件）`,
      ctx.clock(),
    );
    const searchable = await batch.write(`${target.folder}/${stem}_可检索.pdf`, pdf);
    documents.push({ role: 'returned', kind: code.kind, path: searchable.path, sha256: searchable.sha256, pages: pages.length, bytes: searchable.bytes, text, sourceName: null });
  } catch (e) {
    await batch.abandon();
    throw e;
  }
  const label = RETURNED_LABEL[code.kind] ?? `${code.kind}（纸质件）`;
  // Handed in through the web: filed under the person who handed it in, as a letter is registered.
  const filedBy = (await ctx.store.uploaderOf(fileHashes)) ?? (ctx.settings.office.clerk || SYSTEM_ACTOR);
  const { case: row, filed } = await batch.commit(
    () =>
      ctx.store.fileReturnedPaper(target.id, documents, {
        at: ctx.clock().toISOString(),
        actor: filedBy,
        action: 'paper-filed',
        detail: `收回${label}，扫描件“${item.name}”共 ${pages.length} 页，已归入本案`,
      }),
    (result) => result.filed,
  );
  if (!filed) return await handleKnown(ctx, item, fileHashes[0]!, row, ctx.paths.setAside(ctx.settings.intake.setAsideFolder), true);
  await removeFromInbox(item.path, item.kind === 'file' ? fileHashes[0]! : sha256(fileHashes.join('\n')));
  ctx.log.info({ case: row.number, item: item.name, kind: code.kind, pages: pages.length }, 'returned paper filed');
  return { kind: 'filed', item: item.name, case: row, paperKind: code.kind, pages: pages.length };
}

interface Staged {
  dir: string;
  petition: NewPetition;
}

/** Writes every file of the new case into a private staging folder, synced, before numbering. */
async function stage(ctx: IntakeContext, item: InboxItem, letterSha: string, fileHashes: string[], pages: ReadPage[], receivedAt: Date): Promise<Staged> {
  const dir = path.join(ctx.paths.staging, `${letterSha.slice(0, 16)}-${process.pid}-${randomBytes(3).toString('hex')}`);
  await fs.mkdir(dir, { recursive: true });
  try {
    return await writeStaged(ctx, dir, item, letterSha, fileHashes, pages, receivedAt);
  } catch (e) {
    // The inbox still holds the letter; a half-made copy is of no use to anyone.
    await fs.rm(dir, { recursive: true, force: true });
    throw e;
  }
}

async function writeStaged(ctx: IntakeContext, dir: string, item: InboxItem, letterSha: string, fileHashes: string[], pages: ReadPage[], receivedAt: Date): Promise<Staged> {
  const documents: NewPetition['documents'] = [];
  for (const [i, file] of item.files.entries()) {
    const fileName = item.kind === 'file' ? `原件_${safeName(item.name)}` : `原件_${String(i + 1).padStart(2, '0')}_${safeName(path.basename(file))}`;
    await copyFileDurable(file, path.join(dir, fileName));
    const copied = await sha256File(path.join(dir, fileName));
    if (copied !== fileHashes[i]) throw new Error(`copy of ${file} does not match its hash`);
    const stat = await fs.stat(path.join(dir, fileName));
    documents.push({ role: 'original', fileName, sha256: copied, pages: 0, bytes: stat.size });
  }
  const pdf = await buildSearchablePdf(
    pages.map((p) => ({ kept: p.kept, readSize: p.readSize, uprightSize: p.uprightSize, turn: p.rotation + p.skew, lines: p.lines })),
    `来信 ${item.name}`,
    receivedAt,
  );
  await writeFileAtomic(path.join(dir, SEARCHABLE_NAME), pdf);
  documents.push({ role: 'searchable', fileName: SEARCHABLE_NAME, sha256: sha256(pdf), pages: pages.length, bytes: pdf.length });
  // Page counts of originals: one file per page in a folder, all pages in a single file.
  for (const doc of documents) if (doc.role === 'original') doc.pages = item.kind === 'file' ? pages.length : 1;
  await syncDir(dir);
  const text = pages.map((p) => p.text).join('\n\n');
  const extraction = extractFields(text, await learnedRules(ctx));
  const flags: Flag[] = [
    ...extraction.flags,
    ...(pages.some((p) => p.lowConfidence) ? (['low-confidence'] as const) : []),
    // The recogniser was sure of what it read, but the page's ink says more is there (or it is not language).
    ...(pages.some((p) => p.doubts.includes('text-unread')) ? (['text-unread'] as const) : []),
  ];
  return {
    dir,
    petition: {
      channel: '来信',
      receivedAt,
      year: yearInZone(receivedAt, ctx.settings.office.timezone),
      text,
      extraction,
      flags,
      source: { name: item.name, sha256: letterSha, stagingDir: ctx.paths.relative(dir) },
      // A scan handed in through the web is registered under the person who handed it in; one from
      // the shared folder under the office's default clerk when the settings name one.
      registeredBy: (await ctx.store.uploaderOf(fileHashes)) ?? (ctx.settings.office.clerk || undefined),
      ocrEngine: ctx.ocr.engineName,
      pages: pages.map((p) => ({
        text: p.text,
        confidence: p.confidence,
        lowConfidence: p.lowConfidence,
        rotation: p.rotation,
        skew: p.skew,
        lines: p.lines.map((l) => ({ text: l.text, confidence: round(l.confidence, 4), box: l.box.map((v) => Math.round(v)) as [number, number, number, number] })),
        // The frame the boxes are in: a line's picture is cut from the page image by it.
        frame: p.uprightSize,
      })),
      documents,
    },
  };
}

const SEARCHABLE_NAME = '来信_可检索.pdf';

/**
 * After the commit: move the staged files to the case folder, then clear the inbox, then mark
 * the intake done. Each step checks what is already done, so it can be repeated after a kill.
 */
export async function finishIntake(ctx: Pick<IntakeContext, 'paths' | 'store'>, row: Case): Promise<void> {
  const finalDir = ctx.paths.absolute(row.folder);
  if (row.stagingDir) {
    const stagingDir = ctx.paths.absolute(row.stagingDir);
    if (await exists(stagingDir)) {
      if (await exists(finalDir)) throw new Error(`case folder ${row.folder} exists while its staging folder remains`);
      await fs.mkdir(path.dirname(finalDir), { recursive: true });
      await moveDurable(stagingDir, finalDir);
    }
  }
  if (!(await exists(finalDir))) throw new Error(`case folder ${row.folder} is missing`);
  if (row.sourceName) await removeFromInbox(path.join(ctx.paths.inbox, row.sourceName), row.sourceSha256);
  await ctx.store.markIntakeDone(row.id);
}

/** Removes the inbox item only if it is still the very letter we registered. */
async function removeFromInbox(itemPath: string, expectedSha: string | null): Promise<void> {
  const item = await itemAt(itemPath);
  if (!item) return;
  if (expectedSha && (await letterHash(item)).letterSha !== expectedSha) return;
  await fs.rm(itemPath, { recursive: item.kind === 'folder' });
}

/** The fingerprint of a letter: its file's SHA-256, or for a folder the hash of its pages' hashes. */
async function letterHash(item: InboxItem): Promise<{ letterSha: string; fileHashes: string[] }> {
  const fileHashes = await Promise.all(item.files.map((f) => sha256File(f)));
  const letterSha = item.kind === 'file' ? fileHashes[0]! : sha256(fileHashes.join('\n'));
  return { letterSha, fileHashes };
}

function safeName(name: string): string {
  return name.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_');
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
