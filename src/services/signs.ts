/**
 * Informants' reports of early signs (信息员报告的苗头), the only way in: an informant reports one
 * (or a clerk writes down an informant's call); it is numbered on its own counter in the
 * transaction that records it, told to every leader (banner, log, hook, naming who is on duty),
 * listed in the month's dispute ledger, and ended once: turned into a case through the ordinary
 * registering service (the case linked to it), or closed with what was done.
 */
import type { Actor, CaseDetail, Channel } from '../domain/case.js';
import { formatCaseNumber, yearInZone } from '../domain/case-number.js';
import { fail } from '../domain/problems.js';
import { can, type Permission } from '../domain/roles.js';
import { caseMatterOf, checkSign, maySeeSign, mustBeOpen, type SignReport, type SignStatus, type TypedSign } from '../domain/signs.js';
import type { CaseService } from './cases.js';
import type { ServiceContext } from './context.js';

export class SignService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly cases: CaseService,
  ) {}

  /**
   * Records a report. An informant signed in reports as themselves (信息员); anyone else writes
   * down who reported it, by phone (电话) unless they name themselves.
   */
  async report(actor: Actor, input: TypedSign): Promise<SignReport> {
    must(actor, 'report-signs', '报告苗头信息');
    const { settings, store } = this.ctx;
    const now = this.ctx.clock();
    const informant = actor.role !== undefined && !can(actor, 'handle-signs');
    const checked = checkSign({ ...input, reporter: informant ? actor.name : input.reporter }, settings.signs.riskLevels, now);
    const year = yearInZone(new Date(checked.reportedAt), settings.office.timezone);
    const source = informant || checked.reporter === actor.name ? '信息员' : '电话';
    const short = settings.office.shortName;
    const sign = await store.addSignReport({ ...checked, source, year, by: actor.name, at: now.toISOString() }, (y, seq) => formatCaseNumber(settings.signs.numberFormat, { short, year: y, seq }));
    this.ctx.log.info({ sign: sign.number, risk: sign.risk, reporter: sign.reporter, by: actor.name }, 'early sign reported');
    await this.ctx.alerts?.signReported(sign);
    return sign;
  }

  /** The reports this person may see, latest first: all of them for those who handle signs, an informant's own otherwise. */
  async list(actor: Actor, options: { status?: SignStatus } = {}): Promise<SignReport[]> {
    let signs: SignReport[];
    if (can(actor, 'handle-signs')) signs = await this.ctx.store.signReports();
    else if (can(actor, 'report-signs')) signs = await this.ctx.store.signReports({ by: actor.name });
    else fail({ code: 'not-allowed', role: actor.role ?? '', action: '查看苗头信息' });
    return options.status ? signs.filter((s) => s.status === options.status) : signs;
  }

  /** One report (信息〔2026〕3号, 2026-3 or 3); someone else's is as good as none to an informant. */
  async find(actor: Actor, reference: string): Promise<SignReport> {
    const sign = await this.ctx.store.findSignReport(reference);
    if (!sign || !maySeeSign(actor, sign)) fail({ code: 'unknown-sign', reference });
    return sign;
  }

  /**
   * Turns an open report into a petition case, registered as a clerk registers a call or visit
   * (numbered, read, its alerts raised); the report then names the case and is no longer open.
   */
  async toCase(actor: Actor, reference: string, options: { channel?: string; name?: string; phone?: string } = {}): Promise<{ sign: SignReport; case: CaseDetail }> {
    must(actor, 'handle-signs', '把苗头信息转为信访案件');
    const sign = await this.find(actor, reference);
    mustBeOpen(sign);
    const fields: Record<string, string> = {};
    if (options.name?.trim()) fields.name = options.name.trim();
    if (options.phone?.trim()) fields.phone = options.phone.trim();
    const registered = await this.cases.register(actor, { channel: (options.channel?.trim() || '电话') as Channel, matter: caseMatterOf(sign), fields });
    const ended = await this.ctx.store.endSignReport(sign.id, { status: 'case', caseId: registered.id, outcome: `转为信访案件 ${registered.number}`, by: actor.name, at: this.ctx.clock().toISOString() });
    if (!ended) {
      // Someone ended it while the case was being registered: the case stands, and says where it came from in its matter.
      this.ctx.log.warn({ sign: sign.number, case: registered.number }, 'early sign ended by someone else while it was turned into a case');
      mustBeOpen((await this.ctx.store.signReportById(sign.id))!);
    }
    this.ctx.log.info({ sign: sign.number, case: registered.number, by: actor.name }, 'early sign turned into a case');
    return { sign: (await this.ctx.store.signReportById(sign.id))!, case: registered };
  }

  /** Closes an open report with what was done (化解、稳控、核实不实……). */
  async close(actor: Actor, reference: string, outcome: string): Promise<SignReport> {
    must(actor, 'handle-signs', '办结苗头信息');
    const sign = await this.find(actor, reference);
    mustBeOpen(sign);
    const what = outcome.trim();
    if (!what) fail({ code: 'sign-missing', what: 'outcome' });
    const ended = await this.ctx.store.endSignReport(sign.id, { status: 'closed', caseId: null, outcome: what, by: actor.name, at: this.ctx.clock().toISOString() });
    const after = (await this.ctx.store.signReportById(sign.id))!;
    if (!ended) mustBeOpen(after);
    this.ctx.log.info({ sign: sign.number, by: actor.name }, 'early sign closed');
    return after;
  }
}

function must(actor: Actor, permission: Permission, action: string): void {
  if (!can(actor, permission)) fail({ code: 'not-allowed', role: actor.role ?? '', action });
}
