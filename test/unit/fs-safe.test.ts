import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARTIAL_WRITE, writeFileNew } from '../../src/adapters/files/fs-safe.js';

describe('writing a file under a name nobody has taken', () => {
  it('never replaces a file already there, and leaves no temporary file behind', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xinfang-fs-'));
    const target = path.join(dir, '批办单.pdf');
    writeFileSync(target, 'theirs');
    expect(await writeFileNew(target, 'ours')).toBe(false);
    expect(readFileSync(target, 'utf8')).toBe('theirs');
    expect(readdirSync(dir)).toEqual(['批办单.pdf']);
  });

  it('gives the name to exactly one of many writers racing for it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xinfang-fs-'));
    const target = path.join(dir, '受理告知书.pdf');
    const won = await Promise.all(Array.from({ length: 12 }, (_, i) => writeFileNew(target, `writer ${i}`)));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(readFileSync(target, 'utf8')).toBe(`writer ${won.indexOf(true)}`);
    expect(readdirSync(dir)).toEqual(['受理告知书.pdf']);
  });

  it('knows its own unfinished writes by name, old style and new', () => {
    expect(PARTIAL_WRITE.test('.批办单.pdf.4242-7.tmp')).toBe(true);
    expect(PARTIAL_WRITE.test('.批办单.pdf.4242.tmp')).toBe(true);
    expect(PARTIAL_WRITE.test('批办单.pdf')).toBe(false);
  });
});
