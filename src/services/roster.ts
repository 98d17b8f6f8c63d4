/**
 * The leading group's duty roster (值班表) and 24-hour contact list (通讯录), the only way in:
 * read by the office's staff, edited by a leader or the administrator, printed as PDF and DOCX
 * into archive/报表/. Who is on duty today is what the urgent alerts name (services/alerts.ts).
 */
import { periodFileLabel, writeReportFiles } from './report-files.js';
import type { Actor } from '../domain/case.js';
import { chineseDate, localDate } from '../domain/calendar.js';
import { dutyDay } from '../domain/duties.js';
import { fail } from '../domain/problems.js';
import type { Period } from '../domain/reports/periods.js';
import type { ReportDocument } from '../domain/report-document.js';
import { checkContact, checkShift, mayDoRoster, onDutyOn, type Contact, type DutyShift, type OnDuty, type RosterAction } from '../domain/roster.js';
import type { ServiceContext } from './context.js';

const ACTION_TEXT: Record<RosterAction, string> = { 'see-roster': '查看值班表和通讯录', 'edit-roster': '修改值班表和通讯录' };
const WEEKDAY = ['日', '一', '二', '三', '四', '五', '六'];

export interface RosterPrint {
  period: string;
  shifts: DutyShift[];
  contacts: Contact[];
  /** Relative to the workspace: the PDF, then the DOCX. */
  files: string[];
}

export class RosterService {
  constructor(private readonly ctx: ServiceContext) {}

  private must(actor: Actor, action: RosterAction): void {
    if (!mayDoRoster(actor, action)) fail({ code: 'not-allowed', role: actor.role ?? '', action: ACTION_TEXT[action] });
  }

  private today(): string {
    return localDate(this.ctx.clock(), this.ctx.settings.office.timezone);
  }

  /** Puts a person on duty on a day (2026-12-10 or 2026年12月10日); the same person that day again replaces the phone and post. */
  async setShift(actor: Actor, input: { day: string; person: string; phone?: string; post?: string }): Promise<DutyShift> {
    this.must(actor, 'edit-roster');
    const day = dutyDay(input.day);
    const shift = checkShift(input);
    const saved = await this.ctx.store.setDutyShift({ day, ...shift, by: actor.name, at: this.ctx.clock().toISOString() });
    this.ctx.log.info({ day, person: saved.person, by: actor.name }, 'duty shift set');
    return saved;
  }

  async removeShift(actor: Actor, id: string): Promise<DutyShift> {
    this.must(actor, 'edit-roster');
    const n = Number(id);
    const removed = Number.isInteger(n) && n > 0 ? await this.ctx.store.removeDutyShift(n) : undefined;
    if (!removed) fail({ code: 'unknown-roster-entry', id });
    this.ctx.log.info({ day: removed.day, person: removed.person, by: actor.name }, 'duty shift removed');
    return removed;
  }

  async shifts(actor: Actor, period: Pick<Period, 'from' | 'to'>): Promise<DutyShift[]> {
    this.must(actor, 'see-roster');
    return this.ctx.store.dutyShifts(period.from, period.to);
  }

  /** Who is on duty on a day (default today), with a phone from the contact list where the roster has none. */
  async onDuty(actor: Actor, day?: string): Promise<{ day: string; people: OnDuty[] }> {
    this.must(actor, 'see-roster');
    const d = day?.trim() ? dutyDay(day) : this.today();
    const [shifts, contacts] = await Promise.all([this.ctx.store.dutyShifts(d, d), this.ctx.store.contacts()]);
    return { day: d, people: onDutyOn(d, shifts, contacts) };
  }

  /** Adds a person to the contact list, or replaces the post and phones of the one of this name. */
  async setContact(actor: Actor, input: { name: string; post: string; phones: string | readonly string[] }): Promise<Contact> {
    this.must(actor, 'edit-roster');
    const contact = checkContact(input);
    const saved = await this.ctx.store.setContact({ ...contact, by: actor.name, at: this.ctx.clock().toISOString() });
    this.ctx.log.info({ name: saved.name, by: actor.name }, 'contact set');
    return saved;
  }

  async removeContact(actor: Actor, name: string): Promise<void> {
    this.must(actor, 'edit-roster');
    if (!(await this.ctx.store.removeContact(name.trim()))) fail({ code: 'unknown-contact', name });
    this.ctx.log.info({ name, by: actor.name }, 'contact removed');
  }

  async contacts(actor: Actor): Promise<Contact[]> {
    this.must(actor, 'see-roster');
    return this.ctx.store.contacts();
  }

  /** The period's roster and the contact list, printed for the wall and the duty room: PDF and DOCX into archive/报表/. */
  async print(actor: Actor, period: Period): Promise<RosterPrint> {
    this.must(actor, 'see-roster');
    const { settings } = this.ctx;
    const [shifts, contacts] = await Promise.all([this.ctx.store.dutyShifts(period.from, period.to), this.ctx.store.contacts()]);
    const phoneOf = (s: DutyShift) => s.phone || contacts.find((c) => c.name === s.person)?.phones[0] || '';
    const weekday = (day: string) => `星期${WEEKDAY[new Date(`${day}T12:00:00Z`).getUTCDay()]}`;
    const report: ReportDocument = {
      title: `${settings.office.name}信访工作领导小组值班表和通讯录`,
      subtitle: `（${period.label}）`,
      landscape: false,
      sections: [
        {
          heading: '一、值班安排',
          paragraphs: ['值班人员须保持通讯畅通，遇有紧急信访事项、集体访和苗头信息立即报告带班领导。'],
          table: {
            columns: [
              { title: '日期', share: 4 },
              { title: '星期', share: 2 },
              { title: '值班人员', share: 3 },
              { title: '职务', share: 3 },
              { title: '联系电话', share: 4 },
            ],
            rows: shifts.length ? shifts.map((s) => [chineseDate(s.day), weekday(s.day), s.person, s.post, phoneOf(s)]) : [['（本期没有安排）', '', '', '', '']],
          },
        },
        {
          heading: '二、领导小组通讯录（24小时）',
          paragraphs: [],
          table: {
            columns: [
              { title: '序号', share: 1 },
              { title: '姓名', share: 3 },
              { title: '职务', share: 4 },
              { title: '联系电话', share: 6 },
            ],
            rows: contacts.length ? contacts.map((c, i) => [String(i + 1), c.name, c.post, c.phones.join('、')]) : [['', '（通讯录为空）', '', '']],
          },
        },
      ],
      signature: { issuer: settings.office.name, date: chineseDate(this.today()) },
    };
    const stem = `值班表和通讯录_${periodFileLabel(period)}`;
    return { period: period.label, shifts, contacts, files: await writeReportFiles(this.ctx, stem, report, this.ctx.clock()) };
  }
}
