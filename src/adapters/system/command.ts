import { spawn } from 'node:child_process';
import type { CommandOutcome, CommandRun } from '../../ports/command.js';

/** How much of the program's error output is kept for the log. */
const STDERR_KEEP = 2_000;

/**
 * Runs a site's program (the alert hook) in its own process group, so that a Ctrl+C meant for
 * xinfang does not reach it half-way and its timeout stops it with any children it started.
 * Never throws: a program that cannot start, fails, or runs too long is an outcome.
 */
export function runCommand(run: CommandRun): Promise<CommandOutcome> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const [program, ...args] = run.command;
    if (!program) return resolve({ ok: false, exitCode: null, signal: null, timedOut: false, error: 'no program given', stderr: '', ms: 0 });
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const finish = (outcome: CommandOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const child = spawn(program, args, { cwd: run.cwd, env: { ...process.env, ...run.env }, stdio: ['pipe', 'ignore', 'pipe'], detached: process.platform !== 'win32', windowsHide: true });
    const timer = setTimeout(() => {
      timedOut = true;
      stop(child.pid);
    }, run.timeoutMs);
    child.stderr!.on('data', (d: Buffer) => {
      if (stderr.length < STDERR_KEEP) stderr = (stderr + d.toString()).slice(0, STDERR_KEEP);
    });
    // A program that does not read its input closes the pipe early: that is no failure of ours.
    child.stdin!.on('error', () => {});
    child.stdin!.end(run.stdin);
    child.once('error', (e) => finish({ ok: false, exitCode: null, signal: null, timedOut, error: e.message, stderr, ms: ms() }));
    child.once('close', (code, signal) => {
      if (code === 0 && !timedOut) finish({ ok: true, exitCode: 0, ms: ms() });
      else finish({ ok: false, exitCode: code, signal, timedOut, error: null, stderr, ms: ms() });
    });
  });
}

/** Stops the program and whatever it started (its process group), or the program alone where there are no groups. */
function stop(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
  } catch {
    // Ended by itself just now.
  }
}
