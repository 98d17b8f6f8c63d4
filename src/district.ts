/**
 * A district's communities on one PostgreSQL database (ports/district.ts): each community an
 * Office of its own (app.ts openOffice on its folder, its registry in its schema), opened once
 * and kept; the district's own users in the district schema; statistics, search and verify
 * across the communities.
 *
 *   const district = await openDistrict({ root: '/srv/信访/街道' });
 *   const office = await district.officeFor('babao');
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './adapters/files/fs-safe.js';
import { workspaceAt } from './adapters/files/workspace.js';
import { createEngineLog } from './adapters/log/log.js';
import { argon2Hasher } from './adapters/passwords/argon2.js';
import { DISTRICT_SCHEMA, openCommunityList } from './adapters/postgres/district-list.js';
import { loadSettings } from './adapters/settings/settings-file.js';
import { systemClock } from './adapters/system/clock.js';
import { processOwner } from './adapters/system/process.js';
import { updateYaml } from './adapters/yaml/yaml.js';
import { communitySchema, openOffice, openPostgresAt, type Office } from './app.js';
import type { Actor } from './domain/case.js';
import { fail } from './domain/problems.js';
import type { Period } from './domain/reports/periods.js';
import type { Count, PeriodStats } from './domain/reports/stats.js';
import { can } from './domain/roles.js';
import { COMMUNITY_CODE, registryOptions } from './domain/settings.js';
import type { Settings } from './domain/settings.js';
import type { Community, CommunityList, DistrictActor, DistrictFigures, DistrictSearchHit, DistrictSignedIn, DistrictStats, DistrictUser, DistrictVerification } from './ports/district.js';
import type { Store, UserStore } from './ports/store.js';
import { mustBelong } from './services/community-guard.js';
import { UserService, type User } from './services/users.js';

/*
 * The district's surface, for its faces (the CLI, the district web, the queue's workers). Declared
 * here beside app.ts rather than in ports/district.ts (which holds its data types), because it
 * hands out each community's Office.
 */
export interface District {
  /** The district's workspace folder (absolute). */
  readonly root: string;
  /** The district's own settings (those the communities start from). */
  readonly settings: Settings;

  /** The communities, in the settings' order. */
  communities(): Community[];
  /** One community; the problem 'unknown-community' if there is none by that code. */
  community(code: string): Community;

  /**
   * The community's Office (app.ts), opened once and kept: its settings are the district's with
   * the community's over them, its store the community's schema. For the program's own work (the
   * queue's jobs, the intake) and for services called with an actor: every service of this Office
   * refuses ('other-community') an actor whose `community` is another community's. The district
   * owns it: close the district, never the office ('unknown-community' for a code not listed).
   */
  officeFor(code: string): Promise<Office>;
  /** officeFor(code) for a person: 'other-community' at once when a community's user asks for another community. */
  officeAs(actor: DistrictActor, code: string): Promise<Office>;

  /**
   * Adds a community: its folder (inbox/, archive/, pipeline/settings.yaml with the office name,
   * templates/), its schema, its row in the district list, and its line in the district's
   * settings. 'community-exists' / 'bad-community-code' for a code taken or not allowed.
   */
  addCommunity(actor: Actor, input: { code: string; name: string }): Promise<Community>;

  /**
   * Signs in: with `community` a code, against that community's users (its Office's UserService);
   * with null, against the district's users. 'sign-in-failed' either way, as one office words it.
   */
  signIn(community: string | null, name: string, password: string): Promise<DistrictSignedIn>;
  /** The signed-in person again (a session), or undefined when they may no longer sign in. */
  current(community: string | null, id: number, credential: string | undefined): Promise<DistrictActor & { id: number } | undefined>;

  /** The district's own users (district administrators manage them; the terminal too). */
  users: {
    add(actor: Actor, input: { name: string; role: string; password: string }): Promise<DistrictUser>;
    list(actor: Actor): Promise<DistrictUser[]>;
    setDisabled(actor: Actor, name: string, disabled: boolean): Promise<DistrictUser>;
  };

  /** The district's web sessions (kept in the district schema, as an office keeps its own in its registry). */
  readonly sessions: Pick<UserStore, 'saveSession' | 'session' | 'deleteSession' | 'deleteExpiredSessions'>;

