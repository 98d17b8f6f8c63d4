import os from 'node:os';
import { openOffice, type Office } from '../../app.js';
import type { Actor } from '../../domain/case.js';

export interface CliIo {
  root(): string;
  json(): boolean;
  print(value: unknown): void;
}

/** Opens the workspace for one command and closes it after, whatever happens. */
export async function withOffice<T>(io: CliIo, work: (office: Office) => T | Promise<T>): Promise<T> {
  const office = await openOffice({ root: io.root() });
  try {
    return await work(office);
  } finally {
    await office.close();
  }
}

/** Who is making a change: --by, else the name the operating system knows the user by. */
export function actor(by: unknown): Actor {
  if (typeof by === 'string' && by.trim()) return { name: by.trim() };
  try {
    return { name: os.userInfo().username };
  } catch {
    return { name: '未知' };
  }
}

/** A mistake in how the command was typed that no service sees (options that clash, a file that cannot be read): exit code 2. */
export class UsageError extends Error {
  constructor(readonly userMessage: string) {
    super(userMessage);
    this.name = 'UsageError';
  }
}
