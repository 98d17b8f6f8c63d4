/**
 * The office's records and reports over HTTP: the register book of any days, the statistics with
 * every count a link to exactly its cases, the ledger, documents previewed before they go out,
 * binding, year volumes and the BagIt export. Roles and anti-forgery on every one.
 */
import { existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/adapters/files/hash.js';
import type { Office } from '../../src/app.js';
import { localDate } from '../../src/domain/calendar.js';
import type { Case } from '../../src/domain/case.js';
import { dueState } from '../../src/domain/deadlines.js';
import { buildWebServer } from '../../src/interfaces/web/server.js';
import { readPdf } from '../helpers/pdf.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';
import { signedInVisitor, Visitor } from '../helpers/visitor.js';

const terminal = { name: '管理员（终端）' };
const PASSWORD = 'xinfang-2026';
const TZ = 'Asia/Shanghai';
const squeeze = (s: string) => s.replace(/\s+/g, '');

let office: Office;
let app: FastifyInstance;
let now = new Date('2026-11-25T10:00:00+08:00');
const on = (day: string) => {
  now = new Date(`${day}T10:00:00+08:00`);
  return office;
};

function signedIn(name: string): Promise<Visitor> {
  return signedInVisitor(app, name, PASSWORD);
}

const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&quot;/g, '"');
/** The count a case list page says it shows: 共 N 件. */
const listTotal = (html: string) => Number(/<h1>案件列表 <small>共 (\d+) 件<\/small>/.exec(html)?.[1] ?? NaN);

/** Registers a petition received on a day, with the fields typed. */
async function petition(day: string, channel: string, fields: Record<string, string>, matter = '反映小区道路破损，请求维修。') {
  return on(day).cases.register(terminal, { channel, matter, fields, receivedAt: `${day} 09:30` });
}

async function closeCase(number: string): Promise<void> {
  const who = { name: '刘芳' };
  await on('2026-11-05').workflow.instruct(who, await office.cases.find(number), { leader: '张主任', text: '请城建办协调处理', handler: '李文' });
  await on('2026-11-06').workflow.accept(who, await office.cases.find(number));
  await on('2026-11-12').workflow.reply(who, await office.cases.find(number), { outcome: '予以支持', facts: '经协调，道路已于11月10日修复。' });
  await on('2026-11-13').workflow.close(who, await office.cases.find(number));
}

let closed: string;
let open: string;

beforeAll(async () => {
  const root = await makeWorkspace({ workflow: { blankSheets: false } });
  office = await officeAt(root, { clock: () => now, background: 'none' });
  for (const [name, role] of [['刘芳', '登记员'], ['张主任', '领导'], ['李文', '经办人'], ['王档', '档案员'], ['管理', '管理员']] as const) {
    await office.users.add(terminal, { name, role, password: PASSWORD });
  }
  // The month before: two of 物业管理, so that 城乡建设 rises and 物业管理 does not.
  await petition('2026-10-08', '来信', { name: '钱七', category: '物业管理' });
  await petition('2026-10-20', '来访', { name: '孙八', phone: '13900000008', category: '物业管理' });
  // November: categories, channels, handling types, a person twice, a joint letter, urgent words, none classified.
  const first = await petition('2026-11-02', '来信', { name: '王秀兰', phone: '13900000001', category: '城乡建设', handlingType: '申诉求决类' });
  closed = first.number;
  await petition('2026-11-03', '来访', { name: '王秀兰', phone: '13900000001', category: '城乡建设', handlingType: '申诉求决类' });
  await petition('2026-11-05', '电话', { name: '赵六', category: '物业管理', handlingType: '建议意见类' });
  await petition('2026-11-06', '来信', { name: '周九', signatories: '6', category: '邻里纠纷' }, '六户居民联名反映楼上噪音扰民。');
  await petition('2026-11-09', '来访', { name: '吴十' }, '扬言到北京上访，要求解决拆迁补偿。');
  await petition('2026-11-10', '网上', { name: '郑一', category: '城乡建设', handlingType: '检举控告类' });
  await petition('2026-11-10', '来信', { name: '孙八', phone: '13900000008' });
  open = (await petition('2026-11-20', '来信', { name: '冯二', category: '治安' })).number;
  await closeCase(closed);
  on('2026-11-25');
  app = await buildWebServer(office);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await office?.close();
});

