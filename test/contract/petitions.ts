/** Petitions for the store contract suite and its child processes (no test framework here: children import it). */
import type { NewPetition } from '../../src/domain/case.js';
import type { Extraction } from '../../src/domain/extract/letter-fields.js';
import type { LetterFields } from '../../src/domain/fields.js';

export const STORE_OPTIONS = { format: '{short}信〔{year}〕{seq}号', short: '八宝', repeatSimilarity: 0.5, repeatWithinDays: 730 };

export const folderFor = (year: number, number: string) => `archive/${year}/${number}`;
export const emptyFields: LetterFields = { name: null, phone: null, idNumber: null, address: null, letterDate: null, signatories: 1, summary: null, category: '其他', handlingType: '申诉求决类' };

export function petition(sha: string, fields: Partial<LetterFields> = {}, text = '来信', year = 2026): NewPetition {
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

