import { describe, expect, it } from 'vitest';
import { chain, checkChain, type ChainedEntry, type HistoryEntry } from '../../src/domain/history.js';
import { addDays, daysUntil, parseDate } from '../../src/domain/calendar.js';
import { deadlines, nextDeadline } from '../../src/domain/deadlines.js';
import { EMPTY_WORKFLOW, refusal as refusalOf, statusAfter, statusAfterAction, STATUSES, STEPS, WORKFLOW, type CaseStatus, type Step } from '../../src/domain/workflow.js';
import { daysText, refusalText } from '../../src/domain/words.js';
import { cliText } from '../../src/interfaces/cli/words.js';

const rules = { notifyDays: 15, handleDays: 60 };
const caseIn = (status: CaseStatus, channel: '来信' | '转办' = '来信', reportedAt: string | null = null) => ({
  number: '八宝信〔2026〕7号',
  status,
  channel,
  transfer: channel === '转办' ? { office: '八宝街道办事处' } : null,
  workflow: { ...EMPTY_WORKFLOW, reportedAt },
});

/** The refusal as the office reads it, or null when the step may be taken. */
function refusal(step: Step, c: ReturnType<typeof caseIn>): string | null {
  const r = refusalOf(step, c);
  return r && refusalText(step, c.number, c.status, r);
}

describe('the order of steps', () => {
  const allowed: Record<Step, CaseStatus[]> = {
    sign: [],
    return: [],
    instruct: ['registered'],
    accept: ['instructed'],
    decline: ['instructed'],
    extend: ['accepted'],
    reply: ['accepted', 'extended'],
    report: [],
    close: ['replied', 'declined'],
    supervise: ['registered', 'instructed', 'accepted', 'extended'],
    answer: [],
    urge: [],
    // After a written reply only: a case with none refuses them in every status (the rules of follow-up.test.ts).
    visit: [],
    'request-review': [],
    'decide-review': [],
  };

  it('allows each step only from the statuses the rules name, and refuses the rest with a reason', () => {
    for (const [step, from] of Object.entries(allowed) as [Step, CaseStatus[]][]) {
      for (const status of STATUSES) {
        const reason = refusal(step, caseIn(status));
        if (from.includes(status)) expect(reason, `${step} from ${status}`).toBeNull();
        else expect(reason, `${step} from ${status}`).toMatch(/八宝信〔2026〕7号/);
      }
    }
  });

  it('says what must come first', () => {
    expect(refusal('accept', caseIn('registered'))).toContain('须先录入领导批示');
    expect(refusal('reply', caseIn('instructed'))).toContain('须先受理');
    expect(refusal('close', caseIn('accepted'))).toContain('须先答复信访人');
    expect(refusal('extend', caseIn('extended'))).toContain('只能延期一次');
    expect(refusal('reply', caseIn('declined'))).toContain('可直接办结');
    expect(refusal('instruct', caseIn('closed'))).toContain('已办结');
  });

  it('derives the status after each step and each recorded action from the one table', () => {
    expect(STEPS.map((s) => statusAfter(s, 'replied'))).toEqual(['replied', 'closed', 'instructed', 'accepted', 'declined', 'extended', 'replied', 'replied', 'closed', 'replied', 'replied', 'replied', 'replied', 'replied', 'replied']);
    expect(statusAfterAction('registered')).toBe('registered');
    for (const s of STEPS) expect(statusAfterAction(WORKFLOW[s].action)).toBe(WORKFLOW[s].to);
    expect(statusAfterAction('paper-filed')).toBeNull();
    expect(statusAfterAction('bound')).toBeNull();
  });

  it('names the command that comes first on the command line, and no command in the office\'s words', () => {
    const c = caseIn('registered');
    const problem = { code: 'step-refused' as const, step: 'accept' as const, caseNumber: c.number, status: c.status, refusal: refusalOf('accept', c)! };
    expect(cliText(problem)).toBe('八宝信〔2026〕7号 现在的状态是“已登记”，须先录入领导批示（xinfang instruct 八宝信〔2026〕7号 …）。');
    for (const step of STEPS) {
      for (const status of STATUSES) {
        const r = refusalOf(step, caseIn(status, '转办'));
        if (r) expect(refusalText(step, c.number, status, r)).not.toMatch(/xinfang|--/);
      }
    }
  });

  it('keeps a transferred case open until the report to the office that sent it has gone', () => {
    expect(refusal('close', caseIn('replied', '转办'))).toContain('须先向交办单位报送办结报告');
    expect(refusal('report', caseIn('replied', '转办'))).toBeNull();
    expect(refusal('close', caseIn('replied', '转办', '2026-11-20T02:00:00Z'))).toBeNull();
    expect(refusal('report', caseIn('replied', '转办', '2026-11-20T02:00:00Z'))).toContain('已经报送过');
    expect(refusal('report', caseIn('replied'))).toContain('不是转办件');
  });
});

