import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/** Whether a process of this machine still runs. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Staging folders are named `<hash>-<pid>-<random>`; one belongs to a live process when that
 * process still runs (on this machine). Our own process never counts.
 */
export function stagingOwnedByLiveProcess(stagingPath: string): boolean {
  const pid = Number(path.basename(stagingPath).split('-')[1]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  return isAlive(pid);
}

/** Tells this run of the program from an earlier one that had the same process id (after a restart). */
const RUN = randomBytes(4).toString('hex');

/** This process as the owner of work it leaves notes about: host, process id and this run. */
export function processOwner(): string {
  return `${os.hostname()}:${process.pid}:${RUN}`;
}

/**
 * Whether the owner of a note has stopped, so its work can be finished or undone. An owner on
 * another machine is never judged from here.
 */
export function ownerHasStopped(owner: string): boolean {
  const [run, pidText, ...hostParts] = owner.split(':').reverse();
  const host = hostParts.reverse().join(':');
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  // Our own process id but another run: that run has stopped (the machine or container restarted).
  if (pid === process.pid) return run !== RUN;
  return !isAlive(pid);
}
