import type { Log } from '../../ports/log.js';
import type { BackgroundWork } from '../../ports/jobs.js';

/**
 * The background work done in this process, one round at a time, a round after every request
 * (requests that come during a round are merged into the next): for a program that uses the
 * services as a library, and for tests. `work` is what app.ts wires in (making missing sheets).
 */
export class InProcessWork implements BackgroundWork {
  private wanted = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly log: Log,
  ) {}

  casesRegistered(): void {
    this.wanted = true;
    this.running ??= this.loop();
  }

  batchEnded(): void {}

  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    while (this.wanted) {
      this.wanted = false;
      try {
        await this.work();
      } catch (e) {
        this.log.error({ err: String(e) }, 'background work failed');
      }
    }
    this.running = null;
  }
}
