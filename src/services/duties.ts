/**
 * Leaders' reception days (领导接访日) and their notice for the notice board, a leader taking
 * charge of a case (包案), and cadres' duties for their linked units and enterprises (一岗双责):
 * the links, each screening (a finding for the ledger, or a zero report), and who has not yet
 * screened which unit (daily during the settings' sensitive periods).
 */
import { writeReportFiles } from './report-files.js';
import type { Actor, Case } from '../domain/case.js';
import { chineseDate, localDate } from '../domain/calendar.js';
import type { DocumentType } from '../domain/document-types.js';
import {
  checkFinding,
  checkLink,
  checkReceptionDay,
  dutyDay,
  receptionDaysIn,
  screeningDue,
  type DutyLink,
  type ReceptionDay,
  type Screening,
  type ScreeningDue,
  type ScreeningFinding,
  type SensitivePeriod,
  type Unscreened,
} from '../domain/duties.js';
import { fail } from '../domain/problems.js';
import { can, mayDoDuty, type DutyAction } from '../domain/roles.js';
import type { Period } from '../domain/reports/periods.js';
import type { ReportDocument } from '../domain/report-document.js';
import type { ServiceContext } from './context.js';

/** The template the notice's wording comes from (templates/领导接访日公告.hbs). */
export const RECEPTION_NOTICE_TEMPLATE = '领导接访日公告';

const ACTION_TEXT: Record<DutyAction, string> = {
  'edit-reception': '安排领导接访日',
  'edit-links': '登记干部挂钩单位',
  'take-case': '包案',
  'record-screening': '登记排查情况',
  'see-duties': '查看一岗双责排查情况',
};

const WEEKDAY = ['日', '一', '二', '三', '四', '五', '六'];

export interface ReceptionNotice {
  period: string;
  days: ReceptionDay[];
  /** Relative to the workspace: the PDF, then the DOCX. */
  files: string[];
}

export class DutyService {
  constructor(private readonly ctx: ServiceContext) {}

  private must(actor: Actor, action: DutyAction, cadre?: string): void {
    if (!mayDoDuty(actor, action, cadre)) fail({ code: 'not-allowed', role: actor.role ?? '', action: ACTION_TEXT[action] });
  }

  private today(): string {
    return localDate(this.ctx.clock(), this.ctx.settings.office.timezone);
  }

  // Reception days.

  async addReceptionDay(actor: Actor, input: { day: string; leader: string; place: string; time: string }): Promise<ReceptionDay> {
    this.must(actor, 'edit-reception');
    const day = checkReceptionDay(input);
    const added = await this.ctx.store.addReceptionDay({ ...day, by: actor.name, at: this.ctx.clock().toISOString() });
    this.ctx.log.info({ day: added.day, leader: added.leader, by: actor.name }, 'reception day added');
    return added;
  }

  async removeReceptionDay(actor: Actor, id: string): Promise<ReceptionDay> {
    this.must(actor, 'edit-reception');
    const n = Number(id);
    const removed = Number.isInteger(n) && n > 0 ? await this.ctx.store.removeReceptionDay(n) : undefined;
    if (!removed) fail({ code: 'unknown-reception-day', id });
    this.ctx.log.info({ day: removed.day, leader: removed.leader, by: actor.name }, 'reception day removed');
    return removed;
  }

  /** The schedule of a period; anyone signed in may read it (it is posted on the notice board). */
  async receptionDays(period: Pick<Period, 'from' | 'to'>): Promise<ReceptionDay[]> {
    return receptionDaysIn(await this.ctx.store.receptionDays(period.from, period.to), period);
  }

