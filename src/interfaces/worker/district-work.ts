/**
 * A district's work as jobs (issue 18), for `xinfang intake` and `xinfang worker` at a district's
 * root. The intake watches every community's inbox: a settled scan is copied into the shared file
 * store under its SHA-256, then in ONE transaction of the district's database it is recorded
 * (district.received_files) and its job `read-letter` enqueued; only after the commit does it
 * leave the inbox. A worker (any machine with the shared folders mounted and the connection
 * string) takes the jobs: the community's Office reads the stored scan through the intake's own
 * steps (read → stage → number → finish); a second run of the same job finds its case and only
 * finishes. A scan that cannot be read is set aside with the reason in its community's inbox, as
 * the single office does; an unforeseen error is tried again with back-off, then the job is dead.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { copyFileDurable, exists } from '../../adapters/files/fs-safe.js';
import { sha256, sha256File } from '../../adapters/files/hash.js';
import { OcrPool } from '../../adapters/ocr/pool.js';
import { openPgBossQueue } from '../../adapters/pgboss/pgboss-queue.js';
import type { District } from '../../district.js';
import type { Log } from '../../ports/log.js';
import type { PageReader } from '../../ports/ocr.js';
import type { Job, JobQueue } from '../../ports/queue.js';
import { itemAt, listInbox, StabilityTracker, type InboxItem } from '../../services/intake/inbox.js';
import type { IntakeService } from '../../services/intake/intake.js';

/** The shared file store: settings queue.files (relative to the district's root), by default archive/files/ of the district. */
export function fileStoreOf(district: District): string {
  const files = district.settings.queue.files;
  return files ? path.resolve(district.root, files) : path.join(district.root, 'archive', 'files');
}

/** Where a scan of this SHA-256 is kept in the store (relative to it). */
export const storedPath = (sha: string, name: string): string => path.join(sha.slice(0, 2), `${sha}${path.extname(name).toLowerCase()}`);

export function openDistrictQueue(district: District, log?: Log): Promise<JobQueue> {
  const q = district.settings.queue;
  return openPgBossQueue({ url: district.settings.store.postgres!, tries: q.tries, backoffSeconds: q.backoffSeconds, expireSeconds: q.expireSeconds, checkSeconds: q.checkSeconds, log });
}

export interface Received {
  community: string;
  name: string;
  sha256: string;
  jobId: string | null;
}

/**
 * One pass over every community's inbox: the scans settled since the last pass (a file, or a
 * folder of one letter's pages) go into the store and the queue.
 */
export async function receiveOnce(district: District, queue: JobQueue, trackers: Map<string, StabilityTracker>, log: Log): Promise<Received[]> {
  const store = fileStoreOf(district);
  const received: Received[] = [];
  const settleMs = district.settings.intake.stableSeconds * 1000;
  for (const community of district.communities()) {
    const inbox = path.join(community.root, 'inbox');
    let tracker = trackers.get(community.code);
    if (!tracker) trackers.set(community.code, (tracker = new StabilityTracker(settleMs)));
    const ready = tracker.ready(await listInbox(inbox, district.settings.intake.setAsideFolder), Date.now());
    for (const item of ready) {
      const one = await receiveItem(community.code, item, store, queue, log);
      if (one) received.push(one);
    }
  }
  return received;
}

