import chokidar from 'chokidar';

export interface WatchOptions {
  polling: boolean;
  pollIntervalMs: number;
  rescanMs: number;
  ignoredFolder: string;
}

/**
 * Calls `wake` whenever something in the inbox may have changed: on file-system events
 * (or polling, for network shares) and on a periodic rescan that catches missed events.
 * Returns a function that stops watching.
 */
export function watchInbox(inbox: string, options: WatchOptions, wake: () => void): () => Promise<void> {
  const watcher = chokidar.watch(inbox, {
    ignoreInitial: true,
    depth: 1,
    usePolling: options.polling,
    interval: options.pollIntervalMs,
    binaryInterval: options.pollIntervalMs,
    ignored: (p: string) => p.split(/[\\/]/).includes(options.ignoredFolder),
  });
  watcher.on('all', wake);
  watcher.on('error', wake);
  const timer = setInterval(wake, options.rescanMs);
  return async () => {
    clearInterval(timer);
    await watcher.close();
  };
}
