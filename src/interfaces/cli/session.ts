import { openOffice, type Office } from '../../app.js';
import type { Actor } from '../../domain/case.js';
import { isDistrictRoot, openDistrict } from '../../district.js';
import type { District } from '../../district.js';

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

/**
 * Who is making a change: --by, else the settings' default clerk. Never the operating system's
 * login name: what goes into a case's history is an archival record and names a person.
 */
export function actor(by: unknown, office: Pick<Office, 'settings'>): Actor {
  if (typeof by === 'string' && by.trim()) return { name: by.trim() };
  const clerk = office.settings.office.clerk;
  if (clerk) return { name: clerk };
  throw new UsageError('办理记录要写明是谁办的：请加上 --by 姓名（例如 --by 刘芳），或在 pipeline/settings.yaml 的 office.clerk 里填写默认经办人员的姓名。');
}

/** The administrator at the terminal, managing users: not a case's history, so no name is asked for. */
export const TERMINAL_ADMIN: Actor = { name: '管理员（终端）' };

/** A mistake in how the command was typed that no service sees (options that clash, a file that cannot be read): exit code 2. */
export class UsageError extends Error {
  constructor(readonly userMessage: string) {
    super(userMessage);
    this.name = 'UsageError';
  }
}

/** True when --root is a district's root (its settings list communities): the commands that work across the district act there. */
export function atDistrict(io: CliIo): boolean {
  return isDistrictRoot(io.root());
}

/** Opens the district at --root for one command and closes it after (every community's Office it opened, too). */
export async function withDistrict<T>(io: CliIo, work: (district: District) => T | Promise<T>): Promise<T> {
  const district = await openDistrict({ root: io.root(), background: 'none' });
  try {
    return await work(district);
  } finally {
    await district.close();
  }
}
