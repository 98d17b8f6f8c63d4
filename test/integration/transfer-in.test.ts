/**
 * A case transferred in (转办): signed for, then sent back with its 退回函 within five working days
 * of arrival (国庆 2025 in between), or refused once the period is over; the returned case ends,
 * is counted as returned and bound with its letter. Through the services and the built CLI, the
 * issued PDF and DOCX read back.
 */
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../src/app.js';
import type { Case } from '../../src/domain/case.js';
import { monthPeriod } from '../../src/domain/reports/periods.js';
import { readPdf } from '../helpers/pdf.js';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';

const at = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`);
const squeeze = (s: string) => s.replace(/\s+/g, '');
const who = { name: '刘芳' };

let root: string;
let office: Office;
let now = at('2025-09-30');

beforeAll(async () => {
  root = await makeWorkspace({ workflow: { blankSheets: false } });
  office = await officeAt(root, { clock: () => now, background: 'none' });
});
afterAll(() => office.close());

const on = (day: string) => {
  now = at(day);
  return office.workflow;
};
const fresh = (c: Case) => office.cases.find(c.number);

function transferIn(matter: string, day: string): Promise<Case> {
  now = at(day, '16:30');
  return office.cases.register(who, { channel: '转办', matter, fields: { name: '周建国', summary: matter }, transfer: { office: '八宝街道办事处', number: '八街转〔2025〕31号' } });
}

describe('a transfer that arrived just before 国庆 2025', () => {
  let c: Case;

  it('is signed for, with who and when, and may be sent back until 2025-10-14', async () => {
    c = await transferIn('反映企业拖欠工资，请求督促支付。', '2025-09-30');
    await expect(on('2025-09-30').returnCase(who, await fresh(c), { reason: '属劳动保障监察职责' })).rejects.toThrow(/还没有签收，须先签收/);
    await expect(on('2025-09-30').sign(who, await fresh(c), { by: '陈明', date: '2025-10-01' })).rejects.toThrow(/签收日期 2025年10月1日 不对：应在收到日期 2025年9月30日 和今天 2025年9月30日 之间/);
    await on('2025-09-30').sign(who, await fresh(c), { by: '陈明' });
    await expect(on('2025-10-01').sign(who, await fresh(c))).rejects.toThrow(/已经由陈明签收过了/);
    const signed = await fresh(c);
    expect(signed.status).toBe('registered');
    expect(signed.workflow).toMatchObject({ signedBy: '陈明' });
    expect(signed.history.at(-1)).toMatchObject({ action: 'signed', actor: '刘芳' });
    expect(signed.history.at(-1)!.detail).toContain('须于 2025年10月14日 前退回');
  });

  it('is sent back on the fifth working day with a 退回函 in PDF and DOCX, and ends there', async () => {
    const { documents } = await on('2025-10-14').returnCase(who, await fresh(c), { reason: '该事项属于区人力资源和社会保障局劳动保障监察职责范围' });
    const done = await fresh(c);
    expect(done.status).toBe('closed');
    expect(done.workflow.returnReason).toBe('该事项属于区人力资源和社会保障局劳动保障监察职责范围');
    expect(done.history.map((h) => h.action)).toEqual(['registered', 'signed', 'returned']);
    expect(done.history.at(-1)!.detail).toContain('已生成退回函');

    const pdf = documents.find((d) => d.endsWith('.pdf'))!;
    const text = squeeze((await readPdf(office.paths.absolute(pdf))).pages.map((p) => p.text).join(''));
    expect(text).toContain('关于退回八街转〔2025〕31号信访事项的函');
    expect(text).toContain('八宝街道办事处：');
    expect(text).toContain('本机关已于2025年9月30日收到，2025年9月30日由陈明签收');
    expect(text).toContain('经审查，该事项属于区人力资源和社会保障局劳动保障监察职责范围。');
    const docx = documents.find((d) => d.endsWith('.docx'))!;
    const xml = await (await JSZip.loadAsync(readFileSync(office.paths.absolute(docx)))).file('word/document.xml')!.async('string');
    const words = xml.replace(/<[^>]+>/g, '');
    expect(words).toContain('关于退回八街转〔2025〕31号信访事项的函');
    expect(words).toContain('劳动保障监察职责范围');

    await expect(on('2025-10-15').instruct(who, done, { leader: '张主任', text: '请处理' })).rejects.toThrow(/已办结/);
  });

  it('is counted as returned in the month\'s statistics and bound with its 退回函', async () => {
    const stats = await office.reports.stats(monthPeriod('2025-09'));
    expect(stats.returned).toEqual({ count: 1, cases: [c.number] });
    const bound = await office.binding.bindCase(who, await fresh(c));
    const volume = squeeze((await readPdf(office.paths.absolute(bound.path))).pages.map((p) => p.text).join(''));
    expect(volume).toContain('退回函');
    expect((await fresh(c)).history.at(-1)!.action).toBe('bound');
  });

  it('is refused a day late, with the date and the reason in Chinese', async () => {
    const late = await transferIn('反映小区绿化带被占用。', '2025-09-30');
    await on('2025-10-02').sign(who, await fresh(late));
    await expect(on('2025-10-15').returnCase(who, await fresh(late), { reason: '不属本单位' })).rejects.toThrow(/退回期限（2025年10月14日）已过/);
    expect((await fresh(late)).status).toBe('registered');
  });
});

describe('the CLI', () => {
  it('signs, shows the return deadline, returns, and warns while the holiday table lacks the year', () => {
    const cli = (args: string[], day: string) => runCli(['--root', root, ...args], { XINFANG_NOW: at(day).toISOString() });
    const reg = cli(['register', '--channel', '转办', '--matter', '反映道路积水。', '--name', '孙丽', '--from-office', '八宝街道办事处', '--from-number', '八街转〔2025〕40号', '--json'], '2025-09-30');
    expect(reg.status, reg.stderr).toBe(0);
    const number = (JSON.parse(reg.stdout) as { number: string }).number;
    const early = cli(['return', number, '--reason', '属市政部门职责'], '2025-09-30');
    expect(early.status).toBe(1);
    expect(early.stderr).toContain(`须先签收（xinfang sign ${number}）`);
    expect(cli(['sign', number, '--signer', '陈明'], '2025-09-30').status).toBe(0);
    const shown = cli(['show', number], '2025-10-09');
    expect(shown.stdout).toContain('签收：陈明（2025年9月30日）');
    expect(shown.stdout).toContain('须于 2025年10月14日 前退回（收到后 5 个工作日）');
    expect(shown.stdout).not.toContain('calendar.holidays 中还没有');
    const returned = cli(['return', number, '--reason', '属市政部门职责'], '2025-10-14');
    expect(returned.status, returned.stderr).toBe(0);
    expect(returned.stdout).toContain('已办结');
    expect(returned.stdout).toMatch(/退回函.*\.pdf/);
    // In December the next year is needed too: the table has 2025 and 2026, not 2027.
    expect(cli(['show', number], '2026-12-02').stdout).toContain('calendar.holidays 中还没有 2027年');
  });
});
