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

/** This process as the owner of work it leaves notes about: host and process id. */
export function processOwner(): string {
  return `${os.hostname()}:${process.pid}`;
}

/**
 * Whether the owner of a note has stopped, so its work can be finished or undone. An owner on
 * another machine is never judged from here.
 */
export function ownerHasStopped(owner: string): boolean {
  const at = owner.lastIndexOf(':');
  const host = owner.slice(0, at);
  const pid = Number(owner.slice(at + 1));
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  return pid !== process.pid && !isAlive(pid);
}
