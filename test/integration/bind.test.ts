import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/adapters/files/hash.js';
import type { Workspace } from '../../src/adapters/files/workspace.js';
import type { Office } from '../../src/app.js';
import { eightDigitDate } from '../../src/domain/binding.js';
import { localDate } from '../../src/domain/calendar.js';
import type { CaseDetail } from '../../src/domain/case.js';
import type { BoundCase } from '../../src/services/binding.js';
import { readPdf } from '../helpers/pdf.js';
import { runCli } from '../helpers/run-cli.js';
import { ingestInbox, makeWorkspace, officeAt, scan } from '../helpers/workspace.js';

const at = (day: string) => new Date(`${day}T10:00:00+08:00`);
const squeeze = (s: string) => s.replace(/\s+/g, '');

let root: string;
let ws: Workspace;
let office: Office;
let now = at('2026-11-03');
const who = { name: '刘芳' };
/** The office with its clock set to a day. */
const on = (day: string) => {
  now = at(day);
  return office;
};
const detail = (n: string) => office.cases.find(n);

/** Walks a case to its close: instructed, accepted, replied to. */
async function closeCase(number: string, reply = true): Promise<void> {
  await on('2026-11-05').workflow.instruct(who, await detail(number), { leader: '张主任', text: '请城建办协调处理', handler: '李文' });
  if (reply) {
    await on('2026-11-06').workflow.accept(who, await detail(number));
    await on('2026-11-20').workflow.reply(who, await detail(number), { outcome: '予以支持', facts: '经协调，工棚已于11月18日拆除，人行道恢复通行。' });
  } else {
    await on('2026-11-06').workflow.decline(who, await detail(number), { reason: '该事项已由区城管执法局立案处理' });
  }
  await on('2026-11-21').workflow.close(who, await detail(number));
}

beforeAll(async () => {
  root = await makeWorkspace({ archive: { fondsCode: 'Z109', sheetsPerVolume: 12 } });
  copyFileSync(scan('S01.jpg'), path.join(root, 'inbox', 'S01.jpg'));
  const run = await ingestInbox(root);
  await run.close();
  office = await officeAt(root, { clock: () => now, background: 'none' });
  ws = office.paths;
  for (const matter of ['小区路灯损坏，夜间出行不便。', '楼道堆放杂物，存在消防隐患。', '要求社区解决邻里漏水纠纷。']) {
    await on('2026-11-03').cases.register({ name: '系统' }, { channel: '来访', matter, fields: { name: '王秀兰' } });
  }
}, 300_000);
afterAll(() => office?.close());

