import path from 'node:path';

/**
 * Staging folders are named `<hash>-<pid>-<random>`; one belongs to a live process when that
 * process still runs (on this machine). Our own process never counts.
 */
export function stagingOwnedByLiveProcess(stagingPath: string): boolean {
  const pid = Number(path.basename(stagingPath).split('-')[1]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
