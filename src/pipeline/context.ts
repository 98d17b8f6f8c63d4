import type { Settings } from '../config/settings.js';
import type { Logger } from '../lib/log.js';
import type { OcrPool } from '../ocr/pool.js';
import type { SheetRequests } from './sheet-maker.js';
import type { Registry } from '../register/registry.js';
import type { Workspace } from '../workspace/paths.js';

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