  /** The notice for the notice board: the template's wording and the schedule as a table, PDF and DOCX into archive/报表/. */
  async receptionNotice(period: Period): Promise<ReceptionNotice> {
    const { settings, paths } = this.ctx;
    const days = await this.receptionDays(period);
    const { fillTemplate } = await import('../adapters/templates/templates.js');
    const filled = fillTemplate(paths.templateFolders, RECEPTION_NOTICE_TEMPLATE as DocumentType, { 单位名称: settings.office.name, 单位: settings.office.name, 期间: period.label, 联系电话: settings.workflow.contactPhone });
    const [first, ...rest] = filled.paragraphs.map((p) => p.text);
    const weekday = (day: string) => `星期${WEEKDAY[new Date(`${day}T12:00:00Z`).getUTCDay()]}`;
    const report: ReportDocument = {
      title: filled.title,
      subtitle: `（${period.label}）`,
      landscape: false,
      sections: [
        {
          heading: '',
          paragraphs: [first ?? ''].filter(Boolean),
          table: {
            columns: [
              { title: '日期', share: 3 },
              { title: '星期', share: 2 },
              { title: '接访领导', share: 3 },
              { title: '接访地点', share: 5 },
              { title: '接访时间', share: 3 },
            ],
            rows: days.length ? days.map((d) => [chineseDate(d.day), weekday(d.day), d.leader, d.place, d.time]) : [['（本期没有安排）', '', '', '', '']],
          },
        },
        ...(rest.length ? [{ heading: '', paragraphs: rest }] : []),
      ],
      signature: { issuer: settings.office.name, date: chineseDate(this.today()) },
    };
    const stem = `领导接访日安排_${period.kind === 'month' ? period.from.slice(0, 7) : `${period.from}_${period.to}`}`;
    return { period: period.label, days, files: await writeReportFiles(this.ctx, stem, report, this.ctx.clock()) };
  }

  // 包案.

  /**
   * A leader takes charge of a case (包案): named on the case, with the step in its history. A
   * leader signed in takes it for themselves; the terminal names the leader.
   */
  async takeCase(actor: Actor, c: Case, leaderName?: string): Promise<Case> {
    this.must(actor, 'take-case');
    const leader = (actor.role === undefined ? leaderName?.trim() : actor.name) || '';
    if (!leader) fail({ code: 'duty-missing', what: 'leader' });
    const at = this.ctx.clock().toISOString();
    const before = c.caseLeader?.leader;
    const detail = before && before !== leader ? `${leader}包案（原包案领导 ${before}）` : `${leader}包案`;
    const updated = await this.ctx.store.setCaseLeader(c.id, { leader, by: actor.name, at }, { at, actor: actor.name, action: 'leader-took-case', detail });
    this.ctx.log.info({ case: c.number, leader, by: actor.name }, 'leader took charge of case');
    return updated;
  }

  // 一岗双责: links and screenings.

  async links(actor: Actor): Promise<DutyLink[]> {
    this.must(actor, 'see-duties');
    return this.ctx.store.dutyLinks();
  }

  /** Whether this person is a cadre with linked units (the menu offers them their own 一岗双责 page). */
  async isCadre(name: string): Promise<boolean> {
    return (await this.ctx.store.dutyLinks()).some((l) => l.cadre === name);
  }

  /** Links a cadre to a unit or enterprise; linking again what is linked already changes nothing (null). */
  async link(actor: Actor, input: { cadre: string; unit: string; kind?: string }): Promise<DutyLink | null> {
    this.must(actor, 'edit-links');
    const link = checkLink(input);
    return this.ctx.store.addDutyLink({ ...link, by: actor.name, at: this.ctx.clock().toISOString() });
  }

  async unlink(actor: Actor, cadre: string, unit: string): Promise<void> {
    this.must(actor, 'edit-links');
    if (!(await this.ctx.store.removeDutyLink(cadre.trim(), unit.trim()))) fail({ code: 'unknown-duty-link', cadre, unit });
  }

  /**
   * A link by its id, as a page's form names it: for whoever may see the duties, or the cadre it
   * belongs to; a problem otherwise, or when there is no such link.
   */
  async linkById(actor: Actor, id: string): Promise<DutyLink> {
    const link = (await this.ctx.store.dutyLinks()).find((l) => String(l.id) === id.trim());
    if (link && link.cadre === actor.name && actor.role !== undefined) return link;
    this.must(actor, 'see-duties');
    return link ?? fail({ code: 'unknown-duty-link-id', id });
  }

