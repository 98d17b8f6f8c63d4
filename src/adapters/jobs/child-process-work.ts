import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import type { Log } from '../../ports/log.js';
import type { BackgroundWork } from '../../ports/jobs.js';
import { workerEntry } from '../files/workspace.js';

/**
 * Lowest scheduling priority: the background work uses only the CPU time the OCR leaves idle.
 * Raising one's own child's nice value needs no privileges.
 */
const BACKGROUND_NICE = 19;

/** What the parent tells the worker: make what new cases lack; the batch is over. */
export type WorkerRequest = { kind: 'make' } | { kind: 'end' };
/** What the worker tells the parent after each round. */
export type WorkerReport = { kind: 'made'; made: string[]; failed: { number: string; error: string }[] };

/**
 * The background work of the intake (blank instruction sheets) in a child process
 * (interfaces/worker/main.ts), so the fonts and PDF writer never sit in the OCR process's memory
 * and a failure there cannot stop intake. The child starts with a batch's first case, at the
 * lowest priority, makes each case's sheet as it is registered in the time the OCR leaves idle,
 * and ends with the batch once the last sheets are made. One runs at a time; a batch that starts
 * while the last one is finishing gets a new process once that one has gone. The child watches
 * its channel to the parent and stops at once if the parent goes, so it never outlives it.
 */
export class ChildProcessWork implements BackgroundWork {
  private current: WorkerProcess | null = null;
  private readonly all = new Set<Promise<void>>();

  constructor(
    private readonly root: string,
    private readonly log: Log,
  ) {}

  casesRegistered(): void {
    if (!this.current?.open) this.start();
    this.current!.poke();
  }

  private start(): void {
    const after = this.current?.exited ?? Promise.resolve();
    const next = new WorkerProcess(this.root, this.log, after);
    this.current = next;
    this.all.add(next.exited);
    void next.exited.finally(() => this.all.delete(next.exited));
  }

  batchEnded(): void {
    this.current?.close();
  }

  /** Resolves once every worker has ended (ending the open one first). */
  async settled(): Promise<void> {
    this.batchEnded();
    while (this.all.size) await Promise.all([...this.all]);
  }
}

class WorkerProcess {
  open = true;
  readonly exited: Promise<void>;
  private child: ChildProcess | null = null;

  constructor(
    private readonly root: string,
    private readonly log: Log,
    after: Promise<void>,
  ) {
    this.exited = after.then(() => this.run());
  }

  /** A case was registered. Before the process is up there is nothing to say: it starts by making all that is missing. */
  poke(): void {
    this.send({ kind: 'make' });
  }

  close(): void {
    this.open = false;
    this.send({ kind: 'end' });
  }

  private send(request: WorkerRequest): void {
    if (this.child?.connected) this.child.send(request, () => {});
  }

  private run(): Promise<void> {
    return new Promise((resolve) => {
      let child: ChildProcess;
      try {
        child = fork(workerEntry(), ['--root', this.root], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      } catch (e) {
        // Out of processes or memory: the cases are safe and the sheets are made on a later run.
        this.log.error({ err: String(e) }, 'background work: could not start');
        resolve();
        return;
      }
      this.child = child;
      let err = '';
      let made = 0;
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      child.on('message', (report: WorkerReport) => {
        made += report.made.length;
        if (report.failed.length) this.log.error({ failed: report.failed }, 'blank sheets failed');
      });
      child.on('error', (e) => {
        this.log.error({ err: String(e) }, 'background work: could not start');
        resolve();
      });
      child.on('spawn', () => {
        try {
          os.setPriority(child.pid!, BACKGROUND_NICE);
        } catch (e) {
          this.log.warn({ err: String(e) }, 'background work: could not lower priority');
        }
        if (!this.open) this.send({ kind: 'end' });
      });
      child.on('exit', (code) => {
        if (code === 0) this.log.info({ made }, 'blank sheets made');
        // The cases are safe; a missing sheet is made on the next run or with `xinfang sheets`.
        else this.log.error({ code, err: err.trim(), made }, 'background work failed');
        resolve();
      });
    });
  }
}
