import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import type { Logger } from '../log/log.js';
import { cliEntry } from '../files/workspace.js';

/**
 * Lowest scheduling priority: the sheets use only the CPU time the OCR leaves idle. Raising one's
 * own child's nice value needs no privileges.
 */
const BACKGROUND_NICE = 19;

/** What the intake needs of the sheet maker: told when a case is in and when a batch ends. */
export interface SheetRequests {
  request(): void;
  end(): void;
  settled(): Promise<void>;
}

/**
 * Makes the blank instruction sheets of newly registered cases in a separate process
 * (`xinfang sheets --follow`), so the fonts and PDF writer never sit in the OCR process's memory
 * and a failure there cannot stop intake. The process starts with a batch's first case, at the
 * lowest priority, makes each case's sheet as it is registered in the time the OCR leaves idle,
 * and ends with the batch once the last sheets are made. One runs at a time; a batch that starts
 * while the last one is finishing gets a new process once that one has gone.
 */
export class BlankSheetMaker implements SheetRequests {
  private current: SheetProcess | null = null;
  private readonly all = new Set<Promise<void>>();

  constructor(
    private readonly root: string,
    private readonly log: Logger,
  ) {}

  request(): void {
    if (!this.current?.open) this.start();
    this.current!.poke();
  }

  private start(): void {
    const after = this.current?.exited ?? Promise.resolve();
    const next = new SheetProcess(this.root, this.log, after);
    this.current = next;
    this.all.add(next.exited);
    void next.exited.finally(() => this.all.delete(next.exited));
  }

  end(): void {
    this.current?.close();
  }

  /** Resolves once every sheets process has ended (ending the open one first). */
  async settled(): Promise<void> {
    this.end();
    while (this.all.size) await Promise.all([...this.all]);
  }
}

class SheetProcess {
  open = true;
  readonly exited: Promise<void>;
  private child: ChildProcess | null = null;

  constructor(
    private readonly root: string,
    private readonly log: Logger,
    after: Promise<void>,
  ) {
    this.exited = after.then(() => this.run());
  }

  /** A case was registered: make what is missing. Before the process is up there is nothing to say: it starts by making all that is missing. */
  poke(): void {
    if (this.child?.stdin?.writable) this.child.stdin.write('\n');
  }

  close(): void {
    this.open = false;
    this.child?.stdin?.end();
  }

  private run(): Promise<void> {
    const cli = cliEntry();
    return new Promise((resolve) => {
      let child: ChildProcess;
      try {
        child = spawn(process.execPath, [cli, '--root', this.root, '--json', 'sheets', '--follow'], { stdio: ['pipe', 'pipe', 'pipe'] });
      } catch (e) {
        // Out of processes or memory: the cases are safe and the sheets are made on a later run.
        this.log.error({ err: String(e) }, 'blank sheets: could not start');
        resolve();
        return;
      }
      this.child = child;
      let out = '';
      let err = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      // A child that ends early must not take the intake down with a broken pipe.
      child.stdin!.on('error', () => {});
      child.on('error', (e) => {
        this.log.error({ err: String(e) }, 'blank sheets: could not start');
        resolve();
      });
      child.on('spawn', () => {
        try {
          os.setPriority(child.pid!, BACKGROUND_NICE);
        } catch (e) {
          this.log.warn({ err: String(e) }, 'blank sheets: could not lower priority');
        }
        if (!this.open) child.stdin!.end();
      });
      child.on('close', (code) => {
        if (code === 0) this.log.info({ made: summary(out) }, 'blank sheets made');
        // The cases are safe; a missing sheet is made on the next run or with `xinfang sheets`.
        else this.log.error({ code, err: err.trim(), made: summary(out) }, 'blank sheets failed');
        resolve();
      });
    });
  }
}

function summary(out: string): unknown {
  try {
    return (JSON.parse(out) as { made: string[] }).made.length;
  } catch {
    return out.trim();
  }
}
