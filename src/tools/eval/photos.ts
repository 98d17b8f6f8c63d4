/**
 * How well phone photos are read: `npm run eval:photos [-- folder]` (default test/fixtures/photos,
 * made by `npm run eval:photos:make`). Each photo goes through the intake's own decoding and
 * reading (decodeScan, readPage, with the OCR pool and settings the pipeline uses), and is judged
 * against truth.json: the character error rate, the confidence the page claims, whether it is sent
 * to review and why. A photo passes when it is read to under 2 % CER or is sent to review; a photo
 * read worse than that and not sent to review is "confident but wrong", the failure that matters.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../adapters/files/workspace.js';
import { OcrPool } from '../../adapters/ocr/pool.js';
import { loadSettings } from '../../adapters/settings/settings-file.js';
import { characterErrorRate } from '../../domain/cer.js';
import { decodeScan } from '../../services/intake/decode.js';
import { limitsFrom } from '../../services/intake/limits.js';
import { readPage } from '../../services/intake/read-page.js';
import type { PhotoTruth } from './photos-make.js';

const GOOD_CER = 0.02;

const folder = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? path.join(packageRoot(), 'test', 'fixtures', 'photos');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const verbose = process.argv.includes('--text');
const truth = (JSON.parse(readFileSync(path.join(folder, 'truth.json'), 'utf8')) as PhotoTruth[]).filter((t) => !only || t.file.includes(only));
const settings = loadSettings(path.join(packageRoot(), 'pipeline', 'settings.yaml'));
const limits = limitsFrom(settings);
const pool = await OcrPool.create(settings.ocr);

interface Row {
  file: string;
  cer: number;
  confidence: number;
  flagged: boolean;
  reasons: string;
  rotation: number;
  ms: number;
}

const rows: Row[] = [];
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.length));
console.log(`${truth.length} photos from ${folder}; engine ${pool.engineName}; a page below ${settings.ocr.lowConfidence} confidence is sent to review`);
console.log(`${pad('photo', 40)} ${pad('CER', 7)} ${pad('conf', 5)} ${pad('review', 7)} ${pad('turn', 5)} ${pad('ms', 6)} verdict`);
for (const t of truth) {
  const started = performance.now();
  const scan = await decodeScan(readFileSync(path.join(folder, t.file)), limits);
  const page = await readPage(scan.pages[0]!, pool, settings);
  const ms = performance.now() - started;
  const cer = characterErrorRate(t.text, page.text);
  const row: Row = { file: t.file, cer, confidence: page.confidence, flagged: page.lowConfidence, reasons: page.doubts.join(','), rotation: page.rotation, ms };
  rows.push(row);
  const verdict = cer < GOOD_CER ? (row.flagged ? 'read well, sent to review anyway' : 'good') : row.flagged ? 'poor, sent to review' : 'CONFIDENT BUT WRONG';
  console.log(
    `${pad(t.file, 40)} ${pad(`${(cer * 100).toFixed(1)}%`, 7)} ${pad(`${Math.round(page.confidence * 100)}%`, 5)} ${pad(row.flagged ? 'yes' : 'no', 7)} ${pad(`${page.rotation}°`, 5)} ${pad(String(Math.round(ms)), 6)} ${verdict}${row.reasons ? ` (${row.reasons})` : ''}`,
  );
  if (verbose) console.log(`  ink covered ${Math.round(page.check.inkCovered * 100)}%, rows read ${page.check.rowsRead}/${page.check.inkRows}, language ${Math.round(page.check.language * 100)}%, recogniser ${Math.round(page.recognizerConfidence * 100)}%, sheet ${page.cropped ? 'cut out' : 'not found'}`);
  if (verbose && cer >= GOOD_CER) console.log(`  read: ${page.text.replace(/\n/g, ' / ')}`);
}
await pool.close();

const good = rows.filter((r) => r.cer < GOOD_CER);
const flaggedPoor = rows.filter((r) => r.cer >= GOOD_CER && r.flagged);
const wrong = rows.filter((r) => r.cer >= GOOD_CER && !r.flagged);
const flaggedGood = good.filter((r) => r.flagged);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
console.log('');
console.log(`photos: ${rows.length}`);
console.log(`read to under ${GOOD_CER * 100}% CER: ${good.length} (of them sent to review anyway: ${flaggedGood.length})`);
console.log(`read worse, sent to review: ${flaggedPoor.length}`);
console.log(`read worse and NOT sent to review (confident but wrong): ${wrong.length}${wrong.length ? ` — ${wrong.map((r) => r.file).join(', ')}` : ''}`);
console.log(`CER: mean ${(mean(rows.map((r) => r.cer)) * 100).toFixed(2)}%, median ${(median(rows.map((r) => r.cer)) * 100).toFixed(2)}%; time a photo: median ${Math.round(median(rows.map((r) => r.ms)))} ms`);
console.log(`goal (every photo under ${GOOD_CER * 100}% or sent to review; none confident but wrong): ${wrong.length === 0 ? 'met' : 'NOT met'}`);
