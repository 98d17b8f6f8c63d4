/**
 * A clerk's reading of scanned lines, on a letter read by the real OCR: the line's picture is the
 * line (the OCR reads it again from the picture), the corrected text is searched and read for the
 * fields while the OCR's stays, the history verifies; the web page and its picture route check roles.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcrPool } from '../../src/adapters/ocr/pool.js';
import { grayFromEncoded } from '../../src/adapters/sharp/image.js';
import type { Office } from '../../src/app.js';
import { boxOnImage } from '../../src/domain/corrections.js';
import { buildWebServer } from '../../src/interfaces/web/server.js';
import { runCli } from '../helpers/run-cli.js';
import { ingestInbox, makeWorkspace, officeAt, scan } from '../helpers/workspace.js';
import { signedInVisitor } from '../helpers/visitor.js';

const PASSWORD = 'xinfang-2026';
const terminal = { name: '管理员（终端）' };
const clerk = { name: '刘芳', role: '登记员' as const };

let root: string;
let office: Office;
let ocr: OcrPool;
/** The cases' references (2026-N), by the scan they came from. */
let upright: string;
let sideways: string;

beforeAll(async () => {
  root = await makeWorkspace({ workflow: { blankSheets: false } });
  copyFileSync(scan('S01.jpg'), path.join(root, 'inbox', 'S01.jpg'));
  // The same letter photographed sideways: the intake turns it upright, and its lines' pictures must follow.
  writeFileSync(path.join(root, 'inbox', 'S01-sideways.jpg'), await sharp(scan('S01.jpg')).rotate(90).jpeg({ quality: 90 }).toBuffer());
  const ingested = await ingestInbox(root);
  await ingested.close();
  office = await officeAt(root, { background: 'none' });
  const refOf = async (name: string) => {
    const c = (await office.cases.list()).find((x) => x.sourceName === name)!;
    return `${c.year}-${c.seq}`;
  };
  upright = await refOf('S01.jpg');
  sideways = await refOf('S01-sideways.jpg');
  ocr = await OcrPool.create({ ...office.settings.ocr, workers: 1 });
}, 240_000);
afterAll(async () => {
  await ocr?.close();
  await office?.close();
});

const json = (...args: string[]) => JSON.parse(runCli(['--root', root, '--json', ...args]).stdout);
const lineOf = (c: { pages: { lines: { text: string }[] }[] }, page: number, has: string) => c.pages[page - 1]!.lines.findIndex((l) => l.text.includes(has)) + 1;

/** What the OCR reads on a picture of one line, as one string. */
async function readAgain(png: Buffer): Promise<string> {
  // A margin of paper round the line, as on a page: the detector finds no text touching the edge.
  const padded = await sharp(png).extend({ top: 40, bottom: 40, left: 40, right: 40, background: '#ffffff' }).png().toBuffer();
  return (await ocr.recognize(await grayFromEncoded(padded))).map((l) => l.text).join('');
}

