/**
 * The district's work as jobs (issue 18): the intake enqueues, workers on any machine take them.
 * An interface of ours over the queue library (src/adapters/pgboss/).
 */

/** The jobs of the district's work and their data. */
export interface JobData {
  /** Read one stored scan into its community's registry. */
  /** `pages`: a folder of page files (one letter), each kept in the store under its own SHA-256; `sha256` is then the letter's (its pages' hashes hashed). */
  'read-letter': { community: string; sha256: string; name: string; pages?: { name: string; sha256: string }[] };
  /** Make the blank instruction sheets a community's new cases lack. */
  'make-sheets': { community: string };
}
export type JobName = keyof JobData;
export const JOB_NAMES: readonly JobName[] = ['read-letter', 'make-sheets'];

export interface Job<N extends JobName = JobName> {
  id: string;
  name: N;
  data: JobData[N];
  /** 0 on the first try. */
  retries: number;
}

/** As the administrator sees a job: waiting, running, failed (will be tried again, with the reason), dead (no tries left), done. */
export type JobState = 'waiting' | 'running' | 'failed' | 'dead' | 'done';

export interface JobRow {
  id: string;
  name: JobName;
  state: JobState;
  data: Record<string, unknown>;
  retries: number;
  /** Why it failed last (failed and dead). */
  reason: string | null;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
}

/** A database transaction a job's insert may join: it is sent only if the transaction commits. */
export interface QueueTransaction {
  query(text: string, values: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** A scan taken into the shared file store, recorded in the district's database. */
export interface ReceivedFile {
  community: string;
  sha256: string;
  name: string;
  /** Its place in the file store (relative to the store). */
  stored: string;
}

export interface JobQueue {
  /**
   * Adds a job; with `in`, inside that transaction (rolled back, no job). Keyed by `key`: a job with
   * the same name and key enqueued again while the first is known is not added (null).
   */
  enqueue<N extends JobName>(name: N, data: JobData[N], options?: { in?: QueueTransaction; key?: string }): Promise<string | null>;
  /**
   * Runs `work` in one transaction of the district's database: a scan's record and its job together.
   * 'recorded' false when the scan was recorded before (the same community and SHA-256).
   */
  receive(file: ReceivedFile, at: Date, withJob: (tx: QueueTransaction) => Promise<unknown>): Promise<{ recorded: boolean }>;
  /** Takes jobs of `name`, `concurrency` at a time; a handler that throws has its job tried again (back-off), then dead. */
  work<N extends JobName>(name: N, concurrency: number, handler: (job: Job<N>) => Promise<unknown>): Promise<void>;
  /** The jobs for the administrator, newest first; with `community`, that community's only. */
  jobs(options?: { states?: JobState[]; limit?: number; community?: string }): Promise<JobRow[]>;
  /** Counts by state; with `community`, that community's only. */
  counts(options?: { community?: string }): Promise<Record<JobState, number>>;
  /** One job, or undefined. */
  job(id: string): Promise<JobRow | undefined>;
  /** A failed or dead job tried again. */
  retry(name: JobName, id: string): Promise<void>;
  /** Stops taking jobs; `graceful`: the running ones are finished first (up to timeoutMs). */
  stop(options?: { graceful?: boolean; timeoutMs?: number }): Promise<void>;
}