  /** Statistics across: district users with 'see-reports' (and the terminal); a community's user gets 'other-community'. */
  stats(actor: DistrictActor | Actor, period: Period): Promise<DistrictStats>;
  /** Search across every community (district users who see all cases, and the terminal): at most `limit` hits from each community, best first within it, communities in order. */
  search(actor: DistrictActor | Actor, text: string, limit: number): Promise<DistrictSearchHit[]>;
  /** Verify across: every community's history chains and files (district users with 'verify', and the terminal). */
  verify(actor: DistrictActor | Actor): Promise<DistrictVerification>;

  close(): Promise<void>;
}

/**
 * How a district is opened (src/district.ts exports `openDistrict` of this type): the settings
 * checked (the district's, then each community's over them), the district schema and every
 * community's schema brought up to date. `clock` and `background` are handed to every Office.
 */
export type OpenDistrict = (options: { root: string; clock?: () => Date; background?: 'child' | 'in-process' | 'none' }) => Promise<District>;

/** The folder under a district's root that holds its communities. */
export const COMMUNITIES_FOLDER = 'communities';

export const communityRoot = (districtRoot: string, code: string): string => path.join(path.resolve(districtRoot), COMMUNITIES_FOLDER, code);

/** True when the folder is a district's root (its settings have a district section). */
export function isDistrictRoot(root: string): boolean {
  const file = workspaceAt(root).settingsFile;
  if (!existsSync(file)) return false;
  return loadSettings(file).district !== undefined;
}

export const openDistrict: OpenDistrict = async (options) => {
  const paths = workspaceAt(options.root);
  if (!existsSync(paths.settingsFile)) fail({ code: 'not-a-workspace', root: paths.root });
  const settings = loadSettings(paths.settingsFile);
  if (!settings.district) fail({ code: 'not-a-district', root: paths.root });
  const url = settings.store.postgres!;
  await mkdir(paths.logs, { recursive: true });
  const log = createEngineLog(paths.logs);
  const clock = options.clock ?? systemClock;
  const registry = await openPostgresAt(url, { ...registryOptions(settings), schema: DISTRICT_SCHEMA, poolSize: 3 });
  let list: CommunityList;
  try {
    list = await openCommunityList(url);
  } catch (e) {
    await registry.close();
    throw e;
  }
  const users = new UserService({ settings, paths, store: registry, clock, log, owner: processOwner() }, argon2Hasher);
  return new PostgresDistrict(paths.root, settings, settings.district.communities.map((c) => ({ ...c, root: communityRoot(paths.root, c.code) })), registry, list, users, { clock, background: options.background });
};

class PostgresDistrict implements District {
  private readonly offices = new Map<string, Promise<Office>>();

  constructor(
    readonly root: string,
    readonly settings: District['settings'],
    private readonly known: Community[],
    private readonly registry: Store,
    private readonly list: CommunityList,
    private readonly districtUsers: UserService,
    private readonly options: { clock?: () => Date; background?: 'child' | 'in-process' | 'none' },
  ) {}

  communities(): Community[] {
    return this.known.map((c) => ({ ...c }));
  }

  community(code: string): Community {
    const found = this.known.find((c) => c.code === code);
    return found ? { ...found } : fail({ code: 'unknown-community', given: code, known: this.known.map((c) => `${c.code}（${c.name}）`) });
  }

  officeFor(code: string): Promise<Office> {
    const community = this.community(code);
    let office = this.offices.get(code);
    if (!office) {
      office = openOffice({ root: community.root, clock: this.options.clock, background: this.options.background });
      // A community whose database could not be opened is tried again on the next call.
      office.catch(() => this.offices.delete(code));
      this.offices.set(code, office);
    }
    return office;
  }

  async officeAs(actor: DistrictActor, code: string): Promise<Office> {
    const community = this.community(code);
    mustBelong(actor, community.code, community.name, (c) => this.nameOf(c));
    return this.officeFor(code);
  }

