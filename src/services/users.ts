/** The people who sign in: adding and keeping them (administrators), and signing in with its throttle. */
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../domain/case.js';
import { fail } from '../domain/problems.js';
import { can, isRole, ROLES, type Role } from '../domain/roles.js';
import type { PasswordHasher } from '../ports/passwords.js';
import type { UserRecord } from '../ports/store.js';
import type { AuditService } from './audit.js';
import type { ServiceContext } from './context.js';

export const MIN_PASSWORD = 8;

/** Failed sign-ins in a row before each further try must wait, and the longest wait. */
const FREE_TRIES = 3;
const LONGEST_WAIT_S = 15 * 60;

/** A user as others may see them: no password hash. */
export type User = Omit<UserRecord, 'passwordHash'>;

const publicUser = ({ passwordHash: _hash, ...user }: UserRecord): User => user;

/**
 * A short fingerprint of the password's hash, kept in a session: a new password (even the same
 * one again, hashed with a new salt) changes it, so every session signed in before it ends.
 */
const credentialOf = (user: UserRecord): string => createHash('sha256').update(user.passwordHash).digest('base64url').slice(0, 22);

export class UserService {
  private unknownHash: Promise<string> | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly passwords: PasswordHasher,
    /** Where each change to a user is recorded (the audit log). */
    private readonly audit?: Pick<AuditService, 'noteAdministration'>,
  ) {}

  async add(actor: Actor, input: { name: string; role: string; password: string }): Promise<User> {
    this.mustManage(actor, '添加用户');
    const name = checkName(input.name);
    const role = checkRole(input.role);
    checkPassword(input.password);
    const added = await this.ctx.store.addUser({ name, role, passwordHash: await this.passwords.hash(input.password), createdAt: this.ctx.clock().toISOString() });
    if (!added) fail({ code: 'user-exists', name });
    this.ctx.log.info({ user: name, role, by: actor.name }, 'user added');
    await this.audit?.noteAdministration(actor, `添加用户 ${name}（${role}）`);
    return publicUser(added);
  }

  async list(actor: Actor): Promise<User[]> {
    this.mustManage(actor, '查看用户');
    return (await this.ctx.store.listUsers()).map(publicUser);
  }

  async hasUsers(): Promise<boolean> {
    return (await this.ctx.store.listUsers()).length > 0;
  }

  async setRole(actor: Actor, name: string, role: string): Promise<User> {
    this.mustManage(actor, '修改角色');
    const user = await this.find(name);
    const next = checkRole(role);
    if (user.role === '管理员' && next !== '管理员') await this.keepOneAdministrator(user);
    const updated = publicUser(await this.ctx.store.updateUser(user.id, { role: next }));
    await this.audit?.noteAdministration(actor, `把 ${user.name} 的角色由${user.role}改为${next}`);
    return updated;
  }

  async setDisabled(actor: Actor, name: string, disabled: boolean): Promise<User> {
    this.mustManage(actor, disabled ? '停用用户' : '启用用户');
    const user = await this.find(name);
    if (disabled && user.role === '管理员') await this.keepOneAdministrator(user);
    const updated = publicUser(await this.ctx.store.updateUser(user.id, { disabled }));
    await this.audit?.noteAdministration(actor, `${disabled ? '停用' : '启用'}用户 ${user.name}`);
    return updated;
  }

  async resetPassword(actor: Actor, name: string, password: string): Promise<User> {
    this.mustManage(actor, '重设密码');
    checkPassword(password);
    const user = await this.find(name);
    const updated = publicUser(await this.ctx.store.updateUser(user.id, { passwordHash: await this.passwords.hash(password) }));
    await this.audit?.noteAdministration(actor, `重设 ${user.name} 的密码`);
    return updated;
  }

  /**
   * Checks a name and password. After a few failures in a row each further try for that name
   * must wait, twice as long each time (up to a quarter of an hour), whether the password is right
   * or not: guessing is slowed to nothing, and the message never says whether the name exists.
   */
  async signIn(name: string, password: string): Promise<User & { credential: string }> {
    const key = name.trim();
    const now = this.ctx.clock();
    const before = await this.ctx.store.signInFailures(key);
    // Every try is counted before its password is checked, so a burst of tries at once is held back too.
    const tries = await this.ctx.store.recordSignInFailure(key, now);
    if (tries > FREE_TRIES) {
      const wait = Math.min(LONGEST_WAIT_S, 2 ** (tries - FREE_TRIES));
      const since = before ? (now.getTime() - Date.parse(before.last)) / 1000 : 0;
      const left = Math.ceil(wait - since);
      if (left > 0) fail({ code: 'sign-in-throttled', seconds: left });
    }
    const user = await this.ctx.store.userByName(key);
    // An unknown name is checked against a hash of no one's password, so both answers take the same time.
    this.unknownHash ??= this.passwords.hash(randomBytes(16).toString('hex'));
    const ok = await this.passwords.verify(user?.passwordHash ?? (await this.unknownHash), password);
    if (!user || !ok || user.disabled) {
      this.ctx.log.warn({ user: key }, 'sign-in failed');
      fail({ code: 'sign-in-failed' });
    }
    await this.ctx.store.clearSignInFailures(key);
    return { ...publicUser(user), credential: credentialOf(user) };
  }

  /** The signed-in person again, by id, as long as they may still sign in and their password is the one they signed in with. */
  async current(id: number, credential: string | undefined): Promise<User | undefined> {
    const user = await this.ctx.store.userById(id);
    return user && !user.disabled && credential === credentialOf(user) ? publicUser(user) : undefined;
  }

  private async find(name: string): Promise<UserRecord> {
    return (await this.ctx.store.userByName(name.trim())) ?? fail({ code: 'unknown-user', name });
  }

  private async keepOneAdministrator(user: UserRecord): Promise<void> {
    const others = (await this.ctx.store.listUsers()).filter((u) => u.role === '管理员' && !u.disabled && u.id !== user.id);
    if (others.length === 0) fail({ code: 'last-administrator' });
  }

  private mustManage(actor: Actor, action: string): void {
    if (!can(actor, 'manage-users')) fail({ code: 'not-allowed', role: actor.role ?? '', action });
  }
}

function checkName(given: string): string {
  const name = given.trim();
  if (!name || [...name].length > 32 || /\s/.test(name)) fail({ code: 'bad-user-name', given });
  return name;
}

function checkRole(given: string): Role {
  if (!isRole(given.trim())) fail({ code: 'bad-role', given, allowed: ROLES });
  return given.trim() as Role;
}

function checkPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD) fail({ code: 'weak-password', min: MIN_PASSWORD });
}
