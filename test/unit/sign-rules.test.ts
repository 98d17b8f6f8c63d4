/**
 * Informants' reports (苗头) and the duty roster (值班): the checks on what is typed, who may see
 * and do what, the ledger's lines, the alert's words naming who is on duty, the settings' number
 * format and risk levels; an archive of the version before (alerts on record) brought up to date
 * with its alerts and their reads kept. The numbering itself (gapless per year, apart from the cases,
 * from two connections at once) is in test/contract/sign-store-contract.ts.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/adapters/sqlite/schema.js';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { signAlert } from '../../src/domain/alerts.js';
import { formatCaseNumber } from '../../src/domain/case-number.js';
import { XinfangError } from '../../src/domain/problems.js';
import { monthPeriod } from '../../src/domain/reports/periods.js';
import { ROLES } from '../../src/domain/roles.js';
import { checkContact, checkShift, mayDoRoster, onDutyOn, onDutyText, phonesOf, type Contact, type DutyShift } from '../../src/domain/roster.js';
import { parseSettings } from '../../src/domain/settings.js';
import { caseMatterOf, checkSign, ledgerRisk, maySeeSign, mustBeOpen, signLedgerRows, type SignReport } from '../../src/domain/signs.js';
import { alertText, problemText } from '../../src/domain/words.js';
import { folderFor, petition, STORE_OPTIONS } from '../contract/store-contract.js';
import { repoRoot } from '../helpers/workspace.js';

const NOW = new Date('2026-12-02T02:00:00Z');
const LEVELS = ['低', '中', '高'];
const wording = (work: () => unknown): string => {
  try {
    work();
  } catch (e) {
    expect(e).toBeInstanceOf(XinfangError);
    return problemText((e as XinfangError).problem);
  }
  throw new Error('accepted');
};
const typed = { place: '幸福里小区', people: '十余户业主', matter: '商量去区政府聚集', risk: '高', reporter: '赵信息' };
const sign = (over: Partial<SignReport> = {}): SignReport => ({
  id: 1, year: 2026, seq: 1, number: '八宝信息〔2026〕1号', source: '信息员', place: '幸福里小区', people: '十余户业主', matter: '商量去区政府聚集', risk: '高',
  reporter: '赵信息', reportedAt: '2026-12-01T16:30:00Z', by: '赵信息', at: '2026-12-01T16:31:00Z', status: 'open', caseId: null, caseNumber: null, outcome: null, closedBy: null, closedAt: null, ...over,
});

describe('a report as typed', () => {
  it('needs the place, the people, what is brewing and who reported it, and a risk of the settings’ list', () => {
    expect(checkSign(typed, LEVELS, NOW)).toEqual({ ...typed, reportedAt: NOW.toISOString() });
    expect(checkSign({ ...typed, place: '  东街 ' }, LEVELS, NOW).place).toBe('东街');
    expect(wording(() => checkSign({ ...typed, place: ' ' }, LEVELS, NOW))).toBe('请写明地点。');
    expect(wording(() => checkSign({ ...typed, people: '' }, LEVELS, NOW))).toBe('请写明涉及人员。');
    expect(wording(() => checkSign({ ...typed, matter: undefined }, LEVELS, NOW))).toBe('请写明苗头情况（正在酝酿什么）。');
    expect(wording(() => checkSign({ ...typed, reporter: '' }, LEVELS, NOW))).toBe('请写明报告人。');
    expect(wording(() => checkSign({ ...typed, risk: '特高' }, LEVELS, NOW))).toBe('风险等级“特高”不对：只能是 低、中、高 之一。');
    expect(wording(() => checkSign({ ...typed, risk: '' }, LEVELS, NOW))).toBe('风险等级不对：只能是 低、中、高 之一。');
    expect(checkSign({ ...typed, risk: '橙色' }, ['蓝色', '黄色', '橙色', '红色'], NOW).risk).toBe('橙色');
  });

  it('reads the time it was reported as typed, and refuses one it cannot read', () => {
    expect(checkSign({ ...typed, reportedAt: '2026-12-01T08:30:00Z' }, LEVELS, NOW).reportedAt).toBe('2026-12-01T08:30:00.000Z');
    expect(checkSign({ ...typed, reportedAt: ' ' }, LEVELS, NOW).reportedAt).toBe(NOW.toISOString());
    expect(wording(() => checkSign({ ...typed, reportedAt: '昨天下午' }, LEVELS, NOW))).toBe('报告时间“昨天下午”看不懂，请写成 2026-12-02 09:30。');
  });

  it('ends once: a report turned into a case or closed is refused another ending', () => {
    expect(() => mustBeOpen(sign())).not.toThrow();
    expect(wording(() => mustBeOpen(sign({ status: 'case', caseNumber: '八宝信〔2026〕7号' })))).toBe('八宝信息〔2026〕1号 已转为信访案件（八宝信〔2026〕7号），不能再转为案件或办结。');
    expect(wording(() => mustBeOpen(sign({ status: 'closed' })))).toBe('八宝信息〔2026〕1号 已办结，不能再转为案件或办结。');
    expect(caseMatterOf(sign())).toBe('幸福里小区：商量去区政府聚集（涉及人员：十余户业主；信息员 赵信息 报告，八宝信息〔2026〕1号）');
  });
});

describe('who sees and handles reports', () => {
  it('shows every report to clerks and leaders, an informant only what they recorded, nothing to the others', () => {
    expect(ROLES).toContain('信息员');
    const s = sign({ by: '赵信息' });
    expect(maySeeSign({ name: '赵信息', role: '信息员' }, s)).toBe(true);
    expect(maySeeSign({ name: '钱信息', role: '信息员' }, s)).toBe(false);
    expect(maySeeSign({ name: '刘芳', role: '登记员' }, s)).toBe(true);
    expect(maySeeSign({ name: '张主任', role: '领导' }, s)).toBe(true);
    for (const role of ['经办人', '档案员', '管理员'] as const) expect(maySeeSign({ name: 'x', role }, s)).toBe(false);
    expect(maySeeSign({ name: '终端' }, s)).toBe(true);
  });

  it('lets leaders and the administrator edit the roster, the staff read it, not an informant', () => {
    expect(mayDoRoster({ name: 'a', role: '领导' }, 'edit-roster')).toBe(true);
    expect(mayDoRoster({ name: 'a', role: '管理员' }, 'edit-roster')).toBe(true);
    expect(mayDoRoster({ name: 'a', role: '登记员' }, 'edit-roster')).toBe(false);
    expect(mayDoRoster({ name: 'a', role: '经办人' }, 'see-roster')).toBe(true);
    expect(mayDoRoster({ name: 'a', role: '信息员' }, 'see-roster')).toBe(false);
    expect(mayDoRoster({ name: '终端' }, 'edit-roster')).toBe(true);
  });
});

describe('the ledger’s lines of reports', () => {
  it('lists the month’s reports by the local day reported, with the ending and the case', () => {
    const dayOf = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const signs = [
      sign({ id: 1, reportedAt: '2026-11-30T16:30:00Z', status: 'case', caseNumber: '八宝信〔2026〕9号', outcome: '转为信访案件 八宝信〔2026〕9号', closedBy: '刘芳' }),
      sign({ id: 2, number: '八宝信息〔2026〕2号', reportedAt: '2026-11-30T15:59:00Z', risk: '中' }),
      sign({ id: 3, number: '八宝信息〔2026〕3号', reportedAt: '2026-12-31T15:00:00Z', risk: '低', status: 'closed', outcome: '已化解', closedBy: '张主任' }),
      sign({ id: 4, number: '八宝信息〔2027〕1号', reportedAt: '2026-12-31T16:00:00Z' }),
    ];
    const rows = signLedgerRows(signs, monthPeriod('2026-12'), dayOf, LEVELS);
    expect(rows.map((r) => r.checkedOn)).toEqual(['2026-12-01', '2026-12-31']);
    expect(rows[0]).toMatchObject({ area: '幸福里小区', checkedBy: '信息员 赵信息', type: '苗头信息', parties: '十余户业主', risk: '高', result: '已转为案件 八宝信〔2026〕9号', caseNumber: '八宝信〔2026〕9号', responsible: '刘芳' });
    expect(rows[1]).toMatchObject({ risk: '低', result: '已办结', measures: '已化解', responsible: '张主任', caseNumber: '' });
    expect(rows[1]!.situation).toContain('八宝信息〔2026〕3号');
  });

  it('puts a level of the office’s own list as 高, 中 or 低', () => {
    const colours = ['蓝色', '黄色', '橙色', '红色'];
    expect(colours.map((c) => ledgerRisk(c, colours))).toEqual(['低', '中', '中', '高']);
    expect(ledgerRisk('中', LEVELS)).toBe('中');
  });
});

describe('the roster and the contact list', () => {
  const contacts: Contact[] = [{ id: 1, name: '张主任', post: '组长', phones: ['010-62340001', '13800000001'], by: 'x', at: 'x' }];
  const shift = (id: number, day: string, person: string, phone = ''): DutyShift => ({ id, day, person, phone, post: '', by: 'x', at: 'x' });

  it('names who is on duty on a day in the order written, a phone from the contacts where the roster has none', () => {
    const shifts = [shift(3, '2026-12-02', '王值班', '13600000009'), shift(1, '2026-12-02', '张主任'), shift(2, '2026-12-03', '李副主任'), shift(4, '2026-12-02', '新人')];
    const today = onDutyOn('2026-12-02', shifts, contacts);
    expect(today).toEqual([{ name: '张主任', phone: '010-62340001' }, { name: '王值班', phone: '13600000009' }, { name: '新人', phone: '' }]);
    expect(onDutyText(today)).toBe('张主任（010-62340001）、王值班（13600000009）、新人');
    expect(onDutyOn('2026-12-04', shifts, contacts)).toEqual([]);
  });

  it('checks a shift and a contact as typed', () => {
    expect(checkShift({ person: ' 王值班 ', phone: ' 136 ' })).toEqual({ person: '王值班', phone: '136', post: '' });
    expect(wording(() => checkShift({ person: ' ' }))).toBe('请写明值班人员。');
    expect(phonesOf('010-62340001，13800000001、 139;')).toEqual(['010-62340001', '13800000001', '139']);
    expect(phonesOf(['010-1,010-2', ' 138 '])).toEqual(['010-1', '010-2', '138']);
    expect(checkContact({ name: '张主任', post: '组长', phones: '010-62340001 13800000001' }).phones).toEqual(['010-62340001', '13800000001']);
    expect(wording(() => checkContact({ name: '张主任', post: '组长', phones: ' ， ' }))).toBe('请写明联系电话。');
    expect(wording(() => checkContact({ name: '张主任', post: '', phones: '1' }))).toBe('请写明职务。');
  });
});

describe('the alert of a report', () => {
  it('is told to every leader once, and its words name who is on duty', () => {
    const a = signAlert({ id: 5 }, NOW);
    expect(a).toMatchObject({ key: 'sign:5', kind: 'sign', caseId: null, signId: 5, recipients: [{ role: '领导' }] });
    const text = alertText({
      kind: 'sign', deadline: null, dueDate: null,
      case: { number: '八宝信息〔2026〕5号', year: 2026, seq: 5, name: null, summary: '商量去区政府聚集', urgentWords: [], signatories: null },
      sign: { id: 5, place: '幸福里小区', people: '十余户业主', risk: '高', reporter: '赵信息' },
      onDuty: [{ name: '张主任', phone: '13800000001' }],
    });
    expect(text).toBe('八宝信息〔2026〕5号：幸福里小区，商量去区政府聚集（涉及 十余户业主；风险高；信息员 赵信息 报告），请研判处置。今日值班：张主任（13800000001）。');
  });
});

describe('the settings of reports', () => {
  const shipped = () => YAML.parse(readFileSync(path.join(repoRoot, 'pipeline', 'settings.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;

  it('numbers as 八宝信息〔2026〕3号 by default, also when an older settings file has no signs section', () => {
    const settings = parseSettings(shipped());
    expect(formatCaseNumber(settings.signs.numberFormat, { short: settings.office.shortName, year: 2026, seq: 3 })).toBe('八宝信息〔2026〕3号');
    const old = shipped();
    delete old.signs;
    expect(parseSettings(old).signs).toEqual({ numberFormat: '{short}信息〔{year}〕{seq}号', riskLevels: ['低', '中', '高'] });
  });

  it('refuses a format without the year or sequence, with an unknown placeholder, or the same as the cases’, and a level given twice', () => {
    const refused = (signs: Record<string, unknown>) => wording(() => parseSettings({ ...shipped(), signs }));
    expect(refused({ numberFormat: '{short}信息〔{year}〕号' })).toContain('signs.numberFormat 填写有误');
    expect(refused({ numberFormat: '{short}信息〔{yr}〕{seq}号' })).toContain('signs.numberFormat 填写有误');
    expect(refused({ numberFormat: '{short}信〔{year}〕{seq}号' })).toContain('不能与信访编号格式相同');
    expect(refused({ riskLevels: ['低', '高', '低'] })).toBe('设置文件 pipeline/settings.yaml 中 signs.riskLevels 的“低”出现了两次，请删去一个。');
  });
});

describe('an archive of the version before', () => {
  const tempRegistry = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'xinfang-sign-')), 'registry.sqlite');
  const format = (year: number, seq: number) => `八宝信息〔${year}〕${seq}号`;
  const newSign = (year: number, n: number) => ({ ...typed, matter: `第${n}条`, source: '电话' as const, year, reportedAt: `${year}-06-01T00:00:00Z`, by: '刘芳', at: `${year}-06-01T00:00:00Z` });

  it('brings an archive of the version before up to date, its alerts and who read them kept', async () => {
    const file = tempRegistry();
    const before = openSqliteStore(file, STORE_OPTIONS);
    const r = await before.register(petition('a'), folderFor);
    const caseId = r.created ? r.case.id : 0;
    const [alert] = await before.addAlerts([{ key: `${caseId}:urgent::`, kind: 'urgent', caseId, deadline: null, dueDate: null, recipients: [{ role: '领导' }], createdAt: NOW.toISOString() }]);
    await before.markAlertRead(alert!.id, '张主任', NOW);
    await before.close();
    // Back to the schema as the version before this one left it (the alerts table as step 15 made it).
    const db = new Database(file);
    db.pragma('foreign_keys = OFF');
    db.exec(`DROP TABLE duty_roster; DROP TABLE contacts; ALTER TABLE alerts DROP COLUMN on_duty;
      CREATE TABLE alerts_old AS SELECT id, key, kind, case_id, deadline, due_date, recipients, created_at, charge_person, charge_note, charge_by, charge_at FROM alerts;
      DROP TABLE alerts; DROP TABLE sign_reports;`);
    db.exec(MIGRATIONS[14]!.split('CREATE TABLE alert_recipients')[0]!);
    db.exec('INSERT INTO alerts SELECT * FROM alerts_old; DROP TABLE alerts_old;');
    db.pragma(`user_version = ${MIGRATIONS.length - 2}`);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();

    const after = openSqliteStore(file, STORE_OPTIONS);
    try {
      const kept = await after.alertById(alert!.id);
      expect(kept).toMatchObject({ kind: 'urgent', caseId, sign: null, onDuty: [], readBy: [{ user: '张主任' }] });
      const s = await after.addSignReport(newSign(2026, 1), format);
      const [raised] = await after.addAlerts([{ ...signAlert(s, NOW), onDuty: [{ name: '王值班', phone: '136' }] }]);
      expect(raised).toMatchObject({ kind: 'sign', caseId: null, case: { number: '八宝信息〔2026〕1号', summary: '第1条' }, sign: { place: '幸福里小区', risk: '高' }, onDuty: [{ name: '王值班', phone: '136' }] });
      expect((await after.alertsFor({ name: '张主任', role: '领导' }, { limit: 10 })).total).toBe(2);
    } finally {
      await after.close();
    }
    const check = new Database(file);
    expect(check.pragma('foreign_key_check')).toEqual([]);
    check.close();
  });
});
