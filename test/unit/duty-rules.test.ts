/** 一岗双责 and reception days: who has not screened which unit, daily in sensitive periods, at the month's edges. */
import { describe, expect, it } from 'vitest';
import { checkFinding, checkReceptionDay, countByCaseLeader, receptionDaysIn, screeningDue, screeningLedgerRows, zeroReports, type DutyLink, type Screening } from '../../src/domain/duties.js';
import { mayDoDuty } from '../../src/domain/roles.js';
import { monthPeriod } from '../../src/domain/reports/periods.js';
import { isXinfangError } from '../../src/domain/problems.js';

const TZ = 'Asia/Shanghai';
/** A link made at 10:00 Beijing time on `day`. */
const link = (id: number, cadre: string, unit: string, day = '2026-01-01'): DutyLink => ({ id, cadre, unit, kind: '单位', by: '管理员', at: new Date(`${day}T10:00:00+08:00`).toISOString() });
const screened = (cadre: string, unit: string, day: string) => ({ cadre, unit, day });
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (isXinfangError(e)) return e.problem.code;
    throw e;
  }
  return null;
};

const links = [link(1, '张明', '幸福里物业'), link(2, '张明', '八宝建材公司'), link(3, '李红', '第一小学')];

describe('who has not screened yet (一岗双责)', () => {
  it('a month: every link owes one screening, any day of the month counts', () => {
    const due = screeningDue(monthPeriod('2026-11'), links, [screened('张明', '幸福里物业', '2026-11-03'), screened('李红', '第一小学', '2026-11-30')], [], '2026-12-02', TZ);
    expect(due.month).toEqual([{ cadre: '张明', unit: '八宝建材公司', kind: '单位' }]);
    expect(due.days).toEqual([]);
  });

  it('a screening of the month before or after does not count for this month (month edges)', () => {
    const s = [screened('张明', '幸福里物业', '2026-10-31'), screened('张明', '八宝建材公司', '2026-12-01'), screened('李红', '第一小学', '2026-11-01')];
    const due = screeningDue(monthPeriod('2026-11'), links, s, [], '2026-12-05', TZ);
    expect(due.month.map((m) => m.unit)).toEqual(['幸福里物业', '八宝建材公司']);
  });

  it('the same unit screened by another cadre does not discharge this cadre', () => {
    const due = screeningDue(monthPeriod('2026-11'), [link(1, '张明', '幸福里物业'), link(2, '李红', '幸福里物业')], [screened('李红', '幸福里物业', '2026-11-10')], [], '2026-11-20', TZ);
    expect(due.month).toEqual([{ cadre: '张明', unit: '幸福里物业', kind: '单位' }]);
  });

  it('a month not begun asks nothing; a link made after today is not owed yet', () => {
    expect(screeningDue(monthPeriod('2026-12'), links, [], [], '2026-11-30', TZ)).toEqual({ month: [], days: [] });
    const late = screeningDue(monthPeriod('2026-11'), [link(9, '王强', '新厂', '2026-11-25')], [], [], '2026-11-20', TZ);
    expect(late.month).toEqual([]);
  });

  it('a link is dated by the office day it was made (Beijing time, not UTC)', () => {
    // 2026-11-01 07:00 in Beijing is 2026-10-31 in UTC: the link belongs to November's first day.
    const early: DutyLink = { ...link(5, '王强', '新厂'), at: '2026-10-31T23:00:00.000Z' };
    const due = screeningDue(monthPeriod('2026-10'), [early], [], [{ name: '节前', from: '2026-10-31', to: '2026-11-02' }], '2026-11-05', TZ);
    expect(due.month).toEqual([]);
    expect(due.days).toEqual([{ day: '2026-10-31', period: '节前', missing: [] }]);
  });

  it('during a sensitive period each day owes a screening, up to today only', () => {
    const periods = [{ name: '全国两会', from: '2026-03-02', to: '2026-03-12' }];
    const s = [screened('张明', '幸福里物业', '2026-03-02'), screened('张明', '八宝建材公司', '2026-03-02'), screened('李红', '第一小学', '2026-03-02'), screened('张明', '幸福里物业', '2026-03-03')];
    const due = screeningDue(monthPeriod('2026-03'), links, s, periods, '2026-03-04', TZ);
    expect(due.month).toEqual([]);
    expect(due.days.map((d) => d.day)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04']);
    expect(due.days[0]!.missing).toEqual([]);
    expect(due.days[1]!.missing.map((m) => `${m.cadre}:${m.unit}`)).toEqual(['张明:八宝建材公司', '李红:第一小学']);
    expect(due.days[2]!.missing).toHaveLength(3);
    expect(due.days[2]!.period).toBe('全国两会');
  });

  it('a sensitive period across two months is asked daily in each month for its own days', () => {
    const periods = [{ name: '国庆', from: '2026-09-29', to: '2026-10-02' }];
    const one = [link(1, '张明', '幸福里物业')];
    const sept = screeningDue(monthPeriod('2026-09'), one, [screened('张明', '幸福里物业', '2026-09-30')], periods, '2026-10-10', TZ);
    expect(sept.days.map((d) => [d.day, d.missing.length])).toEqual([['2026-09-29', 1], ['2026-09-30', 0]]);
    const oct = screeningDue(monthPeriod('2026-10'), one, [screened('张明', '幸福里物业', '2026-09-30')], periods, '2026-10-10', TZ);
    expect(oct.days.map((d) => d.day)).toEqual(['2026-10-01', '2026-10-02']);
    // September's screening is not October's.
    expect(oct.month).toHaveLength(1);
  });

  it('a link made during a sensitive period owes from its own day', () => {
    const periods = [{ name: '节前', from: '2026-12-28', to: '2026-12-31' }];
    const due = screeningDue(monthPeriod('2026-12'), [link(1, '张明', '幸福里物业', '2026-12-30')], [], periods, '2026-12-31', TZ);
    expect(due.days.map((d) => [d.day, d.missing.length])).toEqual([['2026-12-28', 0], ['2026-12-29', 0], ['2026-12-30', 1], ['2026-12-31', 1]]);
  });
});

describe('screenings in the ledger', () => {
  const s = (id: number, day: string, finding: Screening['finding']): Screening => ({ id, cadre: '张明', unit: '幸福里物业', day, finding, by: '张明', at: '' });
  const finding = checkFinding({ risk: '中', situation: '业主与物业因停车费发生争执', type: '物业管理' });
  it('risks found become ledger rows of their month; zero reports do not', () => {
    const all = [s(1, '2026-11-05', finding), s(2, '2026-11-06', null), s(3, '2026-12-01', finding)];
    const rows = screeningLedgerRows(all, monthPeriod('2026-11'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ checkedOn: '2026-11-05', area: '幸福里物业', checkedBy: '张明', risk: '中', type: '物业管理', caseNumber: '' });
    expect(zeroReports(all, monthPeriod('2026-11')).map((z) => z.id)).toEqual([2]);
  });
  it('a finding needs a situation and a known risk level', () => {
    expect(codeOf(() => checkFinding({ risk: '中' }))).toBe('duty-missing');
    expect(codeOf(() => checkFinding({ risk: '很高', situation: '争执' }))).toBe('bad-risk');
  });
});

describe('reception days and 包案', () => {
  it('checks the day and what the notice needs', () => {
    expect(checkReceptionDay({ day: '2026年12月10日', leader: ' 王主任 ', place: '接待室', time: '9:00—12:00' })).toEqual({ day: '2026-12-10', leader: '王主任', place: '接待室', time: '9:00—12:00' });
    expect(codeOf(() => checkReceptionDay({ day: '2026-02-30', leader: '王', place: '接待室', time: '上午' }))).toBe('bad-duty-day');
    expect(codeOf(() => checkReceptionDay({ day: '2026-12-10', leader: '', place: '接待室', time: '上午' }))).toBe('duty-missing');
  });
  it('lists a period by day, both ends included', () => {
    const d = (id: number, day: string) => ({ id, day, leader: '王', place: 'A', time: 'T', by: '', at: '' });
    expect(receptionDaysIn([d(1, '2026-12-31'), d(2, '2026-12-01'), d(3, '2026-11-30'), d(4, '2027-01-01')], monthPeriod('2026-12')).map((x) => x.id)).toEqual([2, 1]);
  });
  it('counts cases per 包案 leader, none not counted', () => {
    const c = (leader?: string) => ({ caseLeader: leader ? { leader, by: '', at: '' } : null });
    expect(countByCaseLeader([c('王主任'), c(), c('李书记'), c('王主任')])).toEqual([{ name: '王主任', count: 2 }, { name: '李书记', count: 1 }]);
  });
  it('roles: leaders and the administrator keep the schedule; only a leader takes a case; a cadre records their own screening', () => {
    expect(mayDoDuty({ name: '王', role: '领导' }, 'edit-reception')).toBe(true);
    expect(mayDoDuty({ name: '管', role: '管理员' }, 'edit-reception')).toBe(true);
    expect(mayDoDuty({ name: '刘', role: '登记员' }, 'edit-reception')).toBe(false);
    expect(mayDoDuty({ name: '管', role: '管理员' }, 'take-case')).toBe(false);
    expect(mayDoDuty({ name: '张明', role: '经办人' }, 'record-screening', '张明')).toBe(true);
    expect(mayDoDuty({ name: '张明', role: '经办人' }, 'record-screening', '李红')).toBe(false);
    expect(mayDoDuty({ name: '刘', role: '登记员' }, 'edit-links')).toBe(false);
  });
});

describe('the sensitive periods in the settings', () => {
  const raw = async () => {
    const { readFileSync } = await import('node:fs');
    const { parseYaml } = await import('../../src/adapters/yaml/yaml.js');
    return parseYaml(readFileSync(new URL('../../pipeline/settings.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
  };
  const issues = async (duties: unknown) => {
    const { parseSettings } = await import('../../src/domain/settings.js');
    const { settingsIssueText } = await import('../../src/domain/words.js');
    try {
      parseSettings({ ...(await raw()), duties });
    } catch (e) {
      if (isXinfangError(e) && e.problem.code === 'settings-invalid') return e.problem.issues.map(settingsIssueText);
      throw e;
    }
    return [];
  };
  it('accepts periods and links, and words a bad date or an end before the start in Chinese', async () => {
    expect(await issues({ links: [{ cadre: '张明', units: ['幸福里物业'] }], sensitivePeriods: [{ name: '国庆', from: '2026-09-28', to: '2026-10-08' }] })).toEqual([]);
    expect(await issues({ sensitivePeriods: [{ name: '国庆', from: '2026-9-28', to: '2026-10-08' }] })).toEqual(['duties.sensitivePeriods.0.from：日期格式应如 2026-10-01。']);
    expect(await issues({ sensitivePeriods: [{ name: '国庆', from: '2026-10-08', to: '2026-09-28' }] })).toEqual(['duties.sensitivePeriods.0.to：结束日期（to）不能早于开始日期（from）。']);
  });
});
