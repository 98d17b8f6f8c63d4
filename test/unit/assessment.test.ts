/** The assessment's figures (考核) from cases written out by hand: each rule and its edges, the figures adding up. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/adapters/settings/settings-file.js';
import { computeAssessment, figureCases, mayAssess, satisfactionText, type AssessmentCase, type AssessmentRow } from '../../src/domain/reports/assessment.js';
import type { DutyLink } from '../../src/domain/duties.js';
import { monthPeriod, rangePeriod, yearPeriod } from '../../src/domain/reports/periods.js';
import { EMPTY_WORKFLOW, type CaseStatus, type Workflow } from '../../src/domain/workflow.js';
import { repoRoot } from '../helpers/workspace.js';

const settings = loadSettings(path.join(repoRoot, 'pipeline', 'settings.yaml'));
const at = (day: string) => new Date(`${day}T10:00:00+08:00`).toISOString();
const now = new Date('2026-12-05T10:00:00+08:00');

let seq = 0;
function kase(status: CaseStatus, received: string, w: Partial<Workflow> & { handler?: string | null }, extra: Partial<AssessmentCase> = {}): AssessmentCase {
  seq++;
  const { handler = null, ...workflow } = w;
  return {
    number: `八宝信〔2026〕${seq}号`,
    status,
    channel: '来信',
    receivedAt: at(received),
    repeatOf: null,
    flags: [],
    caseLeader: null,
    fields: { name: `信访人${seq}`, phone: null, idNumber: null, category: null, handlingType: null },
    workflow: { ...EMPTY_WORKFLOW, instruction: handler ? { leader: '张主任', text: '请办理', handler, at: at(received), due: null } : null, ...workflow },
    evaluation: null,
    ...extra,
  };
}
const link = (id: number, cadre: string, unit: string, day: string): DutyLink => ({ id, cadre, unit, kind: '单位', by: '管理员', at: at(day) });

// 李文: one on time, one late (decided after the notify deadline), one open and overdue, one open in time; a case closed in October repeated in November.
const onTime = kase('closed', '2026-10-20', { handler: '李文', acceptedAt: at('2026-10-22'), outcome: '予以支持', facts: '已办', repliedAt: at('2026-11-10'), closedAt: at('2026-11-11') }, { evaluation: '满意' });
const late = kase('closed', '2026-09-01', { handler: '李文', acceptedAt: at('2026-09-25'), outcome: '解释说明', facts: '已办', repliedAt: at('2026-11-05'), closedAt: at('2026-11-06') });
const overdue = kase('accepted', '2026-08-01', { handler: '李文', acceptedAt: at('2026-08-05') });
const inTime = kase('instructed', '2026-11-20', { handler: '李文' });
const closedBefore = kase('closed', '2026-08-10', { handler: '李文', acceptedAt: at('2026-08-12'), outcome: '予以支持', facts: '已办', repliedAt: at('2026-10-10'), closedAt: at('2026-10-15') });
const repeat = kase('registered', '2026-11-12', {}, { repeatOf: closedBefore.number });
const returned = kase('closed', '2026-11-03', { handler: '李文', returnedAt: at('2026-11-04'), returnReason: '不属本单位', closedAt: at('2026-11-04') }, { channel: '转办' });
// 王强 with 张主任 in charge (包案): closed after November, overdue at November's end; extended in time.
const closedAfter = kase('closed', '2026-09-01', { handler: '王强', acceptedAt: at('2026-09-05'), outcome: '予以支持', facts: '已办', repliedAt: at('2026-12-02'), closedAt: at('2026-12-03') }, { caseLeader: { leader: '张主任', by: '张主任', at: at('2026-09-02') } });
const extended = kase('extended', '2026-09-01', { handler: '王强', acceptedAt: at('2026-09-05'), extension: { days: 30, reason: '需要现场勘验', at: at('2026-10-30') } });
// A repeat received before the earlier case was closed does not count against who closed it.
const closedLater = kase('closed', '2026-11-01', { handler: '王强', acceptedAt: at('2026-11-02'), outcome: '不予支持', facts: '已办', repliedAt: at('2026-11-19'), closedAt: at('2026-11-20') });
const earlyRepeat = kase('registered', '2026-11-15', {}, { repeatOf: closedLater.number });
const cases = [late, overdue, closedBefore, closedAfter, extended, onTime, closedLater, returned, repeat, earlyRepeat, inTime].sort((a, b) => a.number.localeCompare(b.number, 'en', { numeric: true }));

const links = [link(1, '张明', '幸福里物业', '2026-01-01'), link(2, '张明', '八宝建材公司', '2026-11-10'), link(3, '李文', '第一小学', '2026-12-01')];
const screenings = [{ cadre: '张明', unit: '幸福里物业', day: '2026-11-03' }];

const november = computeAssessment({ cases, screenings, links }, monthPeriod('2026-11'), settings, now);
const rowOf = (name: string, rows = november.rows): AssessmentRow => rows.find((r) => r.name === name)!;

describe('the assessment of a month', () => {
  it('counts each handler’s cases: closed on time and late, open and overdue, open in time', () => {
    const li = rowOf('李文');
    expect(li.roles).toEqual(['经办人', '挂钩干部']);
    expect(li.handled).toEqual([onTime, late, overdue, inTime].map((c) => c.number));
    expect(li.closedOnTime).toEqual([onTime.number]);
    expect(li.closedLate).toEqual([late.number]);
    expect(li.openOverdue).toEqual([overdue.number]);
    expect(li.openInTime).toEqual([inTime.number]);
    expect(li.onTimeRate).toBe(0.5);
    // Sent back as not the office's: not handled here; closed before November: not in hand in November.
    expect(li.handled).not.toContain(returned.number);
    expect(li.handled).not.toContain(closedBefore.number);
  });

  it('judges a case closed after the period as it stood at the period’s end, with the extension granted by then', () => {
    const wang = rowOf('王强');
    expect(wang.openOverdue).toEqual([closedAfter.number]);
    expect(wang.openInTime).toEqual([extended.number]);
    expect(wang.closedOnTime).toEqual([closedLater.number]);
    // The leader in charge answers for the case too.
    const leader = rowOf('张主任');
    expect(leader.roles).toEqual(['包案领导']);
    expect(leader.handled).toEqual([closedAfter.number]);
    expect(leader.openOverdue).toEqual([closedAfter.number]);
  });

  it('counts a repeat petition after closing against who closed the earlier case, not one that came before the closing', () => {
    expect(rowOf('李文').repeats).toEqual([repeat.number]);
    expect(rowOf('王强').repeats).toEqual([]);
    // The month before the repeat came, nothing.
    const october = computeAssessment({ cases, screenings, links }, monthPeriod('2026-10'), settings, now);
    expect(rowOf('李文', october.rows).repeats).toEqual([]);
  });

  it('adds up: every case in hand is closed on time, late, open and overdue, or open in time', () => {
    for (const r of november.rows) {
      const parts = [...r.closedOnTime, ...r.closedLate, ...r.openOverdue, ...r.openInTime];
      expect(parts.length, r.name).toBe(r.handled.length);
      expect(new Set(parts), r.name).toEqual(new Set(r.handled));
    }
    expect(november.asOf).toBe('2026-11-30');
  });

  it('screenings: each linked unit owes one a month from the month it was linked in; a month not begun owes none', () => {
    expect(rowOf('张明').screenings).toEqual({ done: 1, expected: 2, missing: [{ unit: '八宝建材公司', month: '2026年11月' }] });
    expect(rowOf('李文').screenings).toEqual({ done: 0, expected: 0, missing: [] });
    const year = computeAssessment({ cases, screenings, links }, yearPeriod('2026'), settings, now);
    // 幸福里物业 twelve months (December has begun), 八宝建材公司 November and December, 第一小学 December.
    expect(rowOf('张明', year.rows).screenings).toMatchObject({ done: 1, expected: 14 });
    expect(rowOf('李文', year.rows).screenings).toMatchObject({ done: 0, expected: 1 });
    const future = computeAssessment({ cases, screenings, links }, yearPeriod('2027'), settings, now);
    expect(rowOf('张明', future.rows).screenings.expected).toBe(0);
    // Nor does it hold any case in hand.
    expect(future.rows.flatMap((r) => r.handled)).toEqual([]);
  });

  it('a span of days counts only its own days of each month', () => {
    const span = computeAssessment({ cases, screenings, links }, rangePeriod('2026-11-05', '2026-12-03'), settings, now);
    // The screening of 3 November falls before the span.
    expect(rowOf('张明', span.rows).screenings).toEqual({
      done: 0,
      expected: 4,
      missing: [
        { unit: '幸福里物业', month: '2026年11月' },
        { unit: '幸福里物业', month: '2026年12月' },
        { unit: '八宝建材公司', month: '2026年11月' },
        { unit: '八宝建材公司', month: '2026年12月' },
      ],
    });
  });

  it('satisfaction: the evaluations of the cases closed in the period, 未回访 where none, — with nothing closed', () => {
    const li = rowOf('李文');
    expect(li.satisfaction).toEqual({ evaluated: [{ name: '满意', count: 1 }], unvisited: [late.number] });
    expect(satisfactionText(li.satisfaction)).toBe('满意 1、未回访 1');
    expect(satisfactionText(rowOf('王强').satisfaction)).toBe('未回访 1');
    expect(satisfactionText(rowOf('张主任').satisfaction)).toBe('—');
    expect(figureCases(li, 'closed')).toEqual([onTime.number, late.number]);
  });

  it('is for leaders and the terminal only', () => {
    expect(mayAssess({ name: '张主任', role: '领导' })).toBe(true);
    expect(mayAssess({ name: '终端' })).toBe(true);
    for (const role of ['经办人', '登记员', '档案员', '管理员'] as const) expect(mayAssess({ name: 'x', role })).toBe(false);
  });
});
