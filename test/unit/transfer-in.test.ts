import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { deadlineAlert } from '../../src/domain/alerts.js';
import { deadlines, dueState, returnDue } from '../../src/domain/deadlines.js';
import { parseSettings } from '../../src/domain/settings.js';
import { checkTemplate } from '../../src/domain/template-check.js';
import { EMPTY_WORKFLOW, refusal, type CaseStatus } from '../../src/domain/workflow.js';
import { calendarWarning, refusalText } from '../../src/domain/words.js';

const settingsFile = path.resolve('pipeline/settings.yaml');
const holidays = parseSettings(YAML.parse(readFileSync(settingsFile, 'utf8'))).calendar.holidays;
const rules = { notifyDays: 15, handleDays: 60, returnDays: 5 };

const transfer = (status: CaseStatus, signed = true) => ({
  status,
  channel: '转办',
  transfer: { office: '八宝街道办事处' },
  workflow: { ...EMPTY_WORKFLOW, signedBy: signed ? '刘芳' : null, signedAt: signed ? '2025-09-30' : null },
});

describe('the return period of a transferred case (条例 §23)', () => {
  it('counts five working days over 国庆 2025 on the office holiday table', () => {
    // 9-30 arrives; 10-1…10-8 rest; 10-9 (Thu) 1, 10-10 (Fri) 2, 10-11 (Sat, 调休) 3, 10-13 4, 10-14 5.
    expect(returnDue('2025-09-30', rules, holidays)).toBe('2025-10-14');
    // A day earlier: 9-30 1, then the holidays, 10-9 2, 10-10 3, 10-11 4, 10-13 5.
    expect(returnDue('2025-09-29', rules, holidays)).toBe('2025-10-13');
    // 9-26 (Fri): 9-28 is a worked Sunday (调休), so 9-28 1, 9-29 2, 9-30 3, 10-9 4, 10-10 5.
    expect(returnDue('2025-09-26', rules, holidays)).toBe('2025-10-10');
  });

  it('works first towards the return deadline on the due lists and alerts, then towards the notice once it is past', () => {
    const settings = parseSettings(YAML.parse(readFileSync(settingsFile, 'utf8')));
    // Arrived 9-30, before 国庆: sent back by 10-14 (working days), told whether accepted by 10-15 (calendar days).
    const c = { id: 7, status: 'registered' as CaseStatus, channel: '转办', receivedAt: '2025-09-30T02:00:00Z', workflow: { ...EMPTY_WORKFLOW } };
    const on = (day: string) => new Date(`${day}T10:00:00+08:00`);
    expect(dueState(c, settings, on('2025-10-09'))).toEqual({ kind: 'return', date: '2025-10-14', days: 5 });
    expect(deadlineAlert(c, dueState(c, settings, on('2025-10-12')), 3, on('2025-10-12'))).toMatchObject({ kind: 'due-soon', deadline: 'return', dueDate: '2025-10-14' });
    expect(dueState(c, settings, on('2025-10-14'))).toEqual({ kind: 'return', date: '2025-10-14', days: 0 });
    // The day after, it can no longer be sent back: that is no deadline missed, the notice's runs.
    expect(dueState(c, settings, on('2025-10-15'))).toEqual({ kind: 'notify', date: '2025-10-15', days: 0 });
    // A case sent back, or not transferred, or already accepted has no return deadline.
    expect(dueState({ ...c, status: 'closed', workflow: { ...EMPTY_WORKFLOW, returnedAt: '2025-10-10T02:00:00Z' } }, settings, on('2025-10-09'))).toBeNull();
    expect(dueState({ ...c, channel: '来信' }, settings, on('2025-10-09'))?.kind).toBe('notify');
    expect(dueState({ ...c, status: 'accepted', workflow: { ...EMPTY_WORKFLOW, acceptedAt: '2025-10-09T02:00:00Z' } }, settings, on('2025-10-09'))?.kind).toBe('handle');
  });

  it('counts weekends only for a year the table lacks, and calendar days when the setting says 自然日', () => {
    expect(returnDue('2025-09-30', rules, {})).toBe('2025-10-07');
    expect(returnDue('2025-09-30', { ...rules, dayUnits: { return: '自然日' } }, holidays)).toBe('2025-10-05');
  });

  it('counts the other deadlines in working days when set so, and in calendar days by default', () => {
    const accepted = { ...EMPTY_WORKFLOW, acceptedAt: '2025-09-30T02:00:00Z', extension: { days: 3, reason: '需检测', at: '2025-10-01T00:00:00Z' } };
    expect(deadlines('2025-09-30', accepted, '2025-09-30', rules, holidays)).toEqual({ notify: '2025-10-15', handle: '2025-12-02' });
    const working = { ...rules, dayUnits: { notify: '工作日', handle: '工作日' } as const };
    // notify: 15 working days from 9-30, 国庆 skipped and 10-11 worked: 10-9, 10, 11, 13…17, 20…24, 27, 28.
    const d = deadlines('2025-09-30', accepted, '2025-09-30', working, holidays);
    expect(d.notify).toBe('2025-10-28');
    expect(d.handle! > '2025-12-02').toBe(true);
  });
});

