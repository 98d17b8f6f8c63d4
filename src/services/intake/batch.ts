import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stagingOwnedByLiveProcess } from '../../adapters/system/process.js';
import { describeError } from '../../domain/problems.js';
import type { IntakeContext } from './context.js';
import { listInbox, StabilityTracker, type InboxItem } from './inbox.js';
import { finishIntake, ingestItem, setAsideFor, type IntakeResult, type RegistrationTurn } from './ingest.js';
import type { IntakeReporter } from './reporter.js';

/**
 * Finishes what a stopped process left half-done: cases committed whose files were not yet moved
 * or whose inbox copy was not yet cleared; staging folders of dead processes with no case.
 */
export async function recoverUnfinished(ctx: IntakeContext): Promise<number> {
  const pending = await ctx.store.unfinishedIntakes();
  for (const row of pending) {
    if (row.stagingDir && stagingOwnedByLiveProcess(row.stagingDir)) continue;
    await finishIntake(ctx, row);
    ctx.log.info({ case: row.number }, 'finished interrupted intake');
  }
  let entries: string[] = [];
  try {
    entries = await fs.readdir(ctx.paths.staging);
  } catch {
    return pending.length;
  }
  const referenced = new Set((await ctx.store.unfinishedIntakes()).map((r) => r.stagingDir && path.basename(r.stagingDir)));
  for (const name of entries) {
    if (referenced.has(name) || stagingOwnedByLiveProcess(name)) continue;
    // Copies made before a commit that never happened; the originals are still in the inbox.
    await fs.rm(path.join(ctx.paths.staging, name), { recursive: true, force: true });
    ctx.log.info({ staging: name }, 'removed abandoned staging folder');
  }
  return pending.length;
}

/** An item that fails this often, with errors we did not foresee, is set aside instead of tried forever. */
export const MAX_ATTEMPTS = 3;

/** Counts unforeseen failures per inbox item (by name and content signature) across scans. */
export class FailureLedger {
  private readonly counts = new Map<string, number>();

  fail(item: InboxItem): number {
    const key = `${item.name}\0${item.signature}`;
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count;
  }
}

/**
 * Takes a batch of ready items, several at a time so decoding overlaps reading. Results come in
 * item order. An unforeseen error leaves the item in the inbox to be tried again; after
 * MAX_ATTEMPTS it is set aside with a note, so one bad file never stops the others.
 */
export async function ingestBatch(ctx: IntakeContext, items: InboxItem[], reporter: IntakeReporter, ledger = new FailureLedger()): Promise<IntakeResult[]> {
  const results: IntakeResult[] = [];
  if (items.length === 0) return results;
  reporter.batchStarted(items.length);
  const turns = orderedTurns(items.length);
  const queue = items.map((item, index) => ({ item, index, turn: turns[index]! }));
  const lanes = Math.max(1, ctx.ocr.size + 1);
  await Promise.all(
    Array.from({ length: Math.min(lanes, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        try {
          let result: IntakeResult;
          try {
            result = await ingestItem(ctx, next.item, next.turn);
          } catch (e) {
            result = await afterFailure(ctx, next.item, e, ledger.fail(next.item));
          }
          results[next.index] = result;
          reporter.itemDone(result);
          // Its blank instruction sheet is made by a background process in the time the OCR leaves.
          if (result.kind === 'registered') ctx.background?.casesRegistered();
        } finally {
          next.turn.done(); // an item that failed before its turn must not hold up the rest
        }
      }
    }),
  );
  reporter.batchDone(results);
  ctx.background?.batchEnded();
  return results;
}

async function afterFailure(ctx: IntakeContext, item: InboxItem, error: unknown, attempts: number): Promise<IntakeResult> {
  ctx.log.error({ item: item.name, attempts, err: describeError(error) }, 'intake failed');
  if ((error as NodeJS.ErrnoException).code === 'ENOSPC') {
    // Setting the file aside would not help: nothing can be written until there is room again.
    return { kind: 'failed', item: item.name, reason: 'disk-full', attempts };
  }
  if (attempts < MAX_ATTEMPTS) return { kind: 'failed', item: item.name, reason: 'will-retry', attempts };
  return setAsideFor(ctx, item, ctx.paths.setAside(ctx.settings.intake.setAsideFolder), { code: 'internal-error', attempts });
}

function orderedTurns(count: number): RegistrationTurn[] {
  const finished: Promise<void>[] = [];
  const release: (() => void)[] = [];
  for (let i = 0; i < count; i++) finished.push(new Promise<void>((resolve) => release.push(resolve)));
  return finished.map((_, i) => ({ wait: () => (i === 0 ? Promise.resolve() : finished[i - 1]!), done: () => release[i]!() }));
}

/** `xinfang ingest`: what is in the inbox now, once its files have stopped changing. */
export async function ingestOnce(ctx: IntakeContext, reporter: IntakeReporter): Promise<IntakeResult[]> {
  await recoverUnfinished(ctx);
  const settleMs = ctx.settings.intake.stableSeconds * 1000;
  const tracker = new StabilityTracker(settleMs);
  const folder = ctx.settings.intake.setAsideFolder;
  tracker.ready(await listInbox(ctx.paths.inbox, folder), Date.now());
  if (settleMs > 0) await sleep(settleMs);
  const items = await listInbox(ctx.paths.inbox, folder);
  const ready = tracker.ready(items, Date.now());
  const waiting = items.length - ready.length;
  if (waiting > 0) reporter.note({ kind: 'still-writing', count: waiting });
  const results = await ingestBatch(ctx, ready, reporter);
  await ctx.background?.settled();
  return results;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `xinfang watch`: takes letters as they arrive until `stop` is signalled. One scan at a time;
 * a wake-up during a scan schedules one more.
 */
export async function watchAndIngest(
  ctx: IntakeContext,
  reporter: IntakeReporter,
  watch: (wake: () => void) => () => Promise<void>,
  stopSignal: AbortSignal,
): Promise<void> {
  await recoverUnfinished(ctx);
  const tracker = new StabilityTracker(ctx.settings.intake.stableSeconds * 1000);
  const folder = ctx.settings.intake.setAsideFolder;
  const ledger = new FailureLedger();
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let idle: Promise<void> = Promise.resolve();

  const scan = async (): Promise<void> => {
    if (stopSignal.aborted) return;
    running = true;
    try {
      do {
        again = false;
        const now = Date.now();
        const ready = tracker.ready(await listInbox(ctx.paths.inbox, folder), now);
        await ingestBatch(ctx, ready, reporter, ledger);
        for (const item of ready) tracker.forget(item.name);
        const next = tracker.nextCheck(Date.now());
        if (next !== undefined) {
          clearTimeout(timer);
          timer = setTimeout(wake, next - Date.now() + 50);
        }
      } while (again && !stopSignal.aborted);
    } catch (e) {
      ctx.log.error({ err: String(e) }, 'scan failed');
      reporter.note({ kind: 'scan-failed', error: String(e) });
    } finally {
      running = false;
    }
  };
  const wake = () => {
    if (stopSignal.aborted) return;
    if (running) again = true;
    else idle = scan();
  };
  const stopWatching = watch(wake);
  wake();
  await new Promise<void>((resolve) => stopSignal.addEventListener('abort', () => resolve(), { once: true }));
  clearTimeout(timer);
  await stopWatching();
  await idle;
  // The scan that was running when the stop came may have set the next check after the first clear.
  clearTimeout(timer);
  await ctx.background?.settled();
}
