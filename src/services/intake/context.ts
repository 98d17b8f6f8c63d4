import type { Settings } from '../../domain/settings.js';
import type { Logger } from '../../adapters/log/log.js';
import type { OcrPool } from '../../adapters/ocr/pool.js';
import type { SheetRequests } from '../../adapters/jobs/sheets-process.js';
import type { Registry } from '../../adapters/sqlite/registry.js';
import type { Workspace } from '../../adapters/files/workspace.js';

/** What the intake stages share. Each stage takes only what it reads from here. */
export interface IntakeContext {
  ws: Workspace;
  settings: Settings;
  registry: Registry;
  ocr: OcrPool;
  log: Logger;
  /** Injected so tests control time. */
  now: () => Date;
  /** Makes the blank instruction sheets of new cases, away from the OCR process; none in unit tests. */
  sheets?: SheetRequests;
}
