import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/adapters/files/hash.js';
import type { IntakeResult } from '../../src/services/intake/ingest.js';
import { characterErrorRate } from '../helpers/cer.js';
import { readPdf } from '../helpers/pdf.js';
import { runCli } from '../helpers/run-cli.js';
import { ingestInbox, makeWorkspace, samplesDir, scan, truth , type IngestedWorkspace } from '../helpers/workspace.js';

const letters = ['S01', 'S02', 'S03', 'S04'];

describe('the sample scans, through the real pipeline', () => {
  let root: string;
  let results: IntakeResult[];
  let ingested: IngestedWorkspace;

  beforeAll(async () => {
    root = await makeWorkspace();
    for (const file of readdirSync(path.join(samplesDir, 'scans'))) copyFileSync(scan(file), path.join(root, 'inbox', file));
    ingested = await ingestInbox(root);
    results = ingested.results;
  });

  afterAll(async () => {
    await ingested?.close();
  });

  it('registers each letter once, numbered in inbox order', () => {
    const registered = results.filter((r) => r.kind === 'registered');
    const numbers = Object.fromEntries(registered.map((r) => [r.item, r.kind === 'registered' ? r.case.number : '']));
    expect(numbers).toEqual({ 'S01.jpg': '八宝信〔2026〕1号', 'S02.jpg': '八宝信〔2026〕2号', 'S03.pdf': '八宝信〔2026〕3号', 'S04.png': '八宝信〔2026〕4号' });
  });

  it('reads every page with a character error rate under 0.5%', () => {
    const json = JSON.parse(runCli(['--root', root, '--json', 'cases']).stdout) as { number: string }[];
    expect(json).toHaveLength(4);
    let errors = 0;
    let chars = 0;
    letters.forEach((id, i) => {
      const shown = JSON.parse(runCli(['--root', root, '--json', 'show', String(i + 1)]).stdout);
      const expected = truth(id).pages;
      expect(shown.ocr.pages).toHaveLength(expected.length);
      expected.forEach((page, p) => {
        const cer = characterErrorRate(page, shown.ocr.pages[p].text);
        const length = page.replace(/\s/g, '').length;
        errors += cer * length;
        chars += length;
        expect(cer, `${id} page ${p + 1}: ${shown.ocr.pages[p].text}`).toBeLessThan(0.005);
      });
    });
    expect(errors / chars).toBeLessThan(0.005);
  });

  it('sets the duplicate and the truncated scan aside, with the reason beside each', () => {
    const aside = path.join(root, 'inbox', '未能登记');
    expect(readdirSync(path.join(root, 'inbox'))).toEqual(['未能登记']);
    expect(readFileSync(path.join(aside, 'S05-copy-of-S01.jpg.原因.txt'), 'utf8')).toContain('八宝信〔2026〕1号');
    expect(readFileSync(path.join(aside, 'S06-truncated.jpg.原因.txt'), 'utf8')).toMatch(/损坏|不完整/);
    // Set aside, never deleted: the bytes are the clerk's.
    expect(readFileSync(path.join(aside, 'S06-truncated.jpg')).equals(readFileSync(scan('S06-truncated.jpg')))).toBe(true);
    expect(results.find((r) => r.item === 'S05-copy-of-S01.jpg')?.kind).toBe('duplicate');
    expect(results.find((r) => r.item === 'S06-truncated.jpg')?.kind).toBe('set-aside');
  });

  it('keeps the original bytes and a searchable PDF for each case, with matching hashes', async () => {
    const shown = JSON.parse(runCli(['--root', root, '--json', 'show', '八宝信〔2026〕3号']).stdout);
    expect(shown).toMatchObject({ number: '八宝信〔2026〕3号', year: 2026, seq: 3, status: 'registered', channel: '来信', flags: [] });
    expect(new Date(shown.receivedAt).toISOString()).toBe(shown.receivedAt);
    const original = shown.documents.find((d: { role: string }) => d.role === 'original');
    const searchable = shown.documents.find((d: { role: string }) => d.role === 'searchable');
    expect(readFileSync(path.join(root, original.path)).equals(readFileSync(scan('S03.pdf')))).toBe(true);
    for (const doc of shown.documents) expect(sha256(readFileSync(path.join(root, doc.path)))).toBe(doc.sha256);
    expect(searchable.pages).toBe(2);

    const pdf = await readPdf(path.join(root, searchable.path));
    expect(pdf.pages).toHaveLength(2);
    expect(pdf.pages[0]!.width).toBeCloseTo(595.28, 1);
    truth('S03').pages.forEach((page, i) => expect(characterErrorRate(page, pdf.pages[i]!.text)).toBeLessThan(0.005));
    expect(pdf.raw.includes('/FontFile2')).toBe(true);
    expect(pdf.raw.includes('pdfaid:part')).toBe(true);
    expect(existsSync(path.join(root, 'archive', '.staging')) ? readdirSync(path.join(root, 'archive', '.staging')) : []).toEqual([]);
  });

  it('fills every register field in truth/ from the OCR text', () => {
    letters.forEach((id, i) => {
      const t = truth(id);
      const shown = JSON.parse(runCli(['--root', root, '--json', 'show', String(i + 1)]).stdout);
      expect(shown.petitioner, id).toEqual({
        name: t.fields.name ?? null,
        phone: t.fields.phone ?? null,
        idNumber: t.fields.idNumber ?? null,
        address: t.fields.address ?? null,
      });
      expect(shown.letterDate, id).toBe(t.fields.date);
      expect(shown.category, id).toBe(t.category);
      expect(shown.signatories, id).toBe(t.signatories);
      expect(shown.repeatOf, id).toBe(t.repeatOf);
      expect(['建议意见类', '检举控告类', '申诉求决类']).toContain(shown.handlingType);
      expect([...shown.summary].length).toBeLessThanOrEqual(60);
    });
    const joint = JSON.parse(runCli(['--root', root, '--json', 'show', '4']).stdout);
    expect(joint.flags).toContain('group');
    // Shown to a person, the ID number is masked; in JSON and in the registry it is whole.
    expect(runCli(['--root', root, 'show', '1']).stdout).toContain('身份证号：110108********1235');
  });
});
