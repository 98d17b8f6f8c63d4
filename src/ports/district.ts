/**
 * A district (街道 / 区信访办) running several communities (社区) on one PostgreSQL database: the
 * surface the district's faces (CLI, web, queue workers) use. One PostgreSQL schema per community
 * (`c_<code>`), so each community's numbering, history chains and users are its own by
 * construction; a `district` schema lists the communities and holds the district's own users,
 * who read across every community. Opened by `openDistrict(root)`; the District itself (which
 * hands out each community's Office) is declared in src/district.ts, beside app.ts.
 *
 * Files: the district root is a workspace whose pipeline/settings.yaml holds `store.postgres` and
 * a `district:` section listing the communities; each community is a workspace folder under
 * communities/<code>/ whose settings override the district's (key by key) and whose templates/
 * override the district's templates file by file (then the built-in ones).
 *
 * The data the district's faces are given, and the port of its list of communities. Kept small
 * and stable: the web (branch districtweb) and the queue (branch queue) build on it.
 */
import type { Actor, SearchHit } from '../domain/case.js';
import type { Role } from '../domain/roles.js';
import type { Count, PeriodStats } from '../domain/reports/stats.js';
import type { Verification } from '../domain/history.js';

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

/** The district's list of communities as the database keeps it (the district schema): every process sees the same. */
export interface CommunityList {
  list(): Promise<{ code: string; name: string; schema: string; addedAt: string }[]>;
  /** Records a community (its schema named); its name brought up to date when the code is there already. */
  record(community: { code: string; name: string; schema: string }, at: Date): Promise<void>;
  close(): Promise<void>;
}