  /** Adds the settings' links (duties.links) the registry does not have yet; returns those added. */
  async seedLinks(actor: Actor): Promise<DutyLink[]> {
    this.must(actor, 'edit-links');
    const added: DutyLink[] = [];
    for (const l of this.ctx.settings.duties.links) {
      for (const [units, kind] of [[l.units, '单位'], [l.enterprises, '企业']] as const) {
        for (const unit of units) {
          const a = await this.link(actor, { cadre: l.cadre, unit, kind });
          if (a) added.push(a);
        }
      }
    }
    return added;
  }

  /**
   * Records a cadre's screening of a linked unit on a day (default today): with a finding, a line
   * of the month's ledger; without, a zero report (零报告).
   */
  async recordScreening(actor: Actor, input: { cadre: string; unit: string; day?: string; finding?: Partial<Record<keyof ScreeningFinding, string>> | null }): Promise<Screening> {
    const cadre = input.cadre.trim();
    const unit = input.unit.trim();
    this.must(actor, 'record-screening', cadre);
    const links = await this.ctx.store.dutyLinks();
    if (!links.some((l) => l.cadre === cadre && l.unit === unit)) fail({ code: 'unknown-duty-link', cadre, unit });
    const day = input.day?.trim() ? dutyDay(input.day) : this.today();
    const finding = input.finding ? checkFinding(input.finding) : null;
    const recorded = await this.ctx.store.addScreening({ cadre, unit, day, finding, by: actor.name, at: this.ctx.clock().toISOString() });
    this.ctx.log.info({ cadre, unit, day, found: Boolean(finding), by: actor.name }, 'screening recorded');
    return recorded;
  }

  /** The screenings of a period, and who has not yet screened which unit (as of today). */
  async screeningState(actor: Actor | null, period: Pick<Period, 'from' | 'to'>): Promise<{ screenings: Screening[]; due: ScreeningDue }> {
    if (actor) this.must(actor, 'see-duties');
    const { settings, store } = this.ctx;
    const [screenings, links] = await Promise.all([store.screenings(period.from, period.to), store.dutyLinks()]);
    const due = screeningDue(period, links, screenings, settings.duties.sensitivePeriods, this.today(), settings.office.timezone);
    return { screenings, due };
  }

  /**
   * A month of 一岗双责 as a page shows it: the links, the month's screenings, who has not screened
   * yet (daily during the sensitive periods), the sensitive periods touching the month, and the
   * settings' links the registry does not hold yet. Whoever may see the duties sees everyone's; a
   * cadre without that permission sees only their own links and screenings.
   */
  async month(actor: Actor, period: Pick<Period, 'from' | 'to'>): Promise<DutyMonth> {
    const { settings, store } = this.ctx;
    const all = await store.dutyLinks();
    const own = !can(actor, 'see-duties');
    const links = own ? all.filter((l) => l.cadre === actor.name) : all;
    if (own && links.length === 0) this.must(actor, 'see-duties');
    const mine = (x: { cadre: string }) => !own || x.cadre === actor.name;
    const { screenings, due } = await this.screeningState(null, period);
    const held = new Set(all.map((l) => `${l.cadre}\u0000${l.unit}`));
    const unseeded = own
      ? []
      : settings.duties.links.flatMap((l) =>
          [...l.units.map((unit) => ({ cadre: l.cadre, unit, kind: '单位' as const })), ...l.enterprises.map((unit) => ({ cadre: l.cadre, unit, kind: '企业' as const }))].filter((u) => !held.has(`${u.cadre}\u0000${u.unit}`)),
        );
    return {
      own,
      today: this.today(),
      links,
      screenings: screenings.filter(mine),
      due: { month: due.month.filter(mine), days: due.days.map((d) => ({ ...d, missing: d.missing.filter(mine) })) },
      periods: settings.duties.sensitivePeriods.filter((p) => p.from <= period.to && p.to >= period.from),
      unseeded,
    };
  }
}

/** A month of 一岗双责 for one person (DutyService.month). */
export interface DutyMonth {
  /** Only the person's own links (a cadre without the permission to see everyone's). */
  own: boolean;
  today: string;
  links: DutyLink[];
  screenings: Screening[];
  due: ScreeningDue;
  /** The sensitive periods (daily screening) that touch the month. */
  periods: SensitivePeriod[];
  /** The settings' links (duties.links) not yet in the registry. */
  unseeded: Unscreened[];
}