/** Copies a file into the store under its SHA-256, written beside and renamed; false when it changed (or went) while copied. */
async function keep(file: string, sha: string, target: string): Promise<boolean> {
  if (await exists(target)) return true;
  await fs.mkdir(path.dirname(target), { recursive: true });
  // Written beside, then renamed: the store never holds half a scan.
  const beside = `${target}.${process.pid}.part`;
  try {
    await copyFileDurable(file, beside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  if ((await sha256File(beside)) !== sha) {
    await fs.rm(beside, { force: true });
    return false;
  }
  await fs.rename(beside, target);
  return true;
}

/** The letter's fingerprint as the intake makes it: a file's SHA-256, or a folder's pages' hashes hashed. */
async function fingerprint(item: InboxItem): Promise<{ sha: string; pages: { name: string; sha256: string; file: string }[] } | undefined> {
  try {
    const pages = await Promise.all(item.files.map(async (file) => ({ name: path.basename(file), sha256: await sha256File(file), file })));
    return { sha: item.kind === 'file' ? pages[0]!.sha256 : sha256(pages.map((p) => p.sha256).join('\n')), pages };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // taken by another intake
    throw e;
  }
}

async function receiveItem(community: string, item: InboxItem, store: string, queue: JobQueue, log: Log): Promise<Received | undefined> {
  if (item.kind === 'folder' && item.files.length === 0) return undefined; // an empty folder: a scanner still making it
  const print = await fingerprint(item);
  if (!print) return undefined;
  const { sha, pages } = print;
  // Every page into the store first (changed while copied: taken on a later pass).
  for (const page of pages) if (!(await keep(page.file, page.sha256, path.join(store, storedPath(page.sha256, page.name))))) return undefined;
  const stored = item.kind === 'file' ? storedPath(sha, item.name) : pages.map((p) => storedPath(p.sha256, p.name)).join('\n');
  let jobId: string | null = null;
  const data = { community, sha256: sha, name: item.name, ...(item.kind === 'folder' ? { pages: pages.map(({ name, sha256 }) => ({ name, sha256 })) } : {}) };
  await queue.receive({ community, sha256: sha, name: item.name, stored }, new Date(), async (tx) => {
    jobId = await queue.enqueue('read-letter', data, { in: tx, key: `${community}\0${sha}\0${item.name}` });
  });
  // Committed: only now does the scan leave the inbox (if it is still the very letter stored).
  const still = await itemAt(item.path);
  if (still && still.kind === item.kind && (await fingerprint(still))?.sha === sha) await fs.rm(item.path, { recursive: item.kind === 'folder', force: true });
  log.info({ community, item: item.name, sha256: sha, pages: pages.length, job: jobId }, 'received into the queue');
  return { community, sha256: sha, name: item.name, jobId };
}

/** `xinfang intake`: passes every intake.pollIntervalSeconds until `stop`. */
export async function receiveUntilStopped(district: District, queue: JobQueue, log: Log, stop: AbortSignal, onReceived: (r: Received[]) => void = () => {}): Promise<void> {
  const trackers = new Map<string, StabilityTracker>();
  const everyMs = Math.max(200, district.settings.intake.pollIntervalSeconds * 1000);
  while (!stop.aborted) {
    try {
      const got = await receiveOnce(district, queue, trackers, log);
      if (got.length) onReceived(got);
    } catch (e) {
      log.error({ err: (e as Error).message }, 'district intake pass failed');
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, everyMs);
      stop.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
}

/**
 * The district's intake running beside something else (`xinfang start` at a district's root) or
 * alone (`xinfang intake`): the queue opened, passes until the returned function is called, which
 * waits for the pass under way and closes the queue.
 */
export async function startDistrictIntake(district: District, log: Log, onReceived: (r: Received[]) => void): Promise<() => Promise<void>> {
  const queue = await openDistrictQueue(district, log);
  const stop = new AbortController();
  const running = receiveUntilStopped(district, queue, log, stop.signal, onReceived);
  return async () => {
    stop.abort();
    await running;
    await queue.stop({ graceful: true });
  };
}

export interface DistrictWorker {
  stop(options?: { graceful?: boolean }): Promise<void>;
}

/** `xinfang worker`: takes the district's jobs until stopped; one OCR pool for every community. */
export async function startDistrictWorker(district: District, queue: JobQueue, log: Log, options: { ocr?: PageReader } = {}): Promise<DistrictWorker> {
  const ocr = options.ocr ?? (await OcrPool.create(district.settings.ocr));
  const store = fileStoreOf(district);
  const intakes = new Map<string, Promise<IntakeService>>();
  const intakeOf = (code: string) => {
    let intake = intakes.get(code);
    if (!intake) {
      intake = district.officeFor(code).then((office) => office.openIntake({ ocr }));
      intake.catch(() => intakes.delete(code));
      intakes.set(code, intake);
    }
    return intake;
  };

  const readLetter = async (job: Job<'read-letter'>) => {
    const { community, sha256, name, pages } = job.data;
    const office = await district.officeFor(community);
    const intake = await intakeOf(community);
    // A file, or a folder's pages: each from the store under the name it came with.
    const sources = (pages ?? [{ name, sha256 }]).map((p) => ({ name: p.name, stored: storedPath(p.sha256, p.name) }));
    for (const s of sources) if (!(await exists(path.join(store, s.stored)))) throw new Error(`stored scan ${s.stored} is missing from the file store`);
    // A copy under the name it came with, so the case records it as the single office does.
    const works = path.join(office.paths.pipeline, 'queue-work');
    const prefix = `${sha256.slice(0, 16)}-${job.id.slice(0, 8)}-`;
    // The copy a worker killed while on this job left behind (the job is ours now: its lapse is over).
    for (const left of await fs.readdir(works).catch(() => [] as string[])) if (left.startsWith(prefix)) await fs.rm(path.join(works, left), { recursive: true, force: true });
    const work = path.join(works, `${prefix}${process.pid}`);
    await fs.mkdir(work, { recursive: true });
    try {
      const into = pages ? path.join(work, name) : work;
      await fs.mkdir(into, { recursive: true });
      for (const s of sources) await copyFileDurable(path.join(store, s.stored), path.join(into, s.name));
      const item = await itemAt(path.join(work, name));
      if (!item) throw new Error(`copy of ${name} vanished`);
      const result = await intake.ingestOne(item);
      if (result.kind === 'failed' || result.kind === 'gone') throw new Error(`intake ${result.kind}${'reason' in result ? `: ${result.reason}` : ''}`);
      if (result.kind === 'registered' && office.settings.workflow.blankSheets) {
        await queue.enqueue('make-sheets', { community }, { key: `${community}\0sheets\0${result.case.number}` });
      }
      return { kind: result.kind, ...('case' in result ? { number: result.case.number } : {}), ...('of' in result ? { of: result.of.number } : {}), ...('problem' in result ? { problem: result.problem.code } : {}) };
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  };

  const makeSheets = async (job: Job<'make-sheets'>) => {
    const office = await district.officeFor(job.data.community);
    const made = await office.documents.makeMissingSheets();
    return { made: made.made, failed: made.failed };
  };

  const concurrency = district.settings.queue.concurrency;
  await queue.work('read-letter', concurrency, readLetter);
  await queue.work('make-sheets', 1, makeSheets);
  log.info({ pid: process.pid, concurrency }, 'district worker started');
  return {
    stop: async ({ graceful = true } = {}) => {
      await queue.stop({ graceful, timeoutMs: Math.max(30_000, district.settings.queue.expireSeconds * 1000) });
      if (!options.ocr) await ocr.close();
    },
  };
}