describe('a clerk correcting lines of a letter read by the OCR', () => {
  it('searches the corrected words, reads the fields the program read from them, keeps the OCR text, and the history verifies', async () => {
    const c = await office.cases.find(upright);
    const signature = lineOf(c, 1, '来信人：郑丽华');
    const body = lineOf(c, 1, '住户郑丽华');
    expect(signature).toBeGreaterThan(0);
    expect(body).toBeGreaterThan(0);
    expect(c.fields.name).toBe('郑丽华');
    const bodyText = c.pages[0]!.lines[body - 1]!.text;

    const first = runCli(['--root', root, 'correct', upright, '--page', '1', '--line', String(signature), '--text', '来信人：郑丽萍', '--by', '刘芳']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`已更正 ${c.number} 第 1 页第 ${signature} 行：“来信人：郑丽华”→“来信人：郑丽萍”（原识别文字保留）。`);
    expect(first.stdout).toContain('信访人：郑丽萍');
    const second = runCli(['--root', root, 'correct', upright, '--page', '1', '--line', String(body), '--text', bodyText.replace('郑丽华', '郑丽萍'), '--by', '刘芳']);
    expect(second.status, second.stderr).toBe(0);
    // Nothing to change, and a line that is not there: said in Chinese, exit 2, nothing recorded.
    const same = runCli(['--root', root, 'correct', upright, '--page', '1', '--line', String(signature), '--text', '来信人：郑丽萍', '--by', '刘芳']);
    expect([same.status, same.stderr.trim()]).toEqual([2, '错误：没有改动任何一行识别文字。']);
    const missing = runCli(['--root', root, 'correct', upright, '--page', '1', '--line', '99', '--text', '字', '--by', '刘芳']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('没有第 99 行');

    const found = runCli(['--root', root, 'search', '郑丽萍']);
    expect(found.stdout).toContain(c.number);
    expect(found.stdout).toContain('【郑丽萍】');
    // The OCR's reading of the corrected lines no longer finds this letter (the other copy, uncorrected, still is).
    expect(json('search', '郑丽华').map((h: { number: string }) => h.number)).not.toContain(c.number);
    expect(json('search', '郑丽华').map((h: { number: string }) => h.number)).toHaveLength(1);

    const shown = json('show', upright);
    expect(shown.petitioner.name).toBe('郑丽萍');
    // Both texts are kept: the OCR's as it read, the clerk's beside it.
    expect(shown.ocr.text).toContain('来信人：郑丽华');
    expect(shown.ocr.text).not.toContain('郑丽萍');
    expect(shown.ocr.correctedText).toContain('来信人：郑丽萍');
    expect(shown.ocr.correctedText).not.toContain('郑丽华');
    expect(shown.ocr.corrections.map((k: { line: number; ocrText: string; by: string }) => [k.line, k.ocrText, k.by])).toEqual([
      [signature, '来信人：郑丽华', '刘芳'],
      [body, bodyText, '刘芳'],
    ]);
    const text = runCli(['--root', root, 'show', upright]).stdout;
    expect(text).toContain(`第 ${signature} 行：识别为“来信人：郑丽华”`);
    expect(text).toMatch(/^来信人：郑丽萍$/m);
    expect(text).toContain('更正识别文字  刘芳  更正第 1 页识别文字第 ');

    // A field the clerk set stays when a later correction reads the text again.
    await office.cases.edit(clerk, await office.cases.find(upright), { name: '郑丽萍' });
    const again = await office.corrections.correctLines(clerk, upright, 1, [{ line: signature, text: '来信人：郑丽芳' }]);
    expect(again.fields.name).toBe('郑丽萍');
    expect(again.sources.name).toBe('clerk');

    const verify = runCli(['--root', root, 'verify']);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain('没有被改动');
  });

  it('cuts each line’s picture from the page image where the line is, upright page or turned, and for a page read before frames were kept', async () => {
    for (const ref of [upright, sideways]) {
      const c = await office.cases.find(ref);
      const phone = lineOf(c, 1, '联系电话');
      const png = (await office.corrections.lineImage(clerk, ref, 1, phone))!;
      const meta = await sharp(png).metadata();
      expect(meta.format).toBe('png');
      const page = (await office.pageImages.pageImage(c, 1, 1600))!;
      const pageMeta = await sharp(page).metadata();
      const expected = boxOnImage(c.pages[0]!.lines[phone - 1]!.box, c.pages[0]!.frame!, { width: pageMeta.width!, height: pageMeta.height! })!;
      expect([meta.width, meta.height]).toEqual([expected.width, expected.height]);
      // Ink and paper, not a blank strip.
      const stats = await sharp(png).stats();
      expect(stats.channels[0]!.min).toBeLessThan(80);
      expect(stats.channels[0]!.max).toBeGreaterThan(200);
      expect(await readAgain(png)).toContain('13661234567');
    }
    expect((await office.cases.find(sideways)).pages[0]!.rotation % 180).not.toBe(0);
    // A registry from before frames were kept: the frame is worked out from the kept scan.
    const db = new Database(office.paths.database);
    db.prepare('UPDATE pages SET frame_width = NULL, frame_height = NULL').run();
    db.close();
    for (const ref of [upright, sideways]) {
      const c = await office.cases.find(ref);
      expect(c.pages[0]!.frame).toBeUndefined();
      const png = (await office.corrections.lineImage(clerk, ref, 1, lineOf(c, 1, '身份证号')))!;
      expect(await readAgain(png)).toContain('110108198801011235');
    }
    expect(await office.corrections.lineImage(clerk, upright, 1, 99)).toBeNull();
    expect(await office.corrections.lineImage(clerk, upright, 2, 1)).toBeNull();
  }, 120_000);
});

describe('the correcting page over HTTP', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    for (const [name, role] of [['刘芳', '登记员'], ['张主任', '领导'], ['李文', '经办人']] as const) await office.users.add(terminal, { name, role, password: PASSWORD });
    app = await buildWebServer(office);
  });
  afterAll(async () => app?.close());

  async function signedIn(name: string) {
    const v = await signedInVisitor(app, name, PASSWORD);
    return { get: (url: string) => v.get(url), post: (url: string, form: Record<string, string>, withToken = true) => v.post(url, form, { csrf: withToken }) };
  }

  it('offers the page from the case page, shows each line beside its text, saves what was changed, and refuses others', async () => {
    const c = await office.cases.find(sideways);
    const ref = sideways;
    const me = await signedIn('刘芳');
    expect((await me.get(`/cases/${ref}`)).body).toContain(`href="/cases/${ref}/pages/1/correct"`);
    const page = await me.get(`/cases/${ref}/pages/1/correct`);
    expect(page.statusCode).toBe(200);
    // The lines are shown as written, personal details and all: the view is in the audit log.
    const views = await office.store.auditLog({ actor: '刘芳', kind: 'view', caseId: c.id, limit: 10, offset: 0 });
    expect(views.rows.map((r) => r.detail)).toContain('第 1 页识别文字（含身份证号、联系电话、住址）');
    const address = lineOf(c, 1, '住址');
    expect(page.body).toContain(`<img src="/cases/${ref}/pages/1/lines/${address}.png"`);
    expect(page.body).toContain(`name="line_${address}" value="${c.pages[0]!.lines[address - 1]!.text}"`);
    const png = await me.get(`/cases/${ref}/pages/1/lines/${address}.png`);
    expect([png.statusCode, png.headers['content-type']]).toEqual([200, 'image/png']);
    expect((await me.get(`/cases/${ref}/pages/1/lines/99.png`)).statusCode).toBe(404);

    const shown = c.pages[0]!.lines[address - 1]!.text;
    const form = { [`line_${address}`]: '住址：南湖小区5号楼1单元302室', [`shown_${address}`]: shown, line_1: c.pages[0]!.lines[0]!.text, shown_1: c.pages[0]!.lines[0]!.text };
    expect((await me.post(`/cases/${ref}/pages/1/correct`, form, false)).statusCode).toBe(403);
    const saved = await me.post(`/cases/${ref}/pages/1/correct`, form);
    expect([saved.statusCode, saved.headers.location]).toEqual([303, `/cases/${ref}/pages/1/correct?done=1`]);
    const after = await me.get(saved.headers.location as string);
    expect(after.body).toContain('已保存 1 行的更正');
    expect(after.body).toContain(`识别结果：${shown} · 刘芳`);
    expect((await office.cases.find(sideways)).fields.address).toBe('南湖小区5号楼1单元302室');
    // Too long a line: said on the page, nothing saved.
    const long = await me.post(`/cases/${ref}/pages/1/correct`, { line_1: '字'.repeat(600), shown_1: c.pages[0]!.lines[0]!.text });
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('太长');

    const leader = await signedIn('张主任');
    expect((await leader.get(`/cases/${ref}/pages/1/correct`)).statusCode).toBe(403);
    expect((await leader.post(`/cases/${ref}/pages/1/correct`, form)).statusCode).toBe(403);
    // A handler sees only the cases assigned to them: not this one, nor its lines' pictures.
    const handler = await signedIn('李文');
    expect((await handler.get(`/cases/${ref}/pages/1/lines/${address}.png`)).statusCode).toBe(403);
  });
});
