import type { IntakeResult } from './ingest.js';

/** How the intake tells whoever watches what happened: each face shows it its own way (a progress bar, a page). */
export interface IntakeReporter {
  batchStarted(total: number): void;
  itemDone(result: IntakeResult): void;
  batchDone(results: IntakeResult[]): void;
  /** Something the office should know that is not one item's result (files still being written). */
  note(notice: IntakeNotice): void;
}

export type IntakeNotice = { kind: 'still-writing'; count: number } | { kind: 'scan-failed'; error: string };

export const QUIET_REPORTER: IntakeReporter = { batchStarted() {}, itemDone() {}, batchDone() {}, note() {} };
