import type { Session } from 'fastify';
import type { UserStore } from '../../ports/store.js';

type Callback = (error?: unknown) => void;

/**
 * Sessions kept server-side in the store (so every web process on the registry sees them), each
 * ending after the settings' idle time; the cookie holds only the signed session id.
 */
export class StoreSessions {
  constructor(
    private readonly store: Pick<UserStore, 'saveSession' | 'session' | 'deleteSession'>,
    private readonly idleMinutes: number,
  ) {}

  set(id: string, session: Session, callback: Callback): void {
    const expires = new Date(Date.now() + this.idleMinutes * 60_000);
    this.store.saveSession(id, JSON.stringify(session), expires).then(() => callback(), callback);
  }

  get(id: string, callback: (error: unknown, session?: Session | null) => void): void {
    this.store.session(id).then((row) => {
      if (!row) return callback(null, null);
      if (Date.parse(row.expiresAt) <= Date.now()) {
        this.store.deleteSession(id).then(() => callback(null, null), callback);
        return;
      }
      callback(null, JSON.parse(row.data) as Session);
    }, callback);
  }

  destroy(id: string, callback: Callback): void {
    this.store.deleteSession(id).then(() => callback(), callback);
  }
}