describe('who may open the records and reports', () => {
  it('keeps 统计, 台账 and their downloads from a handler and the administrator, and shows the menu only to those who may', async () => {
    for (const name of ['李文', '管理']) {
      const v = await signedIn(name);
      for (const url of ['/stats', '/ledger', '/stats/download?format=pdf', '/ledger/download?format=docx', '/stats/charts/0.svg', '/cases?measure=overdue&mfrom=2026-11-01&mto=2026-11-30']) {
        expect((await v.get(url)).statusCode, `${name} ${url}`).toBe(403);
      }
      expect((await v.get('/')).body).not.toContain('href="/stats"');
    }
    const leader = await signedIn('张主任');
    const home = await leader.get('/');
    expect(home.body).toContain('<a href="/stats">统计</a>');
    expect(home.body).toContain('<a href="/ledger">台账</a>');
    expect((await leader.get('/book?from=2026-11-01&to=2026-11-30')).statusCode).toBe(403);
  });

  it('lets only the archivist export and open volumes, and refuses forms without the anti-forgery token', async () => {
    const clerk = await signedIn('刘芳');
    expect((await clerk.post('/archive/export', { year: '2026', mode: 'folder', dir: '导出/甲' })).statusCode).toBe(403);
    expect((await clerk.get('/archive/volumes/2026/1/1')).statusCode).toBe(403);
    const archivist = await signedIn('王档');
    const forged = await archivist.post('/archive/export', { year: '2026', mode: 'folder', dir: '导出/乙' }, { csrf: false });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('防伪校验未通过');
    expect(existsSync(path.join(office.paths.root, '导出', '乙'))).toBe(false);
    const letter = await clerk.post(`/cases/${encodeURIComponent(open)}/letters/${encodeURIComponent('受理告知书')}`, { action: 'issue' }, { csrf: false });
    expect(letter.statusCode).toBe(403);
    const handler = await signedIn('李文');
    expect((await handler.get(`/cases/${encodeURIComponent(open)}/letters?type=${encodeURIComponent('受理告知书')}`)).statusCode).toBe(403);
  });
});

