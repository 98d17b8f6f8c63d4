import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPdf } from '../helpers/pdf.js';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';

const squeeze = (s: string) => s.replace(/\s/g, '');

describe('formal documents from the templates', () => {
  let root: string;
  const caseFolder = () => path.join(root, 'archive', '2026', '八宝信〔2026〕1号');

  beforeAll(async () => {
    // No blank sheet: the case folder holds only what each test makes.
    root = await makeWorkspace({ workflow: { blankSheets: false } });
    const office = await officeAt(root);
    await office.cases.register({ name: '系统' }, {
      channel: '来访',
      matter: '楼下烧烤店油烟噪音扰民，请社区尽快处理。',
      fields: { name: '王秀兰', phone: '13900000001', letterDate: '2026-11-03' },
      receivedAt: new Date('2026-11-03T01:30:00Z'),
    });
    await office.close();
  });

  it('stops, naming the missing item, when a template has no data for a placeholder, and writes nothing', () => {
    const r = runCli(['--root', root, 'letter', '1', '--type', '受理告知书']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('需要“经办人”');
    expect(existsSync(caseFolder()) ? readdirSync(caseFolder()) : []).toEqual([]);
  });

  it('writes the formal reply as an A4 PDF/A whose text reads as meant, and records it on the case', async () => {
    const r = runCli([
      '--root', root, '--json', 'letter', '1', '--type', '信访处理意见书',
      '--set', '信访请求=请求责令烧烤店安装油烟净化设施，晚上十点后停止营业。',
      '--set', '查明事实=经现场核查，该店未安装油烟净化设施，夜间经营噪声超标。',
      '--set', '处理意见=予以支持',
      '--set', '处理依据=《中华人民共和国大气污染防治法》第八十一条',
      '--set', '复查机关=八宝街道办事处',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const written = JSON.parse(r.stdout) as { role: string; path: string }[];
    expect(written.map((w) => w.path)).toEqual(['archive/2026/八宝信〔2026〕1号/信访处理意见书.pdf', 'archive/2026/八宝信〔2026〕1号/信访处理意见书.docx']);
    const pdf = await readPdf(path.join(root, written[0]!.path));
    expect(pdf.pages[0]!.width).toBeCloseTo(595.28, 1);
    expect(pdf.pages[0]!.height).toBeCloseTo(841.89, 1);
    expect(pdf.raw.includes('/FontFile2')).toBe(true);
    expect(pdf.raw.includes('pdfaid:part')).toBe(true);
    const text = squeeze(pdf.pages.map((p) => p.text).join(''));
    const expected = [
      '八宝社区居民委员会',
      '八宝信〔2026〕1号',
      '关于王秀兰信访事项的处理意见',
      '王秀兰：',
      '你于2026年11月3日以来访形式向本机关反映的信访事项收悉。',
      '一、信访请求',
      '请求责令烧烤店安装油烟净化设施，晚上十点后停止营业。',
      '经研究，对你的信访请求予以支持。依据：《中华人民共和国大气污染防治法》第八十一条。',
      '可以自收到本意见书之日起三十日内，向八宝街道办事处请求复查。',
    ];
    let from = 0;
    for (const part of expected) {
      const at = text.indexOf(squeeze(part), from);
      expect(at, part).toBeGreaterThanOrEqual(from);
      from = at;
    }
    // The letter ends with the issuer and date (page numbers of later pages are drawn last, so left out).
    expect(text.replace(/—\d+—/g, '')).toMatch(/八宝社区居民委员会\d{4}年\d{1,2}月\d{1,2}日$/);
    // No page number on the first page of the letter form.
    expect(pdf.pages[0]!.text).not.toContain('— 1 —');
    const shown = JSON.parse(runCli(['--root', root, '--json', 'show', '1']).stdout);
    expect(shown.documents.filter((d: { role: string }) => d.role === 'issued')).toHaveLength(2);
  });

  it('writes the same letter as DOCX naming the standard Chinese fonts', async () => {
    const zip = await JSZip.loadAsync(readFileSync(path.join(caseFolder(), '信访处理意见书.docx')));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(xml).toContain('w:eastAsia="黑体"');
    expect(xml).toContain('关于王秀兰信访事项的处理意见');
    expect(xml).toContain('<w:titlePg/>');
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
  });

  it('never overwrites an earlier letter, and follows the office\'s own wording', async () => {
    const templateFile = path.join(root, 'templates', '受理告知书.hbs');
    writeFileSync(templateFile, readFileSync(templateFile, 'utf8').replace('特此告知。', '（一）办理要求\n\n特此告知，谢谢您对社区工作的支持。'));
    const set = ['--set', '经办单位=社区综合治理办公室', '--set', '经办人=李文', '--set', '经办电话=010-62345678'];
    expect(runCli(['--root', root, 'letter', '1', '--type', '受理告知书', ...set]).status).toBe(0);
    expect(runCli(['--root', root, 'letter', '1', '--type', '受理告知书', ...set]).status).toBe(0);
    expect(readdirSync(caseFolder()).filter((f) => f.startsWith('受理告知书')).sort()).toEqual(['受理告知书.docx', '受理告知书.pdf', '受理告知书_2.docx', '受理告知书_2.pdf']);
    const second = await readPdf(path.join(caseFolder(), '受理告知书_2.pdf'));
    expect(squeeze(second.pages.map((p) => p.text).join(''))).toContain('（一）办理要求特此告知，谢谢您对社区工作的支持。');
    // A second-level heading is set in 楷体, named so for Word and WPS.
    const zip = await JSZip.loadAsync(readFileSync(path.join(caseFolder(), '受理告知书_2.docx')));
    expect(await zip.file('word/document.xml')!.async('string')).toMatch(/w:eastAsia="楷体_GB2312"[^]*?（一）办理要求/);
  });

  it('refuses an unknown document type with exit code 2', () => {
    const r = runCli(['--root', root, 'letter', '1', '--type', '感谢信']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('受理告知书');
  });
});
