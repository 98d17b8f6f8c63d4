/**
 * 回访 and 复查/复核 through the services and the CLI on the real SQLite file: the visit and its
 * evaluation, the 复查 asked on day 31 refused and on day 30 taken, binding refused while the
 * review waits for its decision, the decision with its scanned paper, the 复核 on its own day-30/31
 * edge; the volume holds the review papers; the statistics' satisfaction recomputed from the cases.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
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
let papers: string;
let now = at('2026-10-20');

async function pdfPaper(file: string, words: string): Promise<string> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595.28, 841.89]).drawText(words, { x: 72, y: 700, size: 18, font });
  await fs.writeFile(file, await doc.save());
  return file;
}

beforeAll(async () => {
  root = await makeWorkspace({ workflow: { blankSheets: false } });
  office = await officeAt(root, { clock: () => now, background: 'none' });
  papers = await fs.mkdtemp(path.join(os.tmpdir(), 'xinfang-follow-up-'));
});
afterAll(async () => {
  await office.close();
  await fs.rm(papers, { recursive: true, force: true });
});

const on = (day: string) => {
  now = at(day);
  return office.workflow;
};
const fresh = (c: Case) => office.cases.find(c.number);
const cli = (args: string[], day: string) => runCli(['--root', root, ...args], { XINFANG_NOW: at(day).toISOString() });

/** A case registered, instructed to 李文, accepted, and replied to on `replied` (local day). */
async function repliedCase(name: string, category: string, replied: string): Promise<Case> {
  now = at('2026-10-20', '09:00');
  const c = await office.cases.register(who, { channel: '来访', matter: `反映${category}问题。`, fields: { name, category, summary: `反映${category}问题` } });
  await on('2026-10-21').instruct(who, await fresh(c), { leader: '张主任', text: '请核实处理。', handler: name === '赵敏' ? '王芳' : '李文' });
  await on('2026-10-22').accept(who, await fresh(c));
  await on(replied).reply(who, await fresh(c), { outcome: '不予支持', facts: '经核实，诉求缺乏依据。' });
  return fresh(c);
}

