/** The engineers' log as the services write to it: JSON lines in English (pino behind adapters/log). */
export interface Log {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
