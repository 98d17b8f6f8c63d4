import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** A memory figure from /proc/<pid>/status (VmHWM, VmRSS), in kB; 0 once the process has ended. */
function statusKB(pid: number | 'self', field: 'VmHWM' | 'VmRSS'): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0; // the process has just ended
  }
}

/** Peak resident memory (VmHWM) of a process, in MB; `self` for this one. 0 once it has ended. */
export function peakMB(pid: number | 'self' = 'self'): number {
  return Math.round(statusKB(pid, 'VmHWM') / 1024);
}

/** Resident memory (VmRSS) of a process and everything it started, in MB, now. */
export function treeRssMB(pid: number): number {
  let kb = 0;
  const pending = [pid];
  for (let p = pending.pop(); p !== undefined; p = pending.pop()) {
    kb += statusKB(p, 'VmRSS');
    try {
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
        if (children) pending.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // ended meanwhile
    }
  }
  return Math.round(kb / 1024);
}

/**
 * Runs `node args…` and reads its peak memory from /proc while it runs, with its output, exit code
 * and wall time. The peak is the larger of the process's own (VmHWM only grows, so the last reading
 * before it ends holds) and the most that it and its child processes (the blank sheets) held
 * together at one reading, every 50 ms.
 */
export async function runWatchingMemory(args: string[]): Promise<{ stdout: string; stderr: string; code: number | null; peakMB: number; seconds: number }> {
  const start = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let peak = 0;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setInterval(() => (peak = Math.max(peak, peakMB(child.pid!), treeRssMB(child.pid!))), 50);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  return { stdout, stderr, code, peakMB: peak, seconds: (performance.now() - start) / 1000 };
}
