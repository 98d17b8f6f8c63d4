import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagsAfterChange, type Extraction, type LetterFields } from '../../src/domain/extract/letter-fields.js';
import { DuplicateRaceError, Registry, type NewPetition } from '../../src/adapters/sqlite/registry.js';

const options = { format: '{short}信〔{year}〕{seq}号', short: '八宝', repeatSimilarity: 0.5, repeatWithinDays: 730 };
const folderFor = (year: number, number: string) => `archive/${year}/${number}`;
const emptyFields: LetterFields = { name: null, phone: null, idNumber: null, address: null, letterDate: null, signatories: 1, summary: null, category: '其他', handlingType: '申诉求决类' };

function petition(sha: string, fields: Partial<LetterFields> = {}, text = '来信', year = 2026): NewPetition {
  const extraction: Extraction = { fields: { ...emptyFields, ...fields }, sources: { name: 'labelled' }, flags: [], urgentWords: [] };
  return {
    channel: '来信',
    receivedAt: new Date(`${year}-11-03T02:00:00Z`),
    year,
    text,
    extraction,
    flags: [],
    pages: [{ text, confidence: 0.99, lowConfidence: false, rotation: 0, skew: 0, lines: [] }],
    ocrEngine: 'test',
    source: { name: `${sha}.jpg`, sha256: sha, stagingDir: `archive/.staging/${sha}` },
    documents: [{ role: 'original', fileName: `原件_${sha}.jpg`, sha256: `${sha}-bytes`, pages: 1, bytes: 10 }],
  };
}

const tempRegistry = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'xinfang-reg-')), 'registry.sqlite');

describe('registry numbering', () => {
  it('numbers each year from 1 without gaps, shared by two connections to one file', () => {
    const file = tempRegistry();
    const a = new Registry(file, options);
    const b = new Registry(file, options);
    const numbers = [];
    for (let i = 0; i < 10; i++) numbers.push((i % 2 ? a : b).registerPetition(petition(`sha${i}`), folderFor).number);
    numbers.push(a.registerPetition(petition('next-year', {}, '来信', 2027), folderFor).number);
    expect(numbers).toEqual([...Array.from({ length: 10 }, (_, i) => `八宝信〔2026〕${i + 1}号`), '八宝信〔2027〕1号']);
    expect(b.findCase('2026-4')?.number).toBe('八宝信〔2026〕4号');
    expect(b.findCase('八宝信〔2026〕9号')?.seq).toBe(9);
    expect(b.findCase('1')?.number).toBe('八宝信〔2027〕1号');
    expect(b.findByContent('sha3-bytes')?.number).toBe('八宝信〔2026〕4号');
    a.close();
    b.close();
  });

  it('refuses to register the same letter twice and names the first case', () => {
    const registry = new Registry(tempRegistry(), options);
    registry.registerPetition(petition('same'), folderFor);
    expect(() => registry.registerPetition(petition('same'), folderFor)).toThrow(DuplicateRaceError);
    expect(registry.listCases()).toHaveLength(1);
    registry.close();
  });
});

describe('repeat petitions', () => {
  it('links the same person by ID number or by name and phone, and counts their letters', () => {
    const registry = new Registry(tempRegistry(), options);
    registry.registerPetition(petition('a', { name: '王秀兰', phone: '13900000001', idNumber: '110108198801011235' }, '楼下烧烤店油烟'), folderFor);
    const byId = registry.registerPetition(petition('b', { name: '王秀兰', idNumber: '110108198801011235' }, '物业不作为'), folderFor);
    const byNamePhone = registry.registerPetition(petition('c', { name: '王秀兰', phone: '13900000001' }, '噪音'), folderFor);
    const stranger = registry.registerPetition(petition('d', { name: '王秀兰', phone: '13900000002' }, '社保'), folderFor);
    expect(byId.repeatOf).toBe('八宝信〔2026〕1号');
    expect(byNamePhone.repeatOf).toBe('八宝信〔2026〕2号'); // the same person's latest letter, found through the first
    expect(byNamePhone.flags).toContain('repeat');
    expect(stranger.repeatOf).toBeNull();
    expect(registry.findCase('3')!.personLetters).toBe(3);
    expect(registry.findCase('4')!.personLetters).toBe(1);
    registry.close();
  });

  it('links a letter on nearly the same matter in the same category', () => {
    const registry = new Registry(tempRegistry(), options);
    const first = '社区领导：\n楼下烧烤店每天晚上油烟噪音扰民，老人孩子无法休息，请社区尽快处理。\n此致';
    const again = '社区领导：\n楼下烧烤店每天晚上的油烟和噪音扰民，老人孩子都无法休息，请社区尽快处理。\n此致';
    registry.registerPetition(petition('a', { category: '环境保护' }, first), folderFor);
    registry.registerPetition(petition('b', { category: '劳动社保' }, '单位没有给我缴纳社会保险'), folderFor);
    expect(registry.registerPetition(petition('c', { category: '环境保护' }, again), folderFor).repeatOf).toBe('八宝信〔2026〕1号');
    expect(registry.registerPetition(petition('d', { category: '环境保护' }, '小区南侧汽修店露天喷漆'), folderFor).repeatOf).toBeNull();
    registry.close();
  });
});