  async addCommunity(actor: Actor, input: { code: string; name: string }): Promise<Community> {
    this.mustBeDistrict(actor);
    if (actor.role && !can(actor, 'manage-office')) fail({ code: 'not-allowed', role: actor.role, action: '添加社区' });
    const code = input.code.trim();
    const name = input.name.trim();
    if (!COMMUNITY_CODE.test(code)) fail({ code: 'bad-community-code', given: input.code });
    if (!name || [...name].length > 40) fail({ code: 'bad-community-name', given: input.name });
    const taken = this.known.find((c) => c.code === code);
    if (taken) fail({ code: 'community-exists', community: code, name: taken.name });

    const root = communityRoot(this.root, code);
    const ws = workspaceAt(root);
    // A folder already there (an earlier try, or one put there by hand) is kept: only what is missing is made.
    for (const folder of [ws.inbox, ws.archiveDir, ws.pipeline, ws.templates]) await mkdir(folder, { recursive: true });
    if (!existsSync(ws.settingsFile)) await writeFileAtomic(ws.settingsFile, communitySettingsText(name));

    const districtFile = workspaceAt(this.root).settingsFile;
    const before = await readFile(districtFile, 'utf8');
    const entries = [...this.known.map((c) => ({ code: c.code, name: c.name })), { code, name }];
    await writeFileAtomic(districtFile, updateYaml(before, [{ path: ['district', 'communities'], value: entries }]));
    const community = { code, name, root };
    this.known.push(community);
    try {
      // Opening the office makes the community's schema and brings it up to date.
      await this.officeFor(code);
      await this.list.record({ code, name, schema: communitySchema(code) }, (this.options.clock ?? systemClock)());
    } catch (e) {
      // The district's list as it was: the community is not half there (its folder stays, with nothing in it to lose).
      this.known.pop();
      this.offices.delete(code);
      await writeFileAtomic(districtFile, before);
      throw e;
    }
    return { ...community };
  }

  async signIn(community: string | null, name: string, password: string): Promise<DistrictSignedIn> {
    if (community === null) {
      const user = await this.districtUsers.signIn(name, password);
      return { id: user.id, name: user.name, role: user.role, community: null, credential: user.credential };
    }
    const user = await (await this.officeFor(community)).users.signIn(name, password);
    return { id: user.id, name: user.name, role: user.role, community, credential: user.credential };
  }

  async current(community: string | null, id: number, credential: string | undefined): Promise<(DistrictActor & { id: number }) | undefined> {
    const users = community === null ? this.districtUsers : (await this.officeFor(community)).users;
    const user = await users.current(id, credential);
    return user ? { id: user.id, name: user.name, role: user.role, community } : undefined;
  }

  readonly users: District['users'] = {
    add: async (actor, input) => {
      this.mustBeDistrict(actor);
      return districtUser(await this.districtUsers.add(actor, input));
    },
    list: async (actor) => {
      this.mustBeDistrict(actor);
      return (await this.districtUsers.list(actor)).map(districtUser);
    },
    setDisabled: async (actor, name, disabled) => {
      this.mustBeDistrict(actor);
      return districtUser(await this.districtUsers.setDisabled(actor, name, disabled));
    },
  };

  get sessions(): District['sessions'] {
    return this.registry;
  }

  async stats(actor: DistrictActor | Actor, period: Period): Promise<DistrictStats> {
    this.mustBeDistrict(actor);
    if (actor.role && !can(actor, 'see-reports')) fail({ code: 'not-allowed', role: actor.role, action: '查看全街道（区）的统计' });
    const communities = [];
    for (const c of this.known) {
      const stats = await (await this.officeFor(c.code)).reports.stats(period);
      communities.push({ code: c.code, name: c.name, figures: figuresOf(stats), stats });
    }
    return { period: { from: period.from, to: period.to, label: period.label }, total: sumFigures(communities.map((c) => c.figures)), communities };
  }

  async search(actor: DistrictActor | Actor, text: string, limit: number): Promise<DistrictSearchHit[]> {
    this.mustBeDistrict(actor);
    if (actor.role && !can(actor, 'see-all-cases')) fail({ code: 'not-allowed', role: actor.role, action: '在全街道（区）查找案件' });
    const hits: DistrictSearchHit[] = [];
    for (const c of this.known) {
      for (const hit of await (await this.officeFor(c.code)).cases.search(text, limit)) hits.push({ ...hit, community: c.code, communityName: c.name });
    }
    return hits;
  }

  async verify(actor: DistrictActor | Actor): Promise<DistrictVerification> {
    this.mustBeDistrict(actor);
    const communities = [];
    for (const c of this.known) communities.push({ code: c.code, name: c.name, verification: await (await this.officeFor(c.code)).records.verify(actor) });
    return { ok: communities.every((c) => c.verification.ok), communities };
  }

