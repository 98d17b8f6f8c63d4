import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/adapters/files/hash.js';
import type { Workspace } from '../../src/adapters/files/workspace.js';
import { renderPdfPages } from '../../src/adapters/pdfjs/render-pages.js';
import { readQrCodes } from '../../src/adapters/qr/qr-reader.js';
import type { Office } from '../../src/app.js';
import type { Case } from '../../src/domain/case.js';
import { parsePaperCode } from '../../src/domain/paper-code.js';
import type { TypedPetition } from '../../src/services/cases.js';
import { track } from '../helpers/children.js';
import { readPdf } from '../helpers/pdf.js';
import { runCli } from '../helpers/run-cli.js';
import { cliPath, makeWorkspace, officeAt } from '../helpers/workspace.js';

/** A controlled clock: Beijing time on a given day. */
const at = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`);
const squeeze = (s: string) => s.replace(/\s+/g, '');

let root: string;
let ws: Workspace;
let office: Office;
let now = at('2026-11-01');
const who = { name: '刘芳' };

beforeAll(async () => {
  // Blank sheets are made by hand here, where a test wants one.
  root = await makeWorkspace({ workflow: { blankSheets: false } });
  office = await officeAt(root, { clock: () => now, background: 'none' });
  ws = office.paths;
});
afterAll(() => office.close());

/** The workflow with the clock set to a day. */
const on = (day: string, time?: string) => {
  now = at(day, time);
  return office.workflow;
};
const fresh = (c: Case) => office.cases.find(c.number);
const sheetFor = async (c: Case, day: string, time?: string) => {
  now = at(day, time);
  return office.documents.ensureBlankSheet(c);
};

function register(matter: string, day: string, extra: Partial<TypedPetition> = {}): Promise<Case> {
  now = at(day, '09:00');
  return office.cases.register(who, { channel: '来访', matter, fields: { name: '王秀兰', phone: '13900000001' }, ...extra });
}

/** Every page of a generated PDF carries a QR code naming the case and the kind. */
async function codesOnPages(pdfPath: string) {
  const pages = await renderPdfPages(readFileSync(pdfPath), { maxPages: 10, longSide: 1600 });
  return Promise.all(pages.map(async (p) => (await readQrCodes(p)).texts.map(parsePaperCode)));
}

describe('a case accepted, extended, replied to and closed, on a clock the test controls', () => {
  let c: Case;

  it('walks every step, each in the history with who, when and what, each with its document', async () => {
    c = await register('楼下烧烤店油烟噪音扰民，请求责令整改。', '2026-11-02');
    await sheetFor(c, '2026-11-02');
    await on('2026-11-03').instruct(who, await fresh(c), { leader: '张主任', text: '请综治办核实处理，按期答复。', handler: '李文' });
    await on('2026-11-05').accept(who, await fresh(c));
    await on('2026-12-20').extend(who, await fresh(c), { days: 30, reason: '需委托第三方检测油烟浓度' });
    await on('2027-01-20').reply(who, await fresh(c), { outcome: '予以支持', facts: '经现场核查，该店未安装油烟净化设施。', basis: '《中华人民共和国大气污染防治法》第八十一条' });
    await on('2027-01-21').close(who, await fresh(c));

    const done = await fresh(c);
    expect(done.status).toBe('closed');
    expect(done.history.map((h) => h.action)).toEqual(['registered', 'instructed', 'accepted', 'extended', 'replied', 'closed']);
    expect(done.history.map((h) => h.at.slice(0, 10))).toEqual(['2026-11-02', '2026-11-03', '2026-11-05', '2026-12-20', '2027-01-20', '2027-01-21']);
    expect(done.history.every((h) => h.actor === '刘芳')).toBe(true);
    expect(done.history[1]!.detail).toContain('张主任批示：“请综治办核实处理，按期答复。”');
    expect(done.workflow.extension).toMatchObject({ days: 30, reason: '需委托第三方检测油烟浓度' });
    const kinds = done.documents.filter((d) => d.role === 'issued' && d.path.endsWith('.pdf')).map((d) => d.kind);
    expect(kinds).toEqual(['批办单', '批办单', '受理告知书', '延期告知书', '信访处理意见书']);
  });

  it('fills the documents with what the steps recorded', async () => {
    const folder = ws.absolute((await fresh(c)).folder);
    const sheet = squeeze((await readPdf(path.join(folder, '批办单_2.pdf'))).pages.map((p) => p.text).join(''));
    expect(sheet).toContain('领导批示：请综治办核实处理，按期答复。（张主任，2026年11月3日）');
    expect(sheet).toContain('经办人：李文');
    const notice = squeeze((await readPdf(path.join(folder, '受理告知书.pdf'))).pages.map((p) => p.text).join(''));
    expect(notice).toContain('由社区综合治理办公室负责办理');
    expect(notice).toContain('请与经办人李文联系。');
    expect(notice).toContain('并自受理之日起六十日内办结');
    const extension = squeeze((await readPdf(path.join(folder, '延期告知书.pdf'))).pages.map((p) => p.text).join(''));
    // Accepted 5 November: 60 days to 4 January, 30 more to 3 February.
    expect(extension).toContain('办理期限延长30日，至2027年2月3日前办结');
    const reply = squeeze((await readPdf(path.join(folder, '信访处理意见书.pdf'))).pages.map((p) => p.text).join(''));
    expect(reply).toContain('对你的信访请求予以支持。依据：《中华人民共和国大气污染防治法》第八十一条。');
    expect(reply).toContain('向八宝街道办事处请求复查');
  });

  it('prints on every page of every generated PDF a QR code naming the case and the kind', async () => {
    const folder = ws.absolute((await fresh(c)).folder);
    for (const [file, kind] of [['批办单.pdf', '批办单'], ['受理告知书.pdf', '受理告知书'], ['信访处理意见书.pdf', '信访处理意见书']] as const) {
      const codes = await codesOnPages(path.join(folder, file));
      expect(codes.length).toBeGreaterThan(0);
      for (const onPage of codes) expect(onPage).toEqual([{ caseNumber: c.number, kind }]);
    }
    // The DOCX carries the same code as a picture in its page header.
    const zip = await JSZip.loadAsync(readFileSync(path.join(folder, '信访处理意见书.docx')));
    const headers = Object.keys(zip.files).filter((f) => /word\/header\d+\.xml/.test(f));
    expect(headers.length).toBeGreaterThan(0);
    expect(await zip.file(headers[0]!)!.async('string')).toContain(`xinfang:1|${c.number}|信访处理意见书`);
    expect(Object.keys(zip.files).some((f) => f.startsWith('word/media/'))).toBe(true);
  });
});

describe('a declined case', () => {
  it('is declined with its reason told in writing, then closed without a reply', async () => {
    const c = await register('要求社区出面解决与前夫的财产分割问题。', '2026-11-04');
    await on('2026-11-05').instruct(who, await fresh(c), { leader: '张主任', text: '属法院管辖，告知途径。' });
    await expect(on('2026-11-06').reply(who, await fresh(c), { outcome: '不予支持', facts: '—' })).rejects.toThrow(/须先受理/);
    await on('2026-11-06').decline(who, await fresh(c), { reason: '该事项属于人民法院管辖的民事纠纷' });
    await expect(on('2026-11-07').reply(who, await fresh(c), { outcome: '不予支持', facts: '—' })).rejects.toThrow(/可直接办结/);
    await on('2026-11-07').close(who, await fresh(c));
    const done = await fresh(c);
    expect(done.history.map((h) => h.action)).toEqual(['registered', 'instructed', 'declined', 'closed']);
    const notice = done.documents.find((d) => d.kind === '不予受理告知书' && d.path.endsWith('.pdf'))!;
    const text = squeeze((await readPdf(ws.absolute(notice.path))).pages.map((p) => p.text).join(''));
    expect(text).toContain('经审查，该事项属于人民法院管辖的民事纠纷。');
    expect(text).toContain('依法通过诉讼、仲裁等途径解决');
  });
});

describe('a transferred case', () => {
  it('cannot close until the report has gone back to the office that sent it', async () => {
    const c = await register('反映小区电梯长期故障，请求督促维修。', '2026-11-06', { channel: '转办', transfer: { office: '八宝街道办事处', number: '八街转〔2026〕12号' } });
    await on('2026-11-06').instruct(who, await fresh(c), { leader: '张主任', text: '请物业办督促', handler: '赵六' });
    await on('2026-11-07').accept(who, await fresh(c));
    await on('2026-11-20').reply(who, await fresh(c), { outcome: '解释说明', facts: '电梯已报修，维保单位承诺本月完成更换。' });
    await expect(on('2026-11-21').close(who, await fresh(c))).rejects.toThrow(/须先向交办单位报送办结报告/);
    await on('2026-11-21').report(who, await fresh(c));
    await on('2026-11-22').close(who, await fresh(c));
    const done = await fresh(c);
    expect(done.history.map((h) => h.action)).toEqual(['registered', 'instructed', 'accepted', 'replied', 'reported', 'closed']);
    const report = done.documents.find((d) => d.kind === '办结报告' && d.path.endsWith('.pdf'))!;
    const text = squeeze((await readPdf(ws.absolute(report.path))).pages.map((p) => p.text).join(''));
    expect(text).toContain('八宝街道办事处：');
    expect(text).toContain('已于2026年11月20日书面答复信访人');
  });
});

describe('the blank instruction sheet', () => {
  it('leaves the big box for the leader\'s instruction even when other rows are empty', async () => {
    const c = await register('小区门口积水严重。', '2026-11-07', { fields: { name: '赵敏' } });
    await sheetFor(c, '2026-11-07');
    const sheet = (await fresh(c)).documents.find((d) => d.kind === '批办单' && d.path.endsWith('.pdf'))!;
    const items = (await readPdf(ws.absolute(sheet.path))).pages[0]!.items;
    const rowTop = (label: string) => items.find((i) => i.str.startsWith(label))!.y;
    // No phone and no address: those rows stay one line high, the instruction row takes the room.
    const addressRow = rowTop('反映问题') - rowTop('住址');
    const instructionRow = rowTop('经办人') - rowTop('领导批示');
    expect(instructionRow).toBeGreaterThan(6 * addressRow);
    expect(rowTop('住址') - rowTop('信访人')).toBeLessThan(1.5 * addressRow);
  });
});

describe('xinfang sheets', () => {
  it('makes every missing sheet it can, names the case it could not, and makes that one once it can', async () => {
    const root2 = await makeWorkspace({ workflow: { blankSheets: false } });
    for (const name of ['甲', '乙', '丙']) expect(runCli(['--root', root2, 'register', '--channel', '来访', '--name', `张${name}`, '--matter', '反映楼道堆放杂物。']).status).toBe(0);
    const office2 = await officeAt(root2);
    const ws2 = office2.paths;
    const docsOf = async (cases: Case[], count: (c: Awaited<ReturnType<typeof fresh>>) => number) => Promise.all(cases.map(async (c) => count(await office2.cases.find(c.number))));
    try {
      const cases = await office2.cases.list();
      expect(await docsOf(cases, (c) => c.documents.length)).toEqual([0, 0, 0]);
      // The second case's folder cannot be made: a file stands where it should be.
      mkdirSync(path.dirname(ws2.absolute(cases[1]!.folder)), { recursive: true });
      writeFileSync(ws2.absolute(cases[1]!.folder), '');
      const first = runCli(['--root', root2, 'sheets']);
      expect(first.status).toBe(1);
      expect(first.stdout).toContain(`已生成 2 份空白批办单：${cases[0]!.number}、${cases[2]!.number}`);
      expect(first.stderr).toContain(`1 个案件的空白批办单没有生成：${cases[1]!.number}`);
      expect(await docsOf(cases, (c) => c.documents.filter((d) => d.kind === '批办单').length)).toEqual([2, 0, 2]);
      rmSync(ws2.absolute(cases[1]!.folder));
      const second = runCli(['--root', root2, 'sheets']);
      expect(second.status, second.stderr).toBe(0);
      expect(second.stdout).toContain(`已生成 1 份空白批办单：${cases[1]!.number}`);
      expect(runCli(['--root', root2, 'sheets']).stdout).toContain('每个案件都已有批办单');
    } finally {
      await office2.close();
    }
  });
});

describe('xinfang sheets --follow (the background sheet maker of the intake)', () => {
  it('makes a new case\'s sheet when told a case is in, and a last round when its input ends', async () => {
    const root3 = await makeWorkspace({ workflow: { blankSheets: false } });
    expect(runCli(['--root', root3, 'register', '--channel', '来访', '--name', '钱一', '--matter', '反映路灯不亮。']).status).toBe(0);
    const child = track(spawn(process.execPath, [cliPath, '--root', root3, '--json', 'sheets', '--follow'], { stdio: ['pipe', 'pipe', 'pipe'] }));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const office3 = await officeAt(root3);
    const sheetOf = async (n: number) => (await office3.store.casesWithout('批办单', 10, 0)).every((c) => c.seq !== n);
    try {
      const until = async (ok: () => Promise<boolean>) => {
        for (const deadline = Date.now() + 30_000; !(await ok()) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
        return ok();
      };
      expect(await until(() => sheetOf(1))).toBe(true);
      expect(runCli(['--root', root3, 'register', '--channel', '来访', '--name', '钱二', '--matter', '反映井盖缺失。']).status).toBe(0);
      child.stdin.write('\n');
      expect(await until(() => sheetOf(2))).toBe(true);
      expect(runCli(['--root', root3, 'register', '--channel', '来访', '--name', '钱三', '--matter', '反映树枝挡窗。']).status).toBe(0);
      child.stdin.end();
      expect(await exited).toBe(0);
      expect(await sheetOf(3)).toBe(true);
      expect(JSON.parse(out)).toEqual({ made: ['八宝信〔2026〕1号', '八宝信〔2026〕2号', '八宝信〔2026〕3号'], failed: [] });
    } finally {
      await office3.close();
      child.kill();
    }
  });
});

describe('two processes making the same blank sheet at once', () => {
  it('keeps one pair, recorded and whole, and leaves no other file in the folder', async () => {
    const c = await register('小区路灯损坏多日无人维修。', '2026-11-08');
    // Another process on the same workspace: its own office and store connection.
    const other = await officeAt(root, { clock: () => at('2026-11-08', '10:01'), background: 'none' });
    try {
      now = at('2026-11-08');
      const made = await Promise.all([office.documents.ensureBlankSheet(c), other.documents.ensureBlankSheet(c)]);
      expect(made.map((m) => m.length).sort()).toEqual([0, 2]);
    } finally {
      await other.close();
    }
    const docs = (await fresh(c)).documents.filter((d) => d.kind === '批办单');
    expect(docs).toHaveLength(2);
    for (const d of docs) expect(sha256(readFileSync(ws.absolute(d.path)))).toBe(d.sha256);
    expect(readdirSync(ws.absolute((await fresh(c)).folder)).sort()).toEqual(docs.map((d) => path.basename(d.path)).sort());
  });
});

describe('refusals change nothing', () => {
  it('leaves status, history and files as they were after each bad request', async () => {
    const c = await register('小区路灯不亮。', '2026-11-10');
    await on('2026-11-10').instruct(who, await fresh(c), { leader: '张主任', text: '请核实', handler: '李文' });
    await on('2026-11-11').accept(who, await fresh(c));
    const folder = ws.absolute(c.folder);
    const before = { row: await fresh(c), files: readdirSync(folder).sort() };
    const bad: [Promise<unknown>, RegExp][] = [
      [on('2026-11-12').extend(who, await fresh(c), { days: 31, reason: '检测' }), /最多 30 天/],
      [on('2026-11-12').extend(who, await fresh(c), { days: 10, reason: ' ' }), /缺少延期理由/],
      [on('2026-11-12').reply(who, await fresh(c), { facts: '已修好' }), /没有写明处理意见/],
      [on('2026-11-12').reply(who, await fresh(c), { outcome: '同意', facts: '已修好' }), /不是规定的处理意见/],
      [on('2026-11-12').reply(who, await fresh(c), { outcome: '予以支持', facts: '' }), /缺少查明的事实/],
      [on('2026-11-12').instruct(who, await fresh(c), { leader: '王', text: '再批' }), /已有领导批示/],
      [on('2026-11-12').close(who, await fresh(c)), /须先答复信访人/],
    ];
    for (const [attempt, message] of bad) await expect(attempt).rejects.toThrow(message);
    await on('2026-11-12').extend(who, await fresh(c), { days: 10, reason: '等待配件' });
    await expect(on('2026-11-13').extend(who, await fresh(c), { days: 5, reason: '再等' })).rejects.toThrow(/只能延期一次/);
    const after = await fresh(c);
    expect(after.history.length).toBe(before.row.history.length + 1);
    expect(readdirSync(folder).sort()).toEqual([...before.files, '延期告知书.docx', '延期告知书.pdf'].sort());
  });

  it('refuses a due date in the past or beyond the statutory limit', async () => {
    const c = await register('楼道堆放杂物。', '2026-11-10');
    await expect(on('2026-11-12').instruct(who, await fresh(c), { leader: '张', text: '清理', due: '2026-11-11' })).rejects.toThrow(/已经过去/);
    await expect(on('2026-11-12').instruct(who, await fresh(c), { leader: '张', text: '清理', due: '2027-03-01' })).rejects.toThrow(/最迟 2027年1月24日/);
    expect((await fresh(c)).status).toBe('registered');
    expect((await fresh(c)).history.length).toBe(1);
  });
});

describe('the CLI on the same registry', () => {
  const cli = (args: string[], day: string) => runCli(['--root', root, ...args], { XINFANG_NOW: at(day).toISOString() });

  it('lists open cases by their next deadline, overdue first, with days left or late', async () => {
    // A case received on 1 November and never decided: 15 days to 16 November.
    const late = await register('小区广场舞噪音扰民。', '2026-11-01');
    const r = cli(['--json', 'due'], '2026-11-20');
    expect(r.status, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as { number: string; daysLeft: number; overdue: boolean; deadline: string }[];
    expect(list[0]).toMatchObject({ number: late.number, deadline: 'notify', daysLeft: -4, overdue: true });
    const days = list.map((l) => l.daysLeft);
    expect(days).toEqual([...days].sort((a, b) => a - b));
    const text = cli(['due'], '2026-11-20').stdout;
    expect(text).toContain(`【超期】${late.number}`);
    expect(text).toContain('已超期 4 天');
  });

  it('shows the workflow in show --json and refuses unknown cases and out-of-order steps with exit codes', async () => {
    const shown = JSON.parse(cli(['--json', 'show', '1'], '2027-02-01').stdout) as Record<string, unknown>;
    expect(shown.instruction).toMatchObject({ leader: '张主任', text: '请综治办核实处理，按期答复。', handler: '李文' });
    expect(shown.deadlines).toEqual({ notify: '2026-11-17', handle: '2027-02-03' });
    expect(shown.outcome).toBe('予以支持');
    expect(shown.closedAt).toBe(at('2027-01-21').toISOString());
    expect((shown.history as { action: string; actor: string }[]).map((h) => h.action)).toEqual(['registered', 'instructed', 'accepted', 'extended', 'replied', 'closed']);

    const unknown = cli(['accept', '八宝信〔2026〕999号'], '2026-11-20');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('找不到案件');
    const c = await register('井盖缺失。', '2026-11-15');
    const early = cli(['reply', c.number, '--outcome', '予以支持', '--facts', '已补'], '2026-11-16');
    expect(early.status).toBe(1);
    expect(early.stderr).toContain('须先录入领导批示');
    const noOutcome = cli(['instruct', c.number, '--leader', '张主任', '--text', '请城建办处理', '--handler', '李文'], '2026-11-16');
    expect(noOutcome.status, noOutcome.stderr).toBe(0);
    expect(cli(['accept', c.number], '2026-11-17').status).toBe(0);
    const missing = cli(['reply', c.number, '--facts', '已补'], '2026-11-18');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--outcome');
    expect((await fresh(c)).status).toBe('accepted');
  });

  it('fills the register book\'s instruction, handler, deadline, result and reply columns from the workflow', async () => {
    const r = cli(['--json', 'book', '--year', '2026', '--format', 'pdf'], '2027-02-01');
    expect(r.status, r.stderr).toBe(0);
    const book = await readPdf(path.join(root, (JSON.parse(r.stdout) as { file: string }).file));
    const text = squeeze(book.pages.map((p) => p.text).join(''));
    for (const cell of ['张主任：请综治办核实处理，按期答复。', '李文', '2027-02-03', '予以支持', '2027-01-20', '不予受理：该事项属于人民法院管辖的民事纠纷']) expect(text).toContain(cell);
  });

  it('verify passes on an untouched registry and names an entry changed or removed behind its back', () => {
    expect(cli(['verify'], '2027-02-01').status).toBe(0);
    const db = new Database(ws.database);
    db.prepare(`UPDATE history SET detail = '张主任批示：“不必处理”' WHERE action = 'instructed' AND case_id = 1`).run();
    db.prepare(`DELETE FROM history WHERE action = 'closed' AND case_id = (SELECT id FROM cases WHERE seq = 2)`).run();
    db.close();
    const r = cli(['verify'], '2027-02-01');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('八宝信〔2026〕1号：第 2 条办理记录被改动过');
    expect(r.stdout).toContain('八宝信〔2026〕2号：第 4 条办理记录被删除了');
    const json = JSON.parse(cli(['--json', 'verify'], '2027-02-01').stdout) as { ok: boolean; problems: unknown[] };
    expect(json.ok).toBe(false);
    expect(json.problems).toHaveLength(2);
    // A status set straight in the database, with no step recorded, is found too.
    const db2 = new Database(ws.database);
    db2.prepare(`UPDATE cases SET status = 'closed' WHERE number = ?`).run('八宝信〔2026〕4号');
    db2.close();
    expect(cli(['verify'], '2027-02-01').stdout).toContain('八宝信〔2026〕4号：登记库中的办理状态与办理记录不符');
  });
});
