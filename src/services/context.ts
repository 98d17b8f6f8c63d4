/** What the services are given by the composition root (app.ts): settings, paths, the store, the clock, the log. */
import type { Workspace } from '../adapters/files/workspace.js';
import type { Settings } from '../domain/settings.js';
import type { Log } from '../ports/log.js';
import type { Store } from '../ports/store.js';
import type { AlertNotifier } from './alerts.js';

export interface ServiceContext {
  settings: Settings;
  paths: Workspace;
  store: Store;
  /** The time as the program sees it; tests walk cases through weeks of deadlines with it. */
  clock: () => Date;
  log: Log;
  /** This process as the writer of file-journal notes (host and process id). */
  owner: string;
  /**
   * Reads the office's settings file's data as the program starts with it: a district's community
   * lays its own file over the district's (domain/settings.ts parseCommunitySettings). Default: parseSettings.
   */
  settingsOf?: (raw: unknown, file: string) => Settings;
  /** Told of each case registered and each step taken (services/alerts.ts); none where nothing is to be told. */
  alerts?: AlertNotifier;
}