describe('the register book of any days', () => {
  it('shows the rows of the cases received in the range, in number order, and downloads them as PDF and DOCX', async () => {
    const v = await signedIn('王档');
    const all = await office.store.listCases();
    const expected = all.filter((c) => localDate(c.receivedAt, TZ) >= '2026-11-03' && localDate(c.receivedAt, TZ) <= '2026-11-10').map((c) => c.number);
    expect(expected.length).toBe(6);
    const page = await v.get('/book?from=2026-11-03&to=2026-11-10');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('2026年11月3日至2026年11月10日共 6 件');
    const rows = [...page.body.matchAll(/<tr>(.*?)<\/tr>/gs)].slice(1).map((m) => m[1]!);
    expect(rows.length).toBe(6);
    expected.forEach((n, i) => expect(rows[i]).toContain(n));

    const pdf = await v.get('/book/download?from=2026-11-03&to=2026-11-10&format=pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = squeeze((await readPdf(pdf.rawPayload)).pages.map((p) => p.text).join(''));
    expect(text).toContain('2026年11月3日至2026年11月10日');
    for (const n of expected) expect(text).toContain(squeeze(n));
    expect(text).not.toContain(squeeze(open));
    const docx = await v.get('/book/download?from=2026-11-03&to=2026-11-10&format=docx');
    const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
    for (const n of expected) expect(xml).toContain(n);

    const bad = await v.get('/book?from=2026-11-10&to=2026-11-03');
    expect(bad.statusCode).toBe(422);
  });
});

describe('the statistics', () => {
  it('makes every count a link to a case list of exactly as many cases, and the figures are right', async () => {
    const v = await signedIn('张主任');
    const page = await v.get('/stats?kind=month&month=2026-11');
    expect(page.statusCode, page.body).toBe(200);
    const links = [...page.body.matchAll(/<a href="([^"]+)" data-figure="([^"]+)">(\d+)<\/a>/g)].map((m) => ({ href: unescape(m[1]!), figure: m[2]!, count: Number(m[3]) }));
    expect(links.length).toBeGreaterThan(20);
    for (const link of links) {
      const list = await v.get(link.href);
      expect(list.statusCode, link.href).toBe(200);
      expect(listTotal(list.body), `${link.figure} ${link.href}`).toBe(link.count);
    }

    // The figures, worked out here from the registry's cases.
    const all = await office.store.listCases();
    const day = (c: Case) => localDate(c.receivedAt, TZ);
    const nov = all.filter((c) => day(c) >= '2026-11-01' && day(c) <= '2026-11-30');
    const figure = (name: string, label?: string) => {
      const hits = links.filter((l) => l.figure === name && (label === undefined || page.body.includes(`<td>${label}`)));
      return hits.map((l) => l.count);
    };
    expect(figure('total')).toEqual([nov.length]);
    expect(nov.length).toBe(8);
    expect(figure('first')).toEqual([nov.filter((c) => !c.repeatOf).length]);
    expect(figure('first-closed')).toEqual([nov.filter((c) => !c.repeatOf && c.status === 'closed').length]);
    expect(figure('group')).toEqual([nov.filter((c) => c.flags.includes('group')).length]);
    expect(figure('group')).toEqual([1]);
    expect(figure('urgent')).toEqual([1]);
    const overdue = all.filter((c) => day(c) <= '2026-11-25' && c.status !== 'closed' && (dueState(c, office.settings, new Date('2026-11-25T12:00:00Z'))?.days ?? 0) < 0);
    expect(figure('overdue')).toEqual([overdue.length]);
    expect(overdue.length).toBeGreaterThan(0);
    expect(figure('on-time')).toEqual([1]);
    expect(figure('late')).toEqual([0]);
    // By category: this month and the month before, each a link to those cases.
    const catLink = links.find((l) => l.figure === 'category' && l.href.includes(encodeURIComponent('城乡建设')))!;
    expect(catLink.count).toBe(nov.filter((c) => c.fields.category === '城乡建设').length);
    expect(catLink.count).toBeGreaterThanOrEqual(3);
    // The list of the unclassified holds exactly those, however many the classifier left.
    const unclassified = await v.get('/cases?from=2026-11-01&to=2026-11-30&nocategory=1');
    expect(listTotal(unclassified.body)).toBe(nov.filter((c) => !c.fields.category).length);
    const before = links.find((l) => l.figure === 'category-before' && l.href.includes(encodeURIComponent('物业管理')))!;
    expect(before.count).toBe(2);
    expect(page.body).toMatch(/比上期增多的类别：.*城乡建设/);
    const letters = links.find((l) => l.figure === 'channel' && l.href.includes(`channel=${encodeURIComponent('来信')}`))!;
    expect(letters.count).toBe(nov.filter((c) => c.channel === '来信').length);
    const handling = links.find((l) => l.figure === 'handling' && l.href.includes(encodeURIComponent('申诉求决类')))!;
    expect(handling.count).toBe(nov.filter((c) => c.fields.handlingType === '申诉求决类').length);
    expect(handling.count).toBeGreaterThanOrEqual(2);
    for (const l of links.filter((x) => x.figure === 'handling' || x.figure === 'status')) expect(l.count).toBe(listTotal((await v.get(l.href)).body));
    // Key persons: 王秀兰 twice this month, 孙八 once in October and once in November.
    const persons = links.filter((l) => l.figure === 'person').map((l) => l.count).sort();
    expect(persons).toEqual([2, 2]);
    const everyone = await v.get(unescape(/href="([^"]+)" data-figure="key-persons"/.exec(page.body)![1]!));
    expect(listTotal(everyone.body)).toBe(4);
  });

  it('draws the three charts as SVG served by a route', async () => {
    const v = await signedIn('张主任');
    const page = await v.get('/stats?kind=month&month=2026-11');
    const srcs = [...page.body.matchAll(/<img class="chart" src="([^"]+)"/g)].map((m) => unescape(m[1]!));
    expect(srcs.length).toBe(3);
    for (const src of srcs) {
      const svg = await v.get(src);
      expect(svg.statusCode).toBe(200);
      expect(svg.headers['content-type']).toContain('image/svg+xml');
      expect(svg.body).toMatch(/^<svg/);
    }
    expect((await v.get(srcs[0]!)).body).toContain('城乡建设');
    expect((await v.get('/stats/charts/7.svg?kind=month&month=2026-11')).statusCode).toBe(404);
  });

  it('downloads the report and the ledger as PDF and DOCX that read back', async () => {
    const v = await signedIn('张主任');
    const pdf = await v.get('/stats/download?kind=month&month=2026-11&format=pdf');
    expect(pdf.statusCode).toBe(200);
    const text = squeeze((await readPdf(pdf.rawPayload)).pages.map((p) => p.text).join(''));
    expect(text).toContain('信访工作统计报告');
    expect(text).toContain('本期共登记信访事项8件');
    const docx = await v.get('/stats/download?kind=month&month=2026-11&format=docx');
    const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toContain('按类别统计');

    const ledgerPage = await v.get('/ledger?kind=month&month=2026-11');
    expect(ledgerPage.statusCode).toBe(200);
    expect(ledgerPage.body).toContain('排查出');
    const ledger = await v.get('/ledger/download?kind=month&month=2026-11&format=pdf');
    const ledgerText = squeeze((await readPdf(ledger.rawPayload)).pages.map((p) => p.text).join(''));
    expect(ledgerText).toContain('矛盾纠纷排查台账');
    const zero = await v.get('/ledger/download?kind=month&month=2026-01&format=docx');
    const zeroXml = await (await JSZip.loadAsync(zero.rawPayload)).file('word/document.xml')!.async('string');
    expect(zeroXml).toContain('零报告');
  });
});

describe('the statistics after a change', () => {
  it('counts a petition registered since the page was last shown, by this process or another', async () => {
    const v = await signedIn('张主任');
    const total = async () => Number(/data-figure="total">(\d+)</.exec((await v.get('/stats?kind=month&month=2026-11')).body)![1]);
    const before = await total();
    // Reading pages writes sessions, not cases: the figures are kept.
    const mark = await office.store.changeMark();
    await v.get('/stats?kind=year&year=2026');
    expect(await office.store.changeMark()).toBe(mark);
    await petition('2026-11-24', '来访', { name: '陈三', category: '治安' });
    on('2026-11-25');
    expect(await total()).toBe(before + 1);
    // Another connection to the same registry, as the CLI or the intake worker would be.
    const other = await officeAt(office.paths.root, { background: 'none' });
    try {
      await other.cases.register(terminal, { channel: '来信', matter: '反映噪音扰民。', fields: { name: '褚四' }, receivedAt: '2026-11-24 10:00' });
    } finally {
      await other.close();
    }
    expect(await total()).toBe(before + 2);
  });
});

describe('documents before they go out', () => {
  const letters = (type: string) => `/cases/${encodeURIComponent(open)}/letters/${encodeURIComponent(type)}`;

  it('previews a notice with its missing fields marked, refuses to issue it, and issues it once they are filled', async () => {
    const v = await signedIn('刘芳');
    const before = (await office.cases.find(open)).documents.length;
    const page = await v.get(`/cases/${encodeURIComponent(open)}/letters?type=${encodeURIComponent('延期告知书')}`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toMatch(/还缺少：[^。]*延期理由/);
    expect(page.body).toMatch(/<button type="submit" name="action" value="issue" disabled>/);
    const frame = unescape(/<iframe class="letter-preview"[^>]* src="([^"]+)"/.exec(page.body)![1]!);
    const draft = await v.get(frame);
    expect(draft.headers['content-type']).toBe('application/pdf');
    expect(squeeze((await readPdf(draft.rawPayload)).pages.map((p) => p.text).join(''))).toContain('【待填：延期理由】');

    const refused = await v.post(letters('延期告知书'), { action: 'issue', f_延期理由: '需要现场勘验' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('还缺少');
    expect((await office.cases.find(open)).documents.length).toBe(before);

    const filled = { f_受理日期: '2026年11月21日', f_延期理由: '需要现场勘验', f_延长天数: '30', f_新办结期限: '2027年1月20日', f_来信日期: '2026年11月18日', f_摘要: '反映小区道路破损' };
    const preview = await v.post(letters('延期告知书'), { action: 'preview', ...filled });
    expect(preview.body).toContain('各项内容已齐全，可以出具');
    const docxLink = unescape(/href="([^"]+draft\.docx[^"]*)"/.exec(preview.body)![1]!);
    const docx = await v.get(docxLink);
    const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toContain('需要现场勘验');
    expect((await office.cases.find(open)).documents.length).toBe(before);

    const issued = await v.post(letters('延期告知书'), { action: 'issue', ...filled });
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.body).toContain('已出具延期告知书');
    const docs = (await office.cases.find(open)).documents.filter((d) => d.kind === '延期告知书');
    expect(docs.map((d) => path.extname(d.path)).sort()).toEqual(['.docx', '.pdf']);
    const text = squeeze((await readPdf(office.paths.absolute(docs.find((d) => d.path.endsWith('.pdf'))!.path))).pages.map((p) => p.text).join(''));
    expect(text).toContain('需要现场勘验');
    expect(text).not.toContain('待填');
    expect(issued.body).toMatch(/<a class="print" href="\/cases\/[^"]+\/documents\/\d+" target="_blank"/);
  });
});

describe('binding and the archive', () => {
  it('binds the closed case from the list, opens its volume, binds the year and lists the volume with its contents', async () => {
    const v = await signedIn('王档');
    const archive = await v.get('/archive');
    expect(archive.body).toContain(`value="${(await office.cases.find(closed)).year}-${(await office.cases.find(closed)).seq}"`);
    const c = await office.cases.find(closed);
    const bound = await v.post('/archive/bind', { cases: `${c.year}-${c.seq}` });
    expect(bound.statusCode, bound.body).toBe(200);
    const link = unescape(/href="(\/archive\/cases\/[^"]+\/volume)"/.exec(bound.body)![1]!);
    const volume = await v.get(`${link}?download`);
    expect(volume.headers['content-type']).toBe('application/pdf');
    const record = (await office.cases.find(closed)).documents.find((d) => d.role === 'volume')!;
    expect(sha256(volume.rawPayload)).toBe(record.sha256);

    const year = await v.post('/archive/year', { year: '2026' });
    expect(year.statusCode, year.body).toBe(200);
    const [yv] = await office.binding.volumes(2026);
    expect(yv).toBeDefined();
    expect(year.body).toContain(`<a href="/cases/${encodeURIComponent(closed)}">${closed}</a>`);
    const file = await v.get(`/archive/volumes/2026/${yv!.volume}/${yv!.edition}?download`);
    expect(sha256(file.rawPayload)).toBe(yv!.sha256);
    expect((await v.get('/archive/volumes/2026/99/1')).statusCode).toBe(404);
  });

  it('exports the year as a BagIt folder inside the workspace, refuses unsafe folders, and downloads it as a zip', async () => {
    const v = await signedIn('王档');
    for (const dir of ['../外面', 'archive/2026/包', 'inbox/包', '/tmp/xinfang-anywhere', '', '.']) {
      const r = await v.post('/archive/export', { year: '2026', mode: 'folder', dir });
      expect(r.statusCode, dir).toBe(422);
      expect(r.body).toMatch(/不能导出到|请写明导出/);
    }
    const done = await v.post('/archive/export', { year: '2026', mode: 'folder', dir: '导出/2026年档案' });
    expect(done.statusCode, done.body).toBe(200);
    const bag = path.join(office.paths.root, '导出', '2026年档案');
    expect(readFileSync(path.join(bag, 'bagit.txt'), 'utf8')).toContain('BagIt-Version: 1.0');
    const again = await v.post('/archive/export', { year: '2026', mode: 'folder', dir: '导出/2026年档案' });
    expect(again.statusCode).toBe(422);

    const zip = await v.post('/archive/export', { year: '2026', mode: 'zip' });
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    const z = await JSZip.loadAsync(zip.rawPayload);
    const names = Object.keys(z.files);
    const top = names[0]!.split('/')[0]!;
    const manifest = await z.file(`${top}/manifest-sha256.txt`)!.async('string');
    const lines = manifest.trim().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) {
      const [sum, name] = [line.slice(0, 64), line.slice(66)];
      expect(sha256(await z.file(`${top}/${name}`)!.async('nodebuffer')), name).toBe(sum);
    }
  });

  it('writes an export under a folder the settings allow, and nowhere else outside the workspace', async () => {
    const allowed = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'xinfang-allowed-')));
    const other = await officeAt(await makeWorkspace({ archive: { exportFolders: [allowed] } }), { background: 'none' });
    try {
      await other.cases.register(terminal, { channel: '来信', matter: '反映路灯不亮。', fields: { name: '赵六' } });
      const archivist = { name: '王档', role: '档案员' as const };
      const bag = await other.records.exportYearAs(archivist, 2026, path.join(allowed, '包'), 'test');
      expect(bag.dir).toBe(path.join(allowed, '包'));
      expect(existsSync(path.join(allowed, '包', 'manifest-sha256.txt'))).toBe(true);
      await expect(other.records.exportYearAs(archivist, 2026, path.join(allowed, '..', '别处'), 'test')).rejects.toThrow(/不能导出到/);
      await expect(other.records.exportYearAs(archivist, 2026, allowed, 'test')).rejects.toThrow(/不能导出到/);
      await expect(other.records.exportYearAs({ name: '刘芳', role: '登记员' }, 2026, path.join(allowed, '再一个'), 'test')).rejects.toThrow();
      expect(existsSync(path.join(allowed, '再一个'))).toBe(false);
    } finally {
      await other.close();
    }
  });
});
