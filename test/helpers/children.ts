import type { ChildProcess } from 'node:child_process';

/** Every process a test started and that has not ended yet. */
const live = new Set<ChildProcess>();

/** Remembers a started process so that a failing test cannot leave it running (see test/setup.ts). */
export function track<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Ends every tracked process still running; returns how many there were. */
export function killLeftovers(): number {
  const left = [...live];
  for (const child of left) child.kill('SIGKILL');
  live.clear();
  return left.length;
}