describe('corrections, review and search', () => {
  it('records who changed what, and keeps a corrected field through automatic passes', () => {
    const registry = new Registry(tempRegistry(), options);
    const c = registry.registerPetition(petition('a', { name: '王秀芝', phone: '13900000001' }), folderFor);
    const flags = (fields: LetterFields, previous: string[]) => flagsAfterChange(fields, previous, 5, false);
    registry.editFields(c.id, { name: '王秀兰', signatories: 6 }, '李文', new Date('2026-11-04T01:00:00Z'), flags);
    const automatic: Extraction = { fields: { ...emptyFields, name: '王秀芝', phone: '13911111111', signatories: 1 }, sources: { name: 'labelled', phone: 'labelled' }, flags: [], urgentWords: [] };
    const after = registry.applyExtraction(c.id, automatic, flags);
    expect(after.fields.name).toBe('王秀兰');
    expect(after.fields.signatories).toBe(6);
    expect(after.fields.phone).toBe('13911111111');
    expect(after.flags).toContain('group');
    expect(after.sources.name).toBe('clerk');
    const edits = registry.findCase('1')!.edits;
    expect(edits).toEqual([
      { field: 'name', oldValue: '王秀芝', newValue: '王秀兰', by: '李文', at: '2026-11-04T01:00:00.000Z' },
      { field: 'signatories', oldValue: '1', newValue: '6', by: '李文', at: '2026-11-04T01:00:00.000Z' },
    ]);
    registry.close();
  });

  it('puts cases with missing key fields or low confidence in the review queue, worst first', () => {
    const registry = new Registry(tempRegistry(), options);
    registry.registerPetition(petition('complete', { name: '王秀兰', phone: '13900000001', letterDate: '2026-11-03', summary: '请处理' }), folderFor);
    registry.registerPetition(petition('no-phone', { name: '王秀兰', letterDate: '2026-11-03', summary: '请处理' }), folderFor);
    registry.registerPetition(petition('nothing'), folderFor);
    const queue = registry.reviewQueue(0.85, ['name', 'phone', 'letterDate', 'summary']);
    expect(queue.map((q) => q.case.sourceName)).toEqual(['nothing.jpg', 'no-phone.jpg']);
    expect(queue[1]!.missing).toEqual(['phone']);
    registry.close();
  });

  it('finds Chinese substrings of two characters or more, ranked, with a snippet', () => {
    const registry = new Registry(tempRegistry(), options);
    registry.registerPetition(petition('a', { name: '郑丽华' }, '小区东门外的人行道被临时工棚占用了近半年'), folderFor);
    registry.registerPetition(petition('b', { name: '黄振国' }, '物业公司不再清运垃圾，楼道里堆满了杂物。工棚'), folderFor);
    expect(registry.search('人行道').map((h) => h.case.number)).toEqual(['八宝信〔2026〕1号']);
    expect(registry.search('工棚').map((h) => h.case.number).sort()).toEqual(['八宝信〔2026〕1号', '八宝信〔2026〕2号']);
    expect(registry.search('黄振国')[0]!.case.number).toBe('八宝信〔2026〕2号');
    expect(registry.search('人行道')[0]!.snippet).toContain('【人行道】');
    expect(registry.search('道')).toEqual([]);
    registry.close();
  });
});

describe('opening a new registry', () => {
  it('waits for another process writing to the new file before it is in WAL mode, instead of failing as "locked"', async () => {
    const file = tempRegistry();
    // Another process has created the file (not yet WAL) and holds its write lock for a moment.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import Database from 'better-sqlite3';
         const db = new Database(process.argv[1]);
         db.exec('CREATE TABLE early (x)'); db.exec('BEGIN IMMEDIATE'); db.exec('INSERT INTO early VALUES (1)');
         process.stdout.write('held\\n');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, 600);`,
        file,
      ],
      { cwd: path.resolve(import.meta.dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise((resolve) => holder.stdout!.once('data', resolve));
    const registry = new Registry(file, options);
    try {
      expect(registry.listCases()).toEqual([]);
      expect(registry.registerPetition(petition('a'), folderFor).seq).toBe(1);
    } finally {
      registry.close();
    }
    await new Promise((resolve) => holder.once('exit', resolve));
  });
});
