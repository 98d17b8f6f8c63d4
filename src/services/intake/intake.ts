import type { BackgroundWork } from '../../ports/jobs.js';
import type { PageReader } from '../../ports/ocr.js';
import type { ServiceContext } from '../context.js';
import { ingestOnce, watchAndIngest } from './batch.js';
import type { IntakeContext } from './context.js';
import { ingestItem, type IntakeResult } from './ingest.js';
import type { InboxItem } from './inbox.js';
import type { IntakeReporter } from './reporter.js';

/** Watches a folder and calls `wake` when something in it may have changed; returns how to stop. */
export type FolderWatch = (folder: string, wake: () => void) => () => Promise<void>;

/** Taking scans in from the inbox: once (what is there now), or watching until told to stop. */
export class IntakeService {
  private readonly ctx: IntakeContext;

  constructor(
    base: ServiceContext,
    ocr: PageReader,
    background: BackgroundWork | undefined,
    private readonly watchFolder: FolderWatch,
  ) {
    this.ctx = { ...base, ocr, background };
  }

  /** What is in the inbox now, once its files have stopped changing. */
  ingestOnce(reporter: IntakeReporter): Promise<IntakeResult[]> {
    return ingestOnce(this.ctx, reporter);
  }

  /** Takes letters as they arrive until `stop` is signalled; the letter being read is finished first. */
  watch(reporter: IntakeReporter, stop: AbortSignal): Promise<void> {
    return watchAndIngest(this.ctx, reporter, (wake) => this.watchFolder(this.ctx.paths.inbox, wake), stop);
  }

  /**
   * One letter, as a queue's job hands it over (a copy of the stored scan, named as it came):
   * read, staged, registered, finished; a second run for the same letter finds its case and only finishes.
   */
  ingestOne(item: InboxItem): Promise<IntakeResult> {
    return ingestItem(this.ctx, item);
  }

  /** Stops the OCR engines. */
  close(): Promise<void> {
    return this.ctx.ocr.close();
  }
}
