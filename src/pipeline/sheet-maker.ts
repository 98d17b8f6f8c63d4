import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Logger } from '../lib/log.js';
import { packageRoot } from '../workspace/paths.js';

/**
 * Makes the blank instruction sheets of newly registered cases in a separate, short-lived
 * process (`xinfang sheets`): the fonts and PDF writer never sit in the OCR process's memory,
 * and a failure there cannot stop intake. Requests while one runs are merged into one more run.
 */
export class BlankSheetMaker {
  private running: Promise<void> | null = null;
  private pending = false;

  constructor(
    private readonly root: string,
    private readonly log: Logger,
  ) {}

  request(): void {
    if (this.running) {
      this.pending = true;
      return;
    }
    this.running = this.runUntilDone().finally(() => (this.running = null));
  }

  /** Resolves once no run is going or waiting. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async runUntilDone(): Promise<void> {
    do {
      this.pending = false;
      await this.runOnce();
    } while (this.pending);
  }

  private runOnce(): Promise<void> {
    const cli = path.join(packageRoot(), 'dist', 'cli', 'main.js');
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [cli, '--root', this.root, '--json', 'sheets'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', (e) => {
        this.log.error({ err: String(e) }, 'blank sheets: could not start');
        resolve();
      });
      child.on('close', (code) => {
        if (code === 0) this.log.info({ made: out.trim() }, 'blank sheets made');
        // The cases are safe; a missing sheet is made on the next run or with `xinfang sheets`.
        else this.log.error({ code, err: err.trim() }, 'blank sheets failed');
        resolve();
      });
    });
  }
}
