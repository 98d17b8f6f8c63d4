/**
 * The one place that wires the program together: the workspace's settings and paths, the store,
 * the clock, the log, the OCR engines and the background work, handed to the services. The CLI,
 * the background worker and any other program (tests, scripts) start here:
 *
 *   const office = await openOffice({ root: '/path/to/workspace' });
 *   const c = await office.cases.find('7');
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { watchInbox } from './adapters/chokidar/watcher.js';
import { workspaceAt, type Workspace } from './adapters/files/workspace.js';
import { ChildProcessWork } from './adapters/jobs/child-process-work.js';
import { InProcessWork } from './adapters/jobs/in-process-work.js';
import { createEngineLog } from './adapters/log/log.js';
import { OcrPool } from './adapters/ocr/pool.js';
import { argon2Hasher } from './adapters/passwords/argon2.js';
import { loadRawSettings, loadSettings } from './adapters/settings/settings-file.js';
import path from 'node:path';
import { packageRoot } from './adapters/files/workspace.js';
import { openPostgresStore } from './adapters/postgres/postgres-store.js';
import { openSqliteStore } from './adapters/sqlite/sqlite-store.js';
import { systemClock } from './adapters/system/clock.js';
import { runCommand } from './adapters/system/command.js';
import { processOwner } from './adapters/system/process.js';
import { fail } from './domain/problems.js';
import { parseCommunitySettings, parseSettings, registryOptions, type Settings } from './domain/settings.js';
import type { BackgroundWork } from './ports/jobs.js';
import type { Log } from './ports/log.js';
import type { PageReader } from './ports/ocr.js';
import type { Store } from './ports/store.js';
import { AlertService } from './services/alerts.js';
import { keptToCommunity } from './services/community-guard.js';
import { BindingService } from './services/binding.js';
import { CaseService } from './services/cases.js';
import { CorrectionService } from './services/corrections.js';
import type { ServiceContext } from './services/context.js';
import { DocumentService } from './services/documents.js';
import { DutyService } from './services/duties.js';
import { AssessmentService } from './services/assessment.js';
import { recoverFiles } from './services/files.js';
import { IntakeService } from './services/intake/intake.js';
import { InboxService } from './services/intake/uploads.js';
import { PageImageService } from './services/page-images.js';
import { RecordsService } from './services/records.js';
import { ReportService } from './services/reports.js';
import { AuditService } from './services/audit.js';
import { SettingsService } from './services/office-settings.js';
import { TemplateService } from './services/templates.js';
import { UserService } from './services/users.js';
import { WorkflowService } from './services/workflow.js';
import { SignService } from './services/signs.js';
import { RosterService } from './services/roster.js';
import { MigrationService, type MigrationReport } from './services/migrate.js';
import type { CopyProgress } from './ports/registry-tables.js';
import { openSqliteReader } from './adapters/sqlite/registry-reader.js';
import { openPostgresWriter } from './adapters/postgres/registry-writer.js';
import { MIGRATIONS } from './adapters/sqlite/schema.js';

export interface OfficeOptions {
  /** The workspace: inbox/, archive/, pipeline/, templates/. */
  root: string;
  /** The time as the program sees it (default: the system clock, or XINFANG_NOW). */
  clock?: () => Date;
  /** The engineers' log (default: archive/logs/xinfang.log). */
  log?: Log;
  /** Where the intake's background work runs: a child process (default), this process, or nowhere. */
  background?: 'child' | 'in-process' | 'none';
  /** A store other than the one the settings name (store.postgres, else the workspace's SQLite registry). */
  store?: Store;
}

/** A district's community an Office serves: its code (schema c_<code>) and name, and the district's root. */
export interface CommunityOf {
  code: string;
  name: string;
  district: string;
}

export interface Office {
  settings: Settings;
  /** The district's community this office is (its registry the community's schema), or null for an office on its own. */
  community: CommunityOf | null;
  paths: Workspace;
  log: Log;
  clock: () => Date;
  /** The registry itself, for tools and tests that work below the services. */
  store: Store;
  cases: CaseService;
  workflow: WorkflowService;
  documents: DocumentService;
  binding: BindingService;
  records: RecordsService;
  reports: ReportService;
  users: UserService;
  /** Alerts to leaders and handlers: urgent letters, group petitions, deadlines. */
  alerts: AlertService;
  /** The audit log, the office's templates and its settings, for the administrator (and the leader's log). */
  audit: AuditService;
  templates: TemplateService;
  officeSettings: SettingsService;
  /** The inbox as the web shows it: uploads, what waits, what was set aside. */
  inbox: InboxService;
  pageImages: PageImageService;
  /** A clerk's reading of scanned lines beside the OCR's. */
  corrections: CorrectionService;
  /** Leaders' reception days, 包案, cadres' linked units and their screenings (一岗双责). */
  duties: DutyService;
  /** The assessment of cadres and handlers (考核), for leaders. */
  assessment: AssessmentService;
  /** Informants' reports of early signs (信息员, 苗头). */
  signs: SignService;
  /** The leading group's duty roster (值班) and contact list (通讯录). */
  roster: RosterService;
  /** Starts the OCR engines (and the background work) for taking scans in. */
  openIntake(options?: { ocr?: PageReader }): Promise<IntakeService>;
  close(): Promise<void>;
}

