/**
 * Work the intake hands off to be done in the background (the blank instruction sheets of new
 * cases), through an interface of ours: a child process today, a job queue later.
 */
export interface BackgroundWork {
  /** A case was registered: make what new cases lack, soon, away from the intake. */
  casesRegistered(): void;
  /** A batch is over: finish what was asked, then stop until asked again. */
  batchEnded(): void;
  /** Resolves once all that was asked is done. */
  settled(): Promise<void>;
}
