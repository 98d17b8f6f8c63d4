/**
 * A district (街道 / 区信访办) running several communities (社区) on one PostgreSQL database: the
 * surface the district's faces (CLI, web, queue workers) use. One PostgreSQL schema per community
 * (`c_<code>`), so each community's numbering, history chains and users are its own by
 * construction; a `district` schema lists the communities and holds the district's own users,
 * who read across every community. Opened by `openDistrict(root)` (src/district.ts).
 *
 * Files: the district root is a workspace whose pipeline/settings.yaml holds `store.postgres` and
 * a `district:` section listing the communities; each community is a workspace folder under
 * communities/<code>/ whose settings override the district's (key by key) and whose templates/
 * override the district's templates file by file (then the built-in ones).
 *
 * Kept small and stable: the web (branch districtweb) and the queue (branch queue) build on it.
 */
import type { Office } from '../app.js';
import type { Actor, SearchHit } from '../domain/case.js';
import type { Role } from '../domain/roles.js';
import type { Period } from '../domain/reports/periods.js';
import type { Count, PeriodStats } from '../domain/reports/stats.js';
import type { Settings } from '../domain/settings.js';
import type { UserStore } from './store.js';
import type { Verification } from '../services/records.js';

/** A community of the district. */
export interface Community {
  /** Lower-case letters and digits, e.g. `babao`: the folder communities/<code>/ and the schema c_<code>. */
  code: string;
  /** The community's name as the district lists it, e.g. 八宝社区. */
  name: string;
  /** The community's workspace folder (absolute). */
  root: string;
}

/**
 * Who acts in a district. `community` is the community the person belongs to (a community's
 * user, from that community's own user list) or null for a district user (the district's user
 * list), who reads every community. Each role holds as in one office (domain/roles.ts).
 */
export interface DistrictActor extends Actor {
  community: string | null;
}

/** A district user as the administrator sees them (no password hash). */
export interface DistrictUser {
  id: number;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

/** A person signed in through the district: who they are, where they belong, and the session's credential (see UserService.current). */
export interface DistrictSignedIn {
  id: number;
  name: string;
  role: Role;
  community: string | null;
  credential: string;
}

/** The district's figures for a period: each community's own, and their sum. */
export interface DistrictStats {
  period: { from: string; to: string; label: string };
  /** The sum over the communities (a case belongs to exactly one community). */
  total: DistrictFigures;
  communities: { code: string; name: string; figures: DistrictFigures; stats: PeriodStats }[];
}

/** The figures that add up across communities. */
export interface DistrictFigures {
  total: number;
  byCategory: Count[];
  byChannel: Count[];
  byHandlingType: Count[];
  byStatus: Count[];
  firstPetitions: { total: number; closed: number };
  onTime: { answered: number; onTime: number; late: number };
  overdue: number;
  group: number;
  urgent: number;
  returned: number;
  byMonth: { month: string; count: number }[];
}

/** A search hit with the community it came from. */
export type DistrictSearchHit = SearchHit & { community: string; communityName: string };

/** Every community's chains and files checked. */
export interface DistrictVerification {
  ok: boolean;
  communities: { code: string; name: string; verification: Verification }[];
}

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
   * refuses ('other-community') an actor whose `community` is another community's.
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

/** The district's list of communities as the database keeps it (the district schema): every process sees the same. */
export interface CommunityList {
  list(): Promise<{ code: string; name: string; schema: string; addedAt: string }[]>;
  /** Records a community (its schema named); its name brought up to date when the code is there already. */
  record(community: { code: string; name: string; schema: string }, at: Date): Promise<void>;
  close(): Promise<void>;
}