/** Connections each community's Office keeps: a district runs tens of them in one process. */
const COMMUNITY_POOL = 4;

/** The schema of a district's community in the district's database. */
export const communitySchema = (code: string): string => `c_${code}`;

/** The registry the settings name: a PostgreSQL database (store.postgres; a community's schema in it), else the workspace's SQLite file. */
async function openStore(settings: Settings, paths: Workspace, community: CommunityOf | null): Promise<Store> {
  const url = settings.store.postgres;
  if (!url) return openSqliteStore(paths.database, registryOptions(settings));
  return openPostgresAt(url, { ...registryOptions(settings), ...(community ? { schema: communitySchema(community.code), poolSize: COMMUNITY_POOL } : {}) });
}

/** The PostgreSQL registry, a server that cannot be reached or refuses the login worded for the office. */
export async function openPostgresAt(url: string, options: Parameters<typeof openPostgresStore>[1]): Promise<Store> {
  try {
    return await openPostgresStore(url, options);
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    // Only a server that cannot be reached or refuses the login is the office's to fix; anything else is a fault to report as it is.
    if (!/^(ECONNREFUSED|ENOENT|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|28P01|28000|3D000)$/.test(code)) throw e;
    const server = new URL(url);
    server.password = server.password ? '***' : '';
    fail({ code: 'registry-unreachable', server: server.toString(), reason: code === '3D000' ? '没有这个数据库' : code.startsWith('28') ? '用户名或密码不对' : '服务器没有应答' });
  }
}

/** A workspace's folders, its settings as checked, and the district's community it is, if it is one. */
export interface WorkspacePlace {
  paths: Workspace;
  settings: Settings;
  community: CommunityOf | null;
  /** The settings file's data read as the program reads it (a community's over its district's). */
  settingsOf: (raw: unknown, file: string) => Settings;
  /** A community of the same district by its code, named as the district lists it (for the office's messages). */
  communityName: (code: string) => string;
}

/**
 * Where a workspace stands: an office on its own, or a district's community (the folder
 * <district>/communities/<code>/ of a district whose settings list the code), whose settings are
 * the district's with its own over them and whose templates fall back to the district's, then the
 * program's. A district's own root is not an office: 'district-root'.
 */
export function placeOf(root: string): WorkspacePlace {
  const own = workspaceAt(root);
  const districtRoot = path.dirname(path.dirname(own.root));
  const code = path.basename(own.root);
  const districtFile = workspaceAt(districtRoot).settingsFile;
  if (path.basename(path.dirname(own.root)) === 'communities' && existsSync(districtFile)) {
    const districtRaw = loadRawSettings(districtFile);
    const district = parseSettings(districtRaw, districtFile);
    const listed = district.district?.communities ?? [];
    const entry = listed.find((c) => c.code === code);
    // A folder under a district's communities/ that its settings do not list: not an office of its own either.
    if (district.district && !entry) fail({ code: 'unknown-community', given: code, known: listed.map((c) => `${c.code}（${c.name}）`) });
    if (entry) {
      if (!existsSync(own.settingsFile)) fail({ code: 'not-a-workspace', root: own.root });
      const settingsOf = (raw: unknown, file: string) => parseCommunitySettings(districtRaw, raw, file);
      return {
        paths: workspaceAt(own.root, [workspaceAt(districtRoot).templates, path.join(packageRoot(), 'templates')]),
        settings: settingsOf(loadRawSettings(own.settingsFile), own.settingsFile),
        community: { code, name: entry.name, district: workspaceAt(districtRoot).root },
        settingsOf,
        communityName: (other) => listed.find((c) => c.code === other)?.name ?? other,
      };
    }
  }
  if (!existsSync(own.settingsFile)) fail({ code: 'not-a-workspace', root: own.root });
  const settings = loadSettings(own.settingsFile);
  if (settings.district) fail({ code: 'district-root', root: own.root, communities: settings.district.communities.map((c) => c.code) });
  return { paths: own, settings, community: null, settingsOf: parseSettings, communityName: (other) => other };
}