describe('signing for and sending back a transferred case', () => {
  const on = (today: string) => ({ today, returnDue: '2025-10-14' });

  it('sends back only a signed case, and only within the return period', () => {
    expect(refusal('return', transfer('registered', false), on('2025-10-01'))).toEqual({ kind: 'sign-first' });
    expect(refusal('return', transfer('registered'), on('2025-10-14'))).toBeNull();
    expect(refusal('return', transfer('instructed'), on('2025-10-14'))).toBeNull();
    const late = refusal('return', transfer('registered'), on('2025-10-15'))!;
    expect(late).toEqual({ kind: 'return-late', due: '2025-10-14' });
    expect(refusalText('return', '八宝信〔2025〕3号', 'registered', late)).toContain('退回期限（2025年10月14日）已过');
  });

  it('signs once, refuses both steps on a case not transferred, and ends a returned case', () => {
    expect(refusal('sign', transfer('registered', false), on('2025-09-30'))).toBeNull();
    expect(refusalText('sign', '八宝信〔2025〕3号', 'registered', refusal('sign', transfer('registered'))!)).toContain('已经由刘芳签收过了');
    const letter = { ...transfer('registered'), channel: '来信', transfer: null };
    expect(refusal('sign', letter)).toEqual({ kind: 'not-transfer' });
    expect(refusalText('return', '八宝信〔2025〕3号', 'registered', refusal('return', letter)!)).toBe('八宝信〔2025〕3号 不是转办件，不需要退回。');
    expect(refusal('return', transfer('accepted'), on('2025-10-01'))?.kind).toBe('past');
    expect(refusal('instruct', transfer('closed'))).toEqual({ kind: 'closed' });
  });
});

describe('the 退回函 template and the calendar warning', () => {
  it('ships a 退回函 that passes the template check and refuses one without the reason', () => {
    const source = readFileSync(path.resolve('templates/退回函.hbs'), 'utf8');
    expect(checkTemplate('退回函', source)).toEqual([]);
    expect(checkTemplate('退回函', source.replace('{{退回理由}}', ''))).toContainEqual({ kind: 'required-removed', name: '退回理由' });
  });

  it('names the missing years, and says nothing when the table covers them', () => {
    expect(calendarWarning([])).toBeNull();
    expect(calendarWarning([2027])).toContain('calendar.holidays 中还没有 2027年');
  });

  it('reads the return period and units from the settings, with defaults for an older file', () => {
    const raw = YAML.parse(readFileSync(settingsFile, 'utf8')) as { workflow: Record<string, unknown> };
    expect(parseSettings(raw).workflow.dayUnits).toEqual({ notify: '自然日', handle: '自然日', return: '工作日', review: '自然日' });
    delete raw.workflow.returnDays;
    delete raw.workflow.dayUnits;
    expect(parseSettings(raw).workflow).toMatchObject({ returnDays: 5, dayUnits: { return: '工作日' } });
    raw.workflow.dayUnits = { return: '工作天' };
    expect(() => parseSettings(raw)).toThrow();
  });
});

describe('supervision (督办 / 催办)', () => {
  const supervised = (answeredAt: string | null = null) => ({
    status: 'accepted' as CaseStatus,
    channel: '来信',
    transfer: null,
    workflow: { ...EMPTY_WORKFLOW, supervision: { by: '区信访局', demand: '请三日内约谈', due: '2026-11-20', at: '2026-11-10T02:00:00Z', answer: answeredAt ? '已约谈' : null, answeredBy: null, answeredAt, urges: 0, urgedAt: null } },
  });
  const on = (today: string) => ({ today, returnDue: null });

  it('urges only after the due date, and not once answered', () => {
    const due = refusal('urge', supervised(), on('2026-11-20'))!;
    expect(due).toEqual({ kind: 'not-late', due: '2026-11-20' });
    expect(refusalText('urge', '八宝信〔2026〕7号', 'accepted', due)).toBe('八宝信〔2026〕7号 的督办期限是 2026年11月20日，还没有到期，到期未反馈才能催办。');
    expect(refusal('urge', supervised(), on('2026-11-21'))).toBeNull();
    expect(refusal('urge', supervised('2026-11-19T02:00:00Z'), on('2026-11-21'))?.kind).toBe('supervision-answered');
  });

  it('takes an answer once, and a second 督办 only after the first is answered', () => {
    expect(refusal('answer', supervised(), on('2026-11-12'))).toBeNull();
    expect(refusal('answer', { ...supervised(), workflow: EMPTY_WORKFLOW }, on('2026-11-12'))).toEqual({ kind: 'no-supervision' });
    expect(refusal('supervise', supervised(), on('2026-11-12'))).toEqual({ kind: 'supervised-open', by: '区信访局', due: '2026-11-20' });
    expect(refusal('supervise', supervised('2026-11-19T02:00:00Z'), on('2026-11-21'))).toBeNull();
    expect(refusal('supervise', { ...supervised(), status: 'replied' }, on('2026-11-12'))?.kind).toBe('past');
  });

  it('ships a 督办单 template that passes the check', () => {
    const source = readFileSync(path.resolve('templates/督办单.hbs'), 'utf8');
    expect(checkTemplate('督办单', source)).toEqual([]);
    expect(checkTemplate('督办单', source.replace('{{督办期限}}', ''))).toContainEqual({ kind: 'required-removed', name: '督办期限' });
  });
});