describe('binding one case', () => {
  it('refuses a case that is not closed, naming what it lacks, and gives it no reference', async () => {
    await expect(on('2026-11-04').binding.bindCase(who, await detail('1'))).rejects.toThrow(/还不能立卷：缺少办结（现在是“已登记”）、领导批示、答复（信访处理意见书）/);
    expect((await detail('1')).binding).toBeNull();
    const r = runCli(['--root', root, 'bind', '2']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('还不能立卷');
  });

  let bound: BoundCase;
  let c: CaseDetail;

  it('binds a closed case into a PDF/A volume with cover, contents, papers in order, stamps, page numbers and record sheet', async () => {
    await closeCase('1');
    bound = await on('2026-11-22').binding.bindCase(who, await detail('1'));
    c = await detail('1');
    expect(bound.ref).toBe('Z109-XF·2026-D30-0001');
    expect(c.binding).toMatchObject({ ref: 'Z109-XF·2026-D30-0001', item: 1, retention: 'D30' });
    const pdf = await readPdf(ws.absolute(bound.path));
    expect(pdf.raw.includes('pdfaid:part')).toBe(true);
    expect(pdf.raw.includes('/OutputIntents')).toBe(true);
    expect(pdf.pages.length % 2).toBe(0); // ready for double-sided printing
    const text = pdf.pages.map((p) => squeeze(p.text));
    expect(text[0]).toContain('信访案卷');
    expect(text[0]).toContain('郑丽华关于');
    expect(text[0]).toContain('Z109-XF·2026-D30-0001');
    expect(text[0]).toContain('30年');
    expect(text[1]).toContain('卷内目录');
    // Each 文号 and 8-digit date of the contents list whole on one line: one text item each.
    const contents = pdf.pages[1]!.items.map((i) => i.str);
    expect(contents.filter((s) => s === '八宝信〔2026〕1号')).toHaveLength(3);
    expect(contents.filter((s) => /^2026\d{4}$/.test(s)).length).toBeGreaterThanOrEqual(4);
    // Papers in the settings' order: instruction sheet, reply, the letter; each on a front page.
    const starts = ['信访事项批办单编号', '关于郑丽华信访事项的处理意见郑丽华', '尊敬的社区领导'].map((t) => text.findIndex((p, i) => i > 1 && p.includes(t)));
    expect(starts.every((s) => s > 1 && s % 2 === 0)).toBe(true);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    // The filing stamp on each paper's first page, page numbers on the pages with content.
    for (const s of starts) expect(text[s]).toMatch(/Z109.*2026.*0001/);
    expect(text[starts[0]!]).toMatch(/(^|[^0-9])1([^0-9]|$)/);
    expect(text[text.length - 2]).toContain('备考表');
    expect(text[text.length - 2]).toContain('立卷人：刘芳');
  });

  it('bookmarks every paper and keeps scanned pages small and sharp', async () => {
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await getDocument({ data: new Uint8Array(readFileSync(ws.absolute(bound.path))), verbosity: 0 }).promise;
    const outline = (await doc.getOutline()).map((o) => o.title);
    await doc.destroy();
    expect(outline).toEqual(['封面与卷内目录', '1. 郑丽华信访事项批办单', '2. 关于郑丽华信访事项的处理意见', '3. 郑丽华来信', '4. 郑丽华信访事项受理告知书', '备考表']);
    expect(bound.scanPages).toBe(1);
    expect(bound.scanBytes / bound.scanPages).toBeLessThanOrEqual(150 * 1024);
  });

  it('writes a manifest of every file of the case folder with size and SHA-256', () => {
    const folder = ws.absolute(c.folder);
    const manifest = readFileSync(path.join(folder, '文件清单.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    const listed = manifest.map((l) => l.split('  '));
    expect(listed.map((l) => l[2]).sort()).toEqual(readdirSync(folder).filter((f) => f !== '文件清单.txt').sort());
    for (const [hash, size, name] of listed) {
      const bytes = readFileSync(path.join(folder, name!));
      expect([sha256(bytes), String(bytes.length)]).toEqual([hash, size]);
    }
  });

  it('never changes the reference: a second binding is refused, a rebuild keeps it', async () => {
    await expect(on('2026-11-23').binding.bindCase(who, await detail('1'))).rejects.toThrow(/已于 2026年11月22日 立卷，档号 Z109-XF·2026-D30-0001/);
    const again = await on('2026-11-23').binding.bindCase(who, await detail('1'), { rebuild: true });
    expect(again.ref).toBe('Z109-XF·2026-D30-0001');
    expect((await detail('1')).history.filter((h) => h.action === 'bound')).toHaveLength(2);
  });
});

describe('the year on the shelf', () => {
  it('binds the closed cases in number order into volumes of at most the set sheets, each with cover and contents', async () => {
    await closeCase('2');
    await closeCase('3', false);
    const year = await on('2026-12-31').binding.bindYear(who, 2026);
    expect(year.bound.map((b) => b.ref)).toEqual(['Z109-XF·2026-D30-0002', 'Z109-XF·2026-D30-0003']);
    expect(year.skipped).toEqual([{ number: '八宝信〔2026〕4号', open: true }]);
    expect(year.volumes.length).toBeGreaterThan(1);
    expect(year.volumes.flatMap((v) => v.cases)).toEqual(['八宝信〔2026〕1号', '八宝信〔2026〕2号', '八宝信〔2026〕3号']);
    for (const v of year.volumes) {
      // A case too big for the limit alone fills a volume by itself; otherwise the limit holds.
      if (v.cases.length > 1) expect(Math.ceil(v.pages / 2)).toBeLessThanOrEqual(12);
      const pdf = await readPdf(ws.absolute(v.path));
      expect(squeeze(pdf.pages[0]!.text)).toContain(`册次第${v.volume}册`);
      const contents = squeeze(pdf.pages[1]!.text);
      expect(contents).toContain('归档文件目录');
      for (const n of v.cases) expect(contents).toContain((await detail(n)).binding!.ref);
      // 档号, 文号 and the date each one text item: none broken over two lines of its cell.
      const items = pdf.pages[1]!.items.map((i) => i.str);
      for (const n of v.cases) {
        const c = await detail(n);
        expect(items).toContain(c.binding!.ref);
        expect(items).toContain(n);
        expect(items).toContain(eightDigitDate(localDate(c.receivedAt, 'Asia/Shanghai')));
      }
    }
  });
});

describe('a bound volume stays as it was bound', () => {
  it('puts cases closed later into the next volume, leaving the bound ones untouched', async () => {
    const before = await office.binding.bindYear(who, 2026);
    expect(before.volumes).toEqual([]);
    const kept = before.kept;
    const hashes = kept.map((v) => sha256(readFileSync(ws.absolute(v.path))));
    await closeCase('4');
    const later = await on('2027-01-05').binding.bindYear(who, 2026);
    expect(later.kept.map((v) => v.path)).toEqual(kept.map((v) => v.path));
    expect(later.volumes).toHaveLength(1);
    expect(later.volumes[0]).toMatchObject({ volume: kept.length + 1, edition: 1, cases: ['八宝信〔2026〕4号'] });
    expect(kept.map((v) => sha256(readFileSync(ws.absolute(v.path))))).toEqual(hashes);
    expect((await detail('4')).history.at(-1)!.detail).toContain(`装入2026年信访档案第${kept.length + 1}册`);
    const cover = squeeze((await readPdf(ws.absolute(later.volumes[0]!.path))).pages[0]!.text);
    expect(cover).toContain(`册次第${kept.length + 1}册`);
  });

  it('makes a new edition only when asked, keeping every earlier file on record', async () => {
    const earlier = (await office.binding.volumes(2026)).filter((v) => v.supersededAt === null);
    const rebuilt = await on('2027-01-06').binding.bindYear(who, 2026, { rebuild: true });
    expect(rebuilt.volumes.every((v) => v.edition === 2)).toBe(true);
    expect(rebuilt.volumes.flatMap((v) => v.cases)).toEqual(['八宝信〔2026〕1号', '八宝信〔2026〕2号', '八宝信〔2026〕3号', '八宝信〔2026〕4号']);
    for (const v of rebuilt.volumes) expect(path.basename(v.path)).toBe(`2026年信访档案_第${v.volume}册_第2版.pdf`);
    const onRecord = await office.binding.volumes(2026);
    for (const v of earlier) {
      expect(existsSync(ws.absolute(v.path))).toBe(true);
      expect(onRecord.find((r) => r.path === v.path)!.supersededAt).not.toBeNull();
    }
    expect((await detail('1')).history.at(-1)!.detail).toMatch(/第2版，此前各版仍保留/);
  });
});

describe('proof', () => {
  it('verify finds nothing wrong in an untouched archive', () => {
    const r = runCli(['--root', root, 'verify']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('与登记一致');
  });

  let bagDir: string;

  it('exports the year as a BagIt bag that a standard checksum tool verifies', () => {
    bagDir = path.join(os.tmpdir(), `xinfang-bag-${process.pid}-${Date.now()}`);
    const r = runCli(['--root', root, '--json', 'export', '--year', '2026', bagDir]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(path.join(bagDir, 'bagit.txt'), 'utf8')).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    const manifest = readFileSync(path.join(bagDir, 'manifest-sha256.txt'), 'utf8').trim().split('\n');
    const info = readFileSync(path.join(bagDir, 'bag-info.txt'), 'utf8');
    let octets = 0;
    for (const line of manifest) {
      const [hash, file] = [line.slice(0, 64), line.slice(66)];
      const bytes = readFileSync(path.join(bagDir, file));
      octets += bytes.length;
      expect(sha256(bytes)).toBe(hash);
    }
    expect(info).toContain(`Payload-Oxum: ${octets}.${manifest.length}`);
    expect(manifest.some((l) => l.includes('data/2026/年度案卷/'))).toBe(true);
    expect(manifest.some((l) => l.endsWith('data/2026/登记库_2026.json'))).toBe(true);
    // Checked by a tool that knows nothing of this program: coreutils' sha256sum.
    execFileSync('sha256sum', ['-c', '--quiet', 'manifest-sha256.txt'], { cwd: bagDir });
    execFileSync('sha256sum', ['-c', '--quiet', 'tagmanifest-sha256.txt'], { cwd: bagDir });
    expect(runCli(['--root', root, 'export', '--year', '2026', bagDir]).status).toBe(2);
  });

  it('verify reports a changed, a missing and an unknown file and exits non-zero', async () => {
    const c = await detail('2');
    const letter = c.documents.find((d) => d.role === 'issued' && d.path.endsWith('.pdf'))!;
    const volume = c.documents.find((d) => d.role === 'volume')!;
    appendFileSync(ws.absolute(letter.path), ' ');
    rmSync(ws.absolute(volume.path));
    writeFileSync(path.join(ws.absolute(c.folder), '来历不明.txt'), '?');
    const r = runCli(['--root', root, 'verify']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${letter.path}：内容被改动过`);
    expect(r.stdout).toContain(`${volume.path}：缺失`);
    expect(r.stdout).toContain('来历不明.txt：不在登记库中');
    expect(existsSync(bagDir)).toBe(true);
  });
});