describe('回访, 复查 and 复核 of a replied case', () => {
  let c: Case;
  let other: Case;

  it('refuses a visit before the reply, then records the visit and the evaluation from the CLI', async () => {
    now = at('2026-10-20', '09:00');
    const early = await office.cases.register(who, { channel: '来访', matter: '反映噪音。', fields: { name: '孙丽' } });
    await expect(on('2026-10-21').visit(who, await fresh(early), { how: '电话', result: '满意' })).rejects.toThrow(/须先/);

    c = await repliedCase('王秀兰', '环境保护', '2026-11-03');
    other = await repliedCase('赵敏', '城乡建设', '2026-11-04');
    const bad = cli(['visit', c.number, '--how', '飞鸽', '--result', '不满意'], '2026-11-05');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('“飞鸽”不在设置的回访方式中');
    const done = cli(['visit', c.number, '--how', '电话', '--result', '不满意', '--visitor', '刘芳', '--date', '2026-11-05', '--note', '认为补偿太少'], '2026-11-06');
    expect(done.stderr).toBe('');
    expect(done.stdout).toContain('2026年11月5日电话回访（刘芳），信访人评价：不满意；认为补偿太少');
    await on('2026-11-06').visit({ name: '王芳' }, await fresh(other), { how: '上门', result: '满意' });
    expect((await fresh(c)).workflow.returnVisit).toMatchObject({ on: '2026-11-05', how: '电话', by: '刘芳', result: '不满意' });
  });

  it('puts the visit and the evaluation in the register book (PDF and DOCX)', async () => {
    const pdfFile = await office.reports.book(who, 2026, undefined, 'pdf');
    const docxFile = await office.reports.book(who, 2026, undefined, 'docx');
    const pdf = (await readPdf(office.paths.absolute(pdfFile.file))).pages.slice(1).map((p) => p.text.replace(/\s/g, '')).join('');
    expect(pdf).toContain('回访评价');
    expect(pdf).toContain('2026-11-05电话不满意');
    expect(pdf).toContain('2026-11-06上门满意');
    const xml = await (await JSZip.loadAsync(await fs.readFile(office.paths.absolute(docxFile.file)))).file('word/document.xml')!.async('string');
    // As Word reads it: the hyphens between figures are Word's non-breaking ones.
    const text = xml.replace(/<w:noBreakHyphen\/>/g, '-').replace(/<[^>]+>/g, '');
    expect(text).toContain('回访评价');
    expect(text).toContain('2026-11-05 电话 不满意');
  });

  it('lists the unsatisfied case in the statistics with the petitioner\'s next step, and the rates add up to the cases', async () => {
    const stats = await office.reports.stats(monthPeriod('2026-10'));
    const s = stats.satisfaction;
    // Recomputed from the case list.
    const visited = (await office.store.listCases()).filter((x) => x.workflow.returnVisit);
    expect(s.visited).toBe(visited.length);
    expect(s.satisfied).toBe(visited.filter((x) => ['满意', '基本满意'].includes(x.workflow.returnVisit!.result)).length);
    expect(s.rate).toBe(0.5);
    expect(s.byCategory).toEqual([
      { name: '城乡建设', visited: 1, satisfied: 1, rate: 1, cases: [other.number] },
      { name: '环境保护', visited: 1, satisfied: 0, rate: 0, cases: [c.number] },
    ].sort((a, b) => office.settings.categories.findIndex((x) => x.name === a.name) - office.settings.categories.findIndex((x) => x.name === b.name)));
    expect(s.byHandler.map((h) => [h.name, h.visited, h.satisfied])).toEqual([['李文', 1, 0], ['王芳', 1, 1]]);
    expect(s.unsatisfied).toEqual([{ number: c.number, name: '王秀兰', result: '不满意', visitedOn: '2026-11-05', handler: '李文', next: `可自收到书面答复之日起30日内（2026年12月3日前）向${office.settings.workflow.reviewAuthority}请求复查` }]);
    const report = await office.reports.stats(monthPeriod('2026-10'), { report: true });
    const pdf = squeeze((await readPdf(office.paths.absolute(report.files.find((f) => f.endsWith('.pdf'))!))).pages.map((p) => p.text).join(''));
    expect(pdf).toContain('十、回访与满意度');
    expect(pdf).toContain('本期案件回访2件，其中满意1件、基本满意0件、不满意1件，满意率50.0%。');
    expect(pdf).toContain(`不满意1件：${c.number}（王秀兰，经办人李文）可自收到书面答复之日起30日内`);
    const text = cli(['stats', '--month', '2026-10'], '2026-11-06').stdout;
    expect(text).toContain('回访 2 件：满意 1，基本满意 0，不满意 1；满意率 50.0%');
    expect(text).toContain(`不满意：${c.number} 王秀兰（不满意，经办人 李文）可自收到书面答复之日起30日内（2026年12月3日前）`);
  });

  it('refuses the 复查 asked on day 31 after the reply and takes it on day 30, with its paper filed into the case folder', async () => {
    const request = await pdfPaper(path.join(papers, 'request.pdf'), 'REVIEW REQUEST OF WANG');
    const late = cli(['appeal', 'request', c.number, '--date', '2026-12-04', '--paper', request], '2026-12-05');
    expect(late.status).toBe(1);
    expect(late.stderr).toContain('复查申请日期 2026年12月4日 已超过期限');
    expect(late.stderr).toContain('30 日内（2026年12月3日 前）提出');
    expect((await fresh(c)).documents.filter((d) => d.role === 'received')).toEqual([]);
    const taken = cli(['appeal', 'request', c.number, '--date', '2026-12-03', '--body', '八宝街道办事处', '--paper', request], '2026-12-05');
    expect(taken.stderr).toBe('');
    expect(taken.stdout).toContain('信访人 2026年12月3日 向八宝街道办事处申请复查；应于 2027年1月2日 前作出复查意见；收到材料 1 份');
    const d = await fresh(c);
    const filed = d.documents.filter((x) => x.role === 'received');
    expect(filed.map((x) => [x.kind, path.extname(x.path), x.sourceName])).toEqual([['复查申请', '.pdf', 'request.pdf']]);
    expect(await fs.readFile(office.paths.absolute(filed[0]!.path))).toEqual(await fs.readFile(request));
    // The user's own file stays where it was.
    await expect(fs.stat(request)).resolves.toBeTruthy();
  });

  it('shows the review and its answer date, and refuses to bind the case while the review waits for its decision', async () => {
    await on('2026-12-06').close(who, await fresh(c));
    const shown = cli(['show', c.number], '2026-12-06').stdout;
    expect(shown).toContain('回访：2026年11月5日 电话回访（刘芳），信访人评价：不满意');
    expect(shown).toContain('复查：2026年12月3日 向八宝街道办事处申请，应于 2027年1月2日 前作出复查意见；结论：尚未作出');
    const bind = cli(['bind', c.number], '2026-12-06');
    expect(bind.status).toBe(1);
    expect(bind.stderr).toContain('还不能立卷');
    expect(bind.stderr).toContain('复查结论（2026年12月3日已向八宝街道办事处申请复查，应于 2027年1月2日 前作出意见；结论登记后才能立卷）');
    const due = cli(['due'], '2026-12-06').stdout;
    expect(due).toContain('等待复查（复核）结论 1 件：');
    expect(due).toContain(`${c.number}  等待复查结论（八宝街道办事处）：2027-01-02（还剩 27 天）  王秀兰`);
    const second = cli(['appeal', 'request', c.number], '2026-12-06');
    expect(second.stderr).toContain('须先登记复查结论（xinfang appeal decide');
  });

  it('records the decision with a photographed paper, then counts the 复核 from it: day 31 refused, day 30 taken', async () => {
    const photo = path.join(papers, 'decision.png');
    await sharp({ create: { width: 400, height: 560, channels: 3, background: '#ffffff' } }).png().toFile(photo);
    const bad = cli(['appeal', 'decide', c.number, '--decision', '驳回'], '2027-01-04');
    expect(bad.stderr).toContain('“驳回”不在设置的复查（复核）结论中。请写 维持、撤销、变更 之一');
    await on('2027-01-04').decideReview(who, await fresh(c), { decision: '维持', on: '2026-12-30', papers: [{ name: 'decision.png', path: photo }] });
    const d = await fresh(c);
    expect(d.workflow.reviews).toMatchObject([{ stage: '复查', decision: '维持', decidedOn: '2026-12-30' }]);
    expect(d.documents.filter((x) => x.role === 'received').map((x) => [x.kind, path.extname(x.path)])).toEqual([['复查申请', '.pdf'], ['复查意见', '.png'], ['复查意见', '.pdf']]);
    // 复核: 30 days from 2026-12-30 is 2027-01-29.
    await expect(on('2027-02-01').requestReview(who, await fresh(c), { on: '2027-01-30', body: '区人民政府信访工作机构' })).rejects.toThrow(/复核申请日期 2027年1月30日 已超过期限/);
    await on('2027-02-01').requestReview(who, await fresh(c), { on: '2027-01-29', body: '区人民政府信访工作机构' });
    await on('2027-02-20').decideReview(who, await fresh(c), { decision: '维持' });
    await expect(on('2027-02-21').requestReview(who, await fresh(c), {})).rejects.toThrow(/复核意见为最终意见/);
    expect((await fresh(c)).history.map((h) => h.action).slice(-6)).toEqual(['visited', 'review-requested', 'closed', 'review-decided', 'review-requested', 'review-decided']);
  });

  it('binds the volume with the review papers once the reviews are decided', async () => {
    const bound = await office.binding.bindCase(who, await fresh(c));
    const volume = await readPdf(office.paths.absolute(bound.path));
    const all = squeeze(volume.pages.map((p) => p.text).join(''));
    expect(all).toContain('REVIEWREQUESTOFWANG');
    expect(all).toContain('王秀兰复查申请');
    expect(all).toContain('八宝街道办事处关于王秀兰信访事项的复查意见');
    // Every filed paper is on record with its fingerprint: the archive verifies.
    const verify = cli(['verify'], '2027-02-21');
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  });
});
