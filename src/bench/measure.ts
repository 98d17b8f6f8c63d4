import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Peak resident memory (VmHWM) of a process, in MB; `self` for this one. 0 once it has ended. */
export function peakMB(pid: number | 'self' = 'self'): number {
  try {
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
  } catch {
    return 0; // the process has just ended
  }
}

/**
 * Runs `node args…` and reads its peak memory from /proc while it runs (VmHWM only grows, so the
 * last reading before it ends holds), with its output, exit code and wall time.
 */
export async function runWatchingMemory(args: string[]): Promise<{ stdout: string; stderr: string; code: number | null; peakMB: number; seconds: number }> {
  const start = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let peak = 0;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setInterval(() => (peak = Math.max(peak, peakMB(child.pid!))), 50);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  return { stdout, stderr, code, peakMB: peak, seconds: (performance.now() - start) / 1000 };
}
