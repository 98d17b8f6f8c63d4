/**
 * How well the categories and handling types are judged on letters the classifiers never saw:
 * `npm run eval:classify [-- --train N] [letters.json]`. Takes the first N letters of each
 * category (default 8) as the ones a clerk confirmed, judges the rest with the keyword lists
 * alone and with what was learned, and prints the share right and the confusion tables.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../adapters/files/workspace.js';
import { loadSettings } from '../../adapters/settings/settings-file.js';
import { classify } from '../../domain/extract/classify.js';
import { trainClassifier, type TextClassifier } from '../../domain/extract/learned.js';
import { splitByCategory, type Letter } from './letters.js';


const args = process.argv.slice(2);
const trainAt = args.indexOf('--train');
const perCategory = trainAt >= 0 ? Number(args[trainAt + 1]) : 8;
const file = args.find((a, i) => !a.startsWith('--') && i !== trainAt + 1) ?? path.join(packageRoot(), 'test', 'fixtures', 'classification', 'letters.json');
const letters = JSON.parse(readFileSync(file, 'utf8')) as Letter[];
const settings = loadSettings(path.join(packageRoot(), 'pipeline', 'settings.yaml'));

const { train, test } = splitByCategory(letters, perCategory);

const categories = settings.categories.filter((c) => c.name !== '其他');
const started = Date.now();
const learnedCategory = trainClassifier(categories, '其他', train.map((l) => ({ text: l.text, label: l.category })));
const learnedHandling = trainClassifier(settings.handlingTypes, settings.defaultHandlingType, train.map((l) => ({ text: l.text, label: l.handlingType })));
const trainMs = Date.now() - started;

function report(title: string, labels: string[], truth: (l: Letter) => string, judge: (l: Letter) => { name: string; confidence?: number }, reviewBelow?: number) {
  const confusion = new Map<string, Map<string, number>>();
  let right = 0;
  let sureButWrong = 0;
  let toReview = 0;
  for (const l of test) {
    const j = judge(l);
    const t = truth(l);
    if (j.name === t) right++;
    const unsure = reviewBelow !== undefined && (j.confidence ?? 1) < reviewBelow;
    if (unsure) toReview++;
    else if (j.name !== t) sureButWrong++;
    const row = confusion.get(t) ?? new Map<string, number>();
    row.set(j.name, (row.get(j.name) ?? 0) + 1);
    confusion.set(t, row);
  }
  console.log(`\n${title}: ${right}/${test.length} right (${((right / test.length) * 100).toFixed(1)}%)${reviewBelow !== undefined ? `; below ${reviewBelow} to review: ${toReview}; wrong and not sent to review: ${sureButWrong}` : ''}`);
  const width = Math.max(...labels.map((x) => [...x].length)) + 1;
  const pad = (s: string) => s + '　'.repeat(Math.max(0, width - [...s].length));
  console.log(pad('真实＼判断') + labels.map((x) => pad(x)).join(''));
  for (const t of labels) console.log(pad(t) + labels.map((x) => pad(String(confusion.get(t)?.get(x) ?? 0))).join(''));
}

const names = settings.categories.map((c) => c.name);
const types = settings.handlingTypes.map((c) => c.name);
const byKeywords = (classes: typeof categories, fallback: string) => (l: Letter) => ({ name: classify(l.text, classes, fallback).name });
const byModel = (m: TextClassifier) => (l: Letter) => m.classify(l.text);
console.log(`${letters.length} letters; learned from the first ${perCategory} of each category (${train.length}), judged on the other ${test.length}; training took ${trainMs} ms.`);
report('Category, keyword lists alone', names, (l) => l.category, byKeywords(categories, '其他'));
report('Category, learned', names, (l) => l.category, byModel(learnedCategory), settings.classify.reviewBelow);
report('Handling type, keyword lists alone', types, (l) => l.handlingType, byKeywords(settings.handlingTypes, settings.defaultHandlingType));
report('Handling type, learned', types, (l) => l.handlingType, byModel(learnedHandling), settings.classify.reviewBelow);
