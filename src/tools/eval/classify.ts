/**
 * How well the categories and handling types are judged on letters the classifiers never saw:
 * `npm run eval:classify [-- --train N] [letters.json]`. Takes the first N letters of each
 * category (default 8) as the ones a clerk confirmed, judges the rest with the keyword lists
 * alone and as the program does after those confirmations (the register's own reading of the
 * letter, extractFields), and prints the share right and the confusion tables. Then the same
 * classifiers on the tuning set (test/fixtures/classification/tuning.json, the letters the
 * classifier was tuned on, never the evaluation's unseen part), and the time to train on 500
 * confirmed letters and to judge one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../adapters/files/workspace.js';
import { loadSettings } from '../../adapters/settings/settings-file.js';
import { keywordClassifier, officeClassifiers, trainClassifier, type Judgement } from '../../domain/extract/learned.js';
import { extractFields } from '../../domain/extract/letter-fields.js';
import { extractRules } from '../../domain/settings.js';
import { splitByCategory, type Letter } from './letters.js';

const args = process.argv.slice(2);
const trainAt = args.indexOf('--train');
const perCategory = trainAt >= 0 ? Number(args[trainAt + 1]) : 8;
const fixtures = path.join(packageRoot(), 'test', 'fixtures', 'classification');
const file = args.find((a, i) => !a.startsWith('--') && i !== trainAt + 1) ?? path.join(fixtures, 'letters.json');
const letters = JSON.parse(readFileSync(file, 'utf8')) as Letter[];
const tuning = JSON.parse(readFileSync(path.join(fixtures, 'tuning.json'), 'utf8')) as Letter[];
const settings = loadSettings(path.join(packageRoot(), 'pipeline', 'settings.yaml'));

const { train, test } = splitByCategory(letters, perCategory);
const asConfirmed = (ls: readonly Letter[]) => ls.map((l) => ({ text: l.text, category: l.category, handlingType: l.handlingType }));

type Judge = (l: Letter) => { category: Judgement; handlingType: Judgement };

function report(title: string, set: readonly Letter[], labels: string[], truth: (l: Letter) => string, judge: (l: Letter) => Judgement, reviewBelow?: number) {
  const confusion = new Map<string, Map<string, number>>();
  let right = 0;
  let sureButWrong = 0;
  let toReview = 0;
  for (const l of set) {
    const j = judge(l);
    const t = truth(l);
    if (j.name === t) right++;
    const unsure = reviewBelow !== undefined && j.confidence < reviewBelow;
    if (unsure) toReview++;
    else if (j.name !== t) sureButWrong++;
    const row = confusion.get(t) ?? new Map<string, number>();
    row.set(j.name, (row.get(j.name) ?? 0) + 1);
    confusion.set(t, row);
  }
  console.log(`\n${title}: ${right}/${set.length} right (${((right / set.length) * 100).toFixed(1)}%)${reviewBelow !== undefined ? `; below ${reviewBelow} to review: ${toReview}; wrong and not sent to review: ${sureButWrong}` : ''}`);
  const width = Math.max(...labels.map((x) => [...x].length)) + 1;
  const pad = (s: string) => s + '　'.repeat(Math.max(0, width - [...s].length));
  console.log(pad('真实＼判断') + labels.map((x) => pad(x)).join(''));
  for (const t of labels) console.log(pad(t) + labels.map((x) => pad(String(confusion.get(t)?.get(x) ?? 0))).join(''));
}

const names = settings.categories.map((c) => c.name);
const types = settings.handlingTypes.map((c) => c.name);
const categories = settings.categories.filter((c) => c.name !== '其他');
const lists = { category: keywordClassifier(categories, '其他'), handlingType: keywordClassifier(settings.handlingTypes, settings.defaultHandlingType) };

/** As the register reads a letter: its body, with these classifiers. */
function asRegistered(learned: typeof lists): Judge {
  const rules = extractRules(settings, learned);
  return (l) => {
    const e = extractFields(l.text, rules);
    const j = e.judged ?? { category: 0, handlingType: 0 };
    return { category: { name: e.fields.category!, confidence: j.category ?? 0 }, handlingType: { name: e.fields.handlingType!, confidence: j.handlingType ?? 0 } };
  };
}

function evaluate(heading: string, set: readonly Letter[], learned: typeof lists) {
  const byLists = asRegistered(lists);
  const byProgram = asRegistered(learned);
  console.log(`\n## ${heading}`);
  report('Category, keyword lists alone', set, names, (l) => l.category, (l) => byLists(l).category);
  report('Category, as the program judges', set, names, (l) => l.category, (l) => byProgram(l).category, settings.classify.reviewBelow);
  report('Handling type, keyword lists alone', set, types, (l) => l.handlingType, (l) => byLists(l).handlingType);
  report(`Handling type, as the program judges (${learned.handlingType.examples ? 'learned' : 'the lists: too few examples of a type'})`, set, types, (l) => l.handlingType, (l) => byProgram(l).handlingType, settings.classify.reviewBelow);
  if (!learned.handlingType.examples) {
    const forced = trainClassifier(settings.handlingTypes, settings.defaultHandlingType, train.map((l) => ({ text: l.text, label: l.handlingType })));
    const judge = asRegistered({ ...learned, handlingType: forced });
    report('Handling type, learned anyway (for comparison; not what the program does)', set, types, (l) => l.handlingType, (l) => judge(l).handlingType);
  }
}

const started = process.hrtime.bigint();
const learned = officeClassifiers(settings, asConfirmed(train));
const trainMs = Number(process.hrtime.bigint() - started) / 1e6;
console.log(`${letters.length} letters; learned from the first ${perCategory} of each category (${train.length}), judged on the other ${test.length}; training took ${trainMs.toFixed(0)} ms.`);
evaluate(`The evaluation's unseen part (${test.length} letters)`, test, learned);
evaluate(`The tuning set (${tuning.length} letters, written apart; the classifier was tuned on it, so this figure flatters)`, tuning, learned);

// Speed: 500 confirmed letters (the evaluation and tuning letters, repeated in turn), trained as on a correction; each letter then judged.
const pool = [...letters, ...tuning];
const five = Array.from({ length: 500 }, (_, i) => pool[i % pool.length]!);
const rounds: number[] = [];
let big = officeClassifiers(settings, asConfirmed(five));
for (let r = 0; r < 5; r++) {
  const t0 = process.hrtime.bigint();
  big = officeClassifiers(settings, asConfirmed(five));
  rounds.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
const judge = asRegistered(big);
const t1 = process.hrtime.bigint();
for (const l of pool) judge(l);
const perLetter = Number(process.hrtime.bigint() - t1) / 1e6 / pool.length;
rounds.sort((a, b) => a - b);
console.log(`\nTraining on 500 confirmed letters: median ${rounds[2]!.toFixed(0)} ms of 5 rounds (both classifiers); reading a letter's category and handling type with them: ${perLetter.toFixed(2)} ms a letter (${pool.length} letters).`);