/** Opens a workspace: settings checked first, then the registry; what a stopped process left is finished or undone. */
export async function openOffice(options: OfficeOptions): Promise<Office> {
  const { paths, settings, community, settingsOf, communityName } = placeOf(options.root);
  await mkdir(paths.archiveDir, { recursive: true });
  await mkdir(paths.inbox, { recursive: true });
  const store = options.store ?? (await openStore(settings, paths, community));
  const log = options.log ?? createEngineLog(paths.logs);
  const ctx: ServiceContext = { settings, paths, store, clock: options.clock ?? systemClock, log, owner: processOwner(), settingsOf };
  const alerts = new AlertService(ctx, runCommand);
  ctx.alerts = alerts;
  const settled = await recoverFiles(ctx);
  if (settled) log.info({ notes: settled }, 'finished or undid the file work of a stopped process');

  const documents = new DocumentService(ctx);
  const background = (): BackgroundWork | undefined => {
    if (!settings.workflow.blankSheets || options.background === 'none') return undefined;
    if (options.background === 'in-process') return new InProcessWork(async () => void (await documents.makeMissingSheets()), log);
    return new ChildProcessWork(paths.root, log);
  };
  const audit = new AuditService(ctx);
  // Settings saved in the browser replace these for every service, which read them on each call.
  const applySettings = (next: Settings) => void (ctx.settings = next);
  const { intake } = settings;
  const watchFolder = (folder: string, wake: () => void) =>
    watchInbox(folder, { polling: intake.watchMode === 'polling', pollIntervalMs: intake.pollIntervalSeconds * 1000, rescanMs: intake.rescanSeconds * 1000, ignoredFolder: intake.setAsideFolder }, wake);
  const office: Office = {
    get settings() {
      return ctx.settings;
    },
    community,
    paths,
    log,
    clock: ctx.clock,
    store,
    cases: new CaseService(ctx, documents),
    workflow: new WorkflowService(ctx),
    documents,
    binding: new BindingService(ctx),
    records: new RecordsService(ctx),
    reports: new ReportService(ctx),
    alerts,
    users: new UserService(ctx, argon2Hasher, audit),
    audit,
    templates: new TemplateService(ctx, audit),
    officeSettings: new SettingsService(ctx, audit, applySettings),
    inbox: new InboxService(ctx),
    pageImages: new PageImageService(ctx),
    corrections: new CorrectionService(ctx, new CaseService(ctx, documents), new PageImageService(ctx)),
    duties: new DutyService(ctx),
    assessment: new AssessmentService(ctx),
    signs: new SignService(ctx, new CaseService(ctx, documents)),
    roster: new RosterService(ctx),
    openIntake: async (o = {}) => new IntakeService(ctx, o.ocr ?? (await OcrPool.create(settings.ocr)), background(), watchFolder),
    close: () => store.close(),
  };
  return community ? keptToCommunity(office, community, communityName) : office;
}

/** The terminal's administrator, who may verify an archive. */
const MIGRATION_ACTOR = { name: '管理员（终端）' };

/**
 * Moves the SQLite archive of the workspace `from` into the PostgreSQL registry of the workspace
 * `root` (whose settings name it in store.postgres), with the archive's files when the two are
 * different folders (services/migrate.ts). The source's schema must be this program's: it is read
 * as it is, never upgraded here.
 */
export async function migrateArchive(options: { root: string; from: string; clock?: () => Date; log?: Log; progress?: CopyProgress }): Promise<MigrationReport> {
  // The target may be a district's community: its registry is the community's schema in the district's database.
  const targetPlace = placeOf(options.root);
  const targetPaths = targetPlace.paths;
  const url = targetPlace.settings.store.postgres;
  if (!url) fail({ code: 'migrate-target-not-postgres', root: targetPaths.root });
  const schema = targetPlace.community ? communitySchema(targetPlace.community.code) : undefined;
  const sourcePaths = workspaceAt(options.from);
  if (!existsSync(sourcePaths.settingsFile)) fail({ code: 'not-a-workspace', root: sourcePaths.root });
  if (!existsSync(sourcePaths.database)) fail({ code: 'migrate-no-registry', root: sourcePaths.root });
  const sourceSettings = loadSettings(sourcePaths.settingsFile);

  const reader = openSqliteReader(sourcePaths.database);
  try {
    const step = await reader.schemaStep();
    if (step !== MIGRATIONS.length) fail({ code: 'migrate-schema-mismatch', root: sourcePaths.root, step, expected: MIGRATIONS.length });
    // The source's registry is its SQLite file whatever its settings now say (a workspace may move its own registry).
    const source = await openOffice({ root: sourcePaths.root, store: openSqliteStore(sourcePaths.database, registryOptions(sourceSettings)), background: 'none', clock: options.clock, log: options.log });
    try {
      const target = await openOffice({ root: targetPaths.root, background: 'none', clock: options.clock, log: options.log });
      const writer = openPostgresWriter(url, schema);
      try {
        const service = new MigrationService(
          { paths: source.paths, tables: reader, openNotes: async () => (await source.store.notes()).length, verify: () => source.records.verify(MIGRATION_ACTOR) },
          { paths: target.paths, tables: writer, store: target.store, owner: processOwner(), verify: () => target.records.verify(MIGRATION_ACTOR) },
        );
        const report = await service.run(options.progress);
        target.log.info({ from: sourcePaths.root, outcome: report.outcome, ok: report.ok, tables: report.tables, files: report.files }, 'migrate: archive moved into the PostgreSQL registry');
        return report;
      } finally {
        await writer.close();
        await target.close();
      }
    } finally {
      await source.close();
    }
  } finally {
    await reader.close();
  }
}
