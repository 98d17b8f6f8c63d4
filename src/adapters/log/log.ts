import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pino, type Logger } from 'pino';

export type { Logger };

/** The engineers' log: JSON lines in English under archive/logs/, separate from what clerks read. */
export function createEngineLog(logDir: string): Logger {
  mkdirSync(logDir, { recursive: true });
  return pino({ base: { pid: process.pid } }, pino.destination({ dest: path.join(logDir, 'xinfang.log'), sync: true }));
}

export function silentLog(): Logger {
  return pino({ level: 'silent' });
}
