/** Cases as the office works with them: registering what comes in by hand, finding, correcting, reviewing, searching. */
import { CHANNELS, type Actor, type Case, type CaseDetail, type Channel, type ReviewItem, type SearchHit } from '../domain/case.js';
import { localDate } from '../domain/calendar.js';
import { letterText } from '../domain/corrections.js';
import { yearInZone } from '../domain/case-number.js';
import { dueState, type DueState } from '../domain/deadlines.js';
import { extractFields } from '../domain/extract/letter-fields.js';
import { checkFieldChanges, KEY_FIELDS, type FieldName, type LetterFields, type Provenance } from '../domain/fields.js';
import { flagsAfterChange } from '../domain/flags.js';
import { fail } from '../domain/problems.js';
import { isSearchable } from '../domain/search.js';
import { FIELD_LABELS } from '../domain/words.js';
import { learnedRules } from './classifiers.js';
import { can, maySee, type Permission } from '../domain/roles.js';
import type { CaseQuery } from '../ports/store.js';
import type { ServiceContext } from './context.js';
import type { DocumentService } from './documents.js';

/** A visit, call, online message or transferred case as a clerk writes it down. */
export interface TypedPetition {
  channel: string;
  matter: string;
  /** The fields the clerk filled in, as typed; each is checked. */
  fields: Partial<Record<FieldName, string>>;
  /** When it came in (a time, or as typed: 2026-11-03 09:30); now if not given. */
  receivedAt?: Date | string;
  transfer?: { office: string; number: string };
  /** A visit: the leader who received the visitor (on a reception day). */
  receivedBy?: string;
}

export interface DueCase {
  case: Case;
  due: DueState;
}

