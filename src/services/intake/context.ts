import type { BackgroundWork } from '../../ports/jobs.js';
import type { PageReader } from '../../ports/ocr.js';
import type { ServiceContext } from '../context.js';

/** What the intake stages share. Each stage takes only what it reads from here. */
export interface IntakeContext extends ServiceContext {
  ocr: PageReader;
  /** Makes the blank instruction sheets of new cases, away from the OCR process; none in unit tests. */
  background?: BackgroundWork;
}