describe('deadlines', () => {
  it('counts calendar days from the day of receipt and of acceptance, with one extension added', () => {
    expect(deadlines('2026-11-03', EMPTY_WORKFLOW, null, rules)).toEqual({ notify: '2026-11-18', handle: null });
    expect(deadlines('2026-11-03', EMPTY_WORKFLOW, '2026-11-10', rules).handle).toBe('2027-01-09');
    const extended = { ...EMPTY_WORKFLOW, extension: { days: 30, reason: '检测', at: '' } };
    expect(deadlines('2026-11-03', extended, '2026-11-10', rules).handle).toBe('2027-02-08');
    const leaderDate = { ...EMPTY_WORKFLOW, instruction: { leader: '张', text: '办', handler: null, at: '', due: '2026-12-01' } };
    expect(deadlines('2026-11-03', leaderDate, '2026-11-10', rules).handle).toBe('2026-12-01');
  });

  it('runs the notify deadline until a decision, the handling one until the reply, then none', () => {
    const d = { notify: '2026-11-18', handle: '2027-01-09' };
    expect(nextDeadline('registered', d)?.date).toBe('2026-11-18');
    expect(nextDeadline('instructed', d)?.kind).toBe('notify');
    expect(nextDeadline('accepted', d)?.date).toBe('2027-01-09');
    expect(nextDeadline('extended', d)?.kind).toBe('handle');
    for (const s of ['declined', 'replied', 'closed'] as const) expect(nextDeadline(s, d)).toBeNull();
  });

  it('tells days left and days late across month and year ends', () => {
    expect(daysUntil('2027-01-02', '2026-12-30')).toBe(3);
    expect(daysUntil('2026-03-01', '2026-02-28')).toBe(1);
    expect(daysUntil('2026-11-18', '2026-11-20')).toBe(-2);
    expect(addDays('2026-12-25', 15)).toBe('2027-01-09');
    expect([daysText(3), daysText(0), daysText(-2)]).toEqual(['还剩 3 天', '今天到期', '已超期 2 天']);
  });

  it('reads the date forms a clerk types and refuses dates that do not exist', () => {
    expect(parseDate('2026-12-20')).toBe('2026-12-20');
    expect(parseDate('2026/1/5')).toBe('2026-01-05');
    expect(parseDate('2026年12月1日')).toBe('2026-12-01');
    expect(parseDate('2026-02-30')).toBeNull();
    expect(parseDate('下周五')).toBeNull();
  });
});

describe('tamper-evident history', () => {
  const entries = (): ChainedEntry[] => {
    const steps: HistoryEntry[] = [
      { at: '2026-11-03T02:00:00Z', actor: '系统', action: 'registered', detail: '来信' },
      { at: '2026-11-04T02:00:00Z', actor: '刘芳', action: 'instructed', detail: '张主任批示：“请核实”' },
      { at: '2026-11-05T02:00:00Z', actor: '刘芳', action: 'accepted', detail: '决定受理' },
      { at: '2026-11-20T02:00:00Z', actor: '刘芳', action: 'replied', detail: '予以支持' },
    ];
    const out: ChainedEntry[] = [];
    for (const s of steps) out.push(chain('八宝信〔2026〕7号', out[out.length - 1] ?? null, s));
    return out;
  };
  const headOf = (list: ChainedEntry[]) => ({ hash: list[list.length - 1]!.hash, count: list.length });

  it('accepts an untouched chain', () => {
    const list = entries();
    expect(checkChain('八宝信〔2026〕7号', list, headOf(list))).toEqual([]);
  });

  it('finds an entry whose words were changed', () => {
    const list = entries();
    const head = headOf(list);
    list[1] = { ...list[1]!, detail: '张主任批示：“不予理睬”' };
    expect(checkChain('八宝信〔2026〕7号', list, head)).toEqual([{ seq: 2, kind: 'changed' }]);
  });

  it('finds an entry removed from the middle and one removed from the end', () => {
    const list = entries();
    const head = headOf(list);
    expect(checkChain('八宝信〔2026〕7号', [list[0]!, list[2]!, list[3]!], head)).toContainEqual({ seq: 2, kind: 'removed' });
    expect(checkChain('八宝信〔2026〕7号', list.slice(0, 3), head)).toEqual([{ seq: 4, kind: 'removed' }]);
  });

  it('finds an entry moved to another case', () => {
    const list = entries();
    expect(checkChain('八宝信〔2026〕8号', list, headOf(list)).map((p) => p.kind)).toContain('changed');
  });
});