export class CaseService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly documents: DocumentService,
  ) {}

  async list(): Promise<Case[]> {
    return this.ctx.store.listCases();
  }

  /** A case as this person may see it: a problem if there is none, or it is not theirs to see. */
  async findFor(actor: Actor, reference: string): Promise<CaseDetail> {
    const c = await this.find(reference);
    if (!maySee(actor, c)) fail({ code: 'not-allowed', role: actor.role ?? '', action: `查看 ${c.number}` });
    return c;
  }

  /** One page of the cases this person may see, filtered and sorted: a handler sees the cases assigned to them. */
  async query(actor: Actor, query: CaseQuery): Promise<{ cases: Case[]; total: number }> {
    if (can(actor, 'see-all-cases')) return this.ctx.store.queryCases(query);
    if (can(actor, 'see-assigned-cases')) return this.ctx.store.queryCases({ ...query, handler: actor.name });
    return { cases: [], total: 0 };
  }

  /** A case by its number (八宝信〔2026〕7号, 2026-7 or 7); a problem if there is none. */
  async find(reference: string): Promise<CaseDetail> {
    return (await this.ctx.store.findCase(reference)) ?? fail({ code: 'unknown-case', reference });
  }

  /**
   * Registers a visit, call, online message or transferred case: numbered in the same sequence as
   * letters. What the clerk gave is the clerk's; the rest is read from the matter. The blank
   * instruction sheet is made at once when the settings ask for it.
   */
  async register(actor: Actor, input: TypedPetition): Promise<CaseDetail> {
    const { settings } = this.ctx;
    mustHold(actor, 'register', '登记信访事项');
    if (!(CHANNELS as readonly string[]).includes(input.channel)) fail({ code: 'bad-channel', given: input.channel });
    const channel = input.channel as Channel;
    const receivedAt = receivedTime(input.receivedAt) ?? this.ctx.clock();
    const given = checkFieldChanges(input.fields, settings.categories.map((c) => c.name));
    if (input.matter.trim() === '') fail({ code: 'no-matter' });
    if (channel === '转办' && (!input.transfer?.office || !input.transfer.number)) fail({ code: 'no-transfer' });
    const receivedBy = input.receivedBy?.trim() || undefined;
    if (receivedBy && channel !== '来访') fail({ code: 'reception-not-visit', channel });
    const extraction = extractFields(input.matter, await learnedRules(this.ctx));
    const fields = { ...extraction.fields };
    const sources: Provenance = { ...extraction.sources };
    for (const [key, value] of Object.entries(given)) {
      (fields as Record<string, unknown>)[key] = value;
      (sources as Record<string, string>)[key] = 'clerk';
    }
    if (!given.letterDate && fields.letterDate === null) {
      // A date the matter itself gives is kept as read; otherwise a visit or call is dated the day it came in, and says so.
      fields.letterDate = localDate(receivedAt, settings.office.timezone);
      sources.letterDate = 'dated';
    }
    if (!given.summary && [...input.matter].length <= 60) {
      fields.summary = input.matter.trim();
      sources.summary = 'clerk';
    }
    const flags = flagsAfterChange(fields, extraction.flags, settings.extract.groupThreshold, extraction.flags.includes('urgent'));
    const registered = await this.ctx.store.register(
      {
        channel,
        receivedAt,
        year: yearInZone(receivedAt, settings.office.timezone),
        text: input.matter,
        extraction: { ...extraction, fields, sources },
        flags,
        pages: [],
        ocrEngine: null,
        transfer: input.transfer,
        receivedBy,
        registeredBy: actor.name,
        documents: [],
      },
      (year, number) => this.ctx.paths.caseFolder(year, number),
    );
    const row = registered.created ? registered.case : registered.existing;
    if (registered.created) await this.ctx.alerts?.registered(row);
    if (settings.workflow.blankSheets) await this.documents.ensureBlankSheet(row);
    return this.ctx.store.detail(row.id);
  }

  /**
   * A clerk's correction of the registered fields: each changed field recorded with who and when,
   * and marked as the clerk's, so no automatic pass overwrites it; values checked as at registration.
   * With `checked` (or when the correction fills the last of the key fields that were missing) the
   * case counts as looked at: the mark 需人工核对 is cleared and it leaves the review queue.
   */
  async edit(actor: Actor, c: Case, given: Partial<Record<FieldName, string>>, options: { checked?: boolean } = {}): Promise<CaseDetail> {
    const { settings, store } = this.ctx;
    mustHold(actor, 'correct', '更正登记内容');
    const changes = checkFieldChanges(given, settings.categories.map((x) => x.name));
    const changed = Object.keys(changes) as FieldName[];
    // Checked as it stands: the program's category and handling type are confirmed with it, examples to learn from.
    const confirmed: Partial<LetterFields> = {};
    if (options.checked) for (const f of ['category', 'handlingType'] as const) if (!(f in changes) && c.fields[f] !== null && c.sources[f] !== 'clerk') confirmed[f] = c.fields[f];
    if (changed.length === 0 && !options.checked) fail({ code: 'nothing-to-edit' });
    const threshold = settings.extract.groupThreshold;
    const now = this.ctx.clock();
    const after = { ...c.fields, ...changes } as LetterFields;
    const missingBefore = KEY_FIELDS.filter((f) => c.fields[f] === null);
    const filledTheGaps = missingBefore.length > 0 && KEY_FIELDS.every((f) => after[f] !== null);
    const reviewed = Boolean(options.checked) || filledTheGaps;
    const detail = [changed.length ? `更正${changed.map((f) => FIELD_LABELS[f]).join('、')}` : '', reviewed ? '核对无误，取消“需人工核对”' : ''].filter(Boolean).join('；');
    const row = await store.editFields(
      c.id,
      { ...confirmed, ...(changes as Partial<LetterFields>) },
      actor.name,
      now,
      (fields, flags) => flagsAfterChange(fields, reviewed ? flags.filter((f) => f !== 'low-confidence' && f !== 'text-unread') : flags, threshold, flags.includes('urgent')),
      { at: now.toISOString(), actor: actor.name, action: 'corrected', detail },
      { reviewed },
    );
    return store.detail(row.id);
  }

  /** Cases a person should look at: OCR unsure, key fields missing, or an ID number that does not check. Worst first. */
  async review(options: { openOnly?: boolean } = {}): Promise<ReviewItem[]> {
    return this.ctx.store.reviewQueue(this.ctx.settings.ocr.lowConfidence, KEY_FIELDS, { ...options, judgedBelow: this.ctx.settings.classify.reviewBelow });
  }

  async search(query: string, limit = 20): Promise<SearchHit[]> {
    if (!isSearchable(query)) fail({ code: 'query-too-short' });
    return this.ctx.store.search(query, Math.max(1, limit));
  }

  /** Reads the fields again with the current settings (after the categories' keywords changed); the clerk's values stay. */
  async extractAgain(c?: Case): Promise<number> {
    const targets = c ? [c] : (await this.ctx.store.listCases()).filter((x) => x.channel === '来信');
    const rules = await learnedRules(this.ctx);
    for (const t of targets) {
      const extraction = extractFields(letterText(t), rules);
      await this.ctx.store.applyExtraction(t.id, extraction, (fields, flags) => flagsAfterChange(fields, flags, rules.groupThreshold, extraction.urgentWords.length > 0));
    }
    return targets.length;
  }

  /** Open cases by their running deadline, the most urgent (overdue) first. */
  async due(): Promise<DueCase[]> {
    const now = this.ctx.clock();
    return (await this.ctx.store.openCases())
      .map((c) => ({ case: c, due: dueState(c, this.ctx.settings, now) }))
      .filter((r): r is DueCase => r.due !== null)
      .sort((a, b) => a.due.days - b.due.days || a.case.year - b.case.year || a.case.seq - b.case.seq);
  }
}

/** A time as a clerk types it (2026-11-03 09:30, read in the machine's zone as before), or undefined when none is given. */
function receivedTime(given: Date | string | undefined): Date | undefined {
  if (given instanceof Date) return given;
  if (!given) return undefined;
  const at = new Date(given.replace(' ', 'T'));
  if (Number.isNaN(at.getTime())) fail({ code: 'bad-time', given });
  return at;
}

function mustHold(actor: Actor, permission: Permission, action: string): void {
  if (!can(actor, permission)) fail({ code: 'not-allowed', role: actor.role ?? '', action });
}
