import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuplicateRaceError, Registry, type NewLetter } from '../../src/register/registry.js';

const numbering = { format: '{short}信〔{year}〕{seq}号', short: '八宝' };

function letter(sha: string, year = 2026): NewLetter {
  return {
    receivedAt: new Date(`${year}-11-03T02:00:00Z`),
    year,
    sourceName: `${sha}.jpg`,
    sourceSha256: sha,
    stagingDir: `archive/.staging/${sha}`,
    ocrEngine: 'test',
    flags: [],
    pages: [{ text: '来信', confidence: 0.99, lowConfidence: false, rotation: 0, skew: 0, lines: [] }],
    documents: [{ role: 'original', fileName: `原件_${sha}.jpg`, sha256: `${sha}-bytes`, pages: 1, bytes: 10 }],
  };
}

const folderFor = (year: number, number: string) => `archive/${year}/${number}`;

describe('registry numbering', () => {
  it('numbers each year from 1 without gaps, shared by two connections to one file', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'xinfang-reg-')), 'registry.sqlite');
    const a = new Registry(file, numbering);
    const b = new Registry(file, numbering);
    const numbers = [];
    for (let i = 0; i < 10; i++) numbers.push((i % 2 ? a : b).registerLetter(letter(`sha${i}`), folderFor).number);
    numbers.push(a.registerLetter(letter('next-year', 2027), folderFor).number);
    expect(numbers).toEqual([...Array.from({ length: 10 }, (_, i) => `八宝信〔2026〕${i + 1}号`), '八宝信〔2027〕1号']);
    expect(b.findCase('2026-4')?.number).toBe('八宝信〔2026〕4号');
    expect(b.findCase('八宝信〔2026〕9号')?.seq).toBe(9);
    expect(b.findCase('1')?.number).toBe('八宝信〔2027〕1号');
    expect(b.findByContent('sha3-bytes')?.number).toBe('八宝信〔2026〕4号');
    a.close();
    b.close();
  });

  it('refuses to register the same letter twice and names the first case', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'xinfang-reg-')), 'registry.sqlite');
    const registry = new Registry(file, numbering);
    registry.registerLetter(letter('same'), folderFor);
    expect(() => registry.registerLetter(letter('same'), folderFor)).toThrow(DuplicateRaceError);
    expect(registry.listCases()).toHaveLength(1);
    registry.close();
  });
});