  async close(): Promise<void> {
    const offices = await Promise.allSettled([...this.offices.values()]);
    this.offices.clear();
    for (const o of offices) if (o.status === 'fulfilled') await o.value.close();
    await this.list.close();
    await this.registry.close();
  }

  /** Work across communities is the district's: a community's user is refused. */
  private mustBeDistrict(actor: Actor): void {
    if (typeof actor.community === 'string') fail({ code: 'district-only', community: this.nameOf(actor.community) });
  }

  private nameOf(code: string): string {
    return this.known.find((c) => c.code === code)?.name ?? code;
  }
}

function districtUser(user: User): DistrictUser {
  return { id: user.id, name: user.name, role: user.role, disabled: user.disabled, createdAt: user.createdAt };
}

/** The short name the community's numbers carry: its name without 社区 / 居委会, at most ten characters. */
function shortNameOf(name: string): string {
  return (name.replace(/(社区居民委员会|居民委员会|社区|居委会)$/, '') || name).slice(0, 10);
}

function communitySettingsText(name: string): string {
  return [
    `# ${name}的设置：只写与街道（区）的设置（../../pipeline/settings.yaml）不同的项，其余沿用街道（区）的。`,
    '# 数据库（store）和社区名单（district）由街道（区）统一设置，这里不能写。',
    '# 文书模板：本社区的 templates/ 里放了哪个模板就用哪个，没有的用街道（区）的 templates/。',
    'office:',
    `  name: ${JSON.stringify(name)}`,
    `  shortName: ${JSON.stringify(shortNameOf(name))}`,
    '# 本社区的档案全宗号等与街道（区）不同时写在这里，例如：',
    '# archive:',
    '#   fondsCode: Z109',
    '',
  ].join('\n');
}

/** The figures of one community that add up across the district. */
export function figuresOf(s: PeriodStats): DistrictFigures {
  return {
    total: s.total,
    byCategory: s.byCategory.map((c) => ({ ...c })),
    byChannel: s.byChannel.map((c) => ({ ...c })),
    byHandlingType: s.byHandlingType.map((c) => ({ ...c })),
    byStatus: s.byStatus.map((c) => ({ ...c })),
    firstPetitions: { total: s.firstPetitions.total, closed: s.firstPetitions.closed },
    onTime: { answered: s.onTime.answered, onTime: s.onTime.onTime, late: s.onTime.late },
    overdue: s.overdue.length,
    group: s.group.count,
    urgent: s.urgent.count,
    returned: s.returned.count,
    byMonth: s.byMonth.map((m) => ({ ...m })),
  };
}

/** The communities' figures added up; counts by name in the order the names first come. */
export function sumFigures(all: DistrictFigures[]): DistrictFigures {
  const counts = (lists: Count[][]): Count[] => {
    const out = new Map<string, number>();
    for (const list of lists) for (const c of list) out.set(c.name, (out.get(c.name) ?? 0) + c.count);
    return [...out].map(([name, count]) => ({ name, count }));
  };
  const months = new Map<string, number>();
  for (const f of all) for (const m of f.byMonth) months.set(m.month, (months.get(m.month) ?? 0) + m.count);
  const sum = (of: (f: DistrictFigures) => number) => all.reduce((n, f) => n + of(f), 0);
  return {
    total: sum((f) => f.total),
    byCategory: counts(all.map((f) => f.byCategory)),
    byChannel: counts(all.map((f) => f.byChannel)),
    byHandlingType: counts(all.map((f) => f.byHandlingType)),
    byStatus: counts(all.map((f) => f.byStatus)),
    firstPetitions: { total: sum((f) => f.firstPetitions.total), closed: sum((f) => f.firstPetitions.closed) },
    onTime: { answered: sum((f) => f.onTime.answered), onTime: sum((f) => f.onTime.onTime), late: sum((f) => f.onTime.late) },
    overdue: sum((f) => f.overdue),
    group: sum((f) => f.group),
    urgent: sum((f) => f.urgent),
    returned: sum((f) => f.returned),
    byMonth: [...months].sort(([a], [b]) => a.localeCompare(b)).map(([month, count]) => ({ month, count })),
  };
}
