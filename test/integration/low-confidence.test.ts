import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace, scan } from '../helpers/workspace.js';

describe('pages the OCR is unsure of', () => {
  it('registers the letter but flags it for a person to check, first in the list', async () => {
    const root = await makeWorkspace();
    // A small, blurred, heavily compressed photo: readable to nobody, machine or clerk.
    const blurred = await sharp(scan('S01.jpg')).resize({ width: 900 }).blur(3).jpeg({ quality: 30 }).toBuffer();
    writeFileSync(path.join(root, 'inbox', 'blurred.jpg'), blurred);
    const ingest = runCli(['--root', root, 'ingest']);
    expect(ingest.status, ingest.stderr).toBe(0);
    expect(ingest.stdout).toContain('有页面需人工核对');
    const shown = JSON.parse(runCli(['--root', root, '--json', 'show', '1']).stdout);
    expect(shown.flags).toContain('low-confidence');
    expect(shown.ocr.pages[0].lowConfidence).toBe(true);
    expect(shown.ocr.pages[0].confidence).toBeLessThan(0.85);
    expect(runCli(['--root', root, 'cases']).stdout).toMatch(/^【需人工核对】(【[^】]+】)*八宝信〔2026〕1号/m);
    expect(runCli(['--root', root, 'show', '1']).stdout).toMatch(/^标记：【需人工核对】/);
  });
});
