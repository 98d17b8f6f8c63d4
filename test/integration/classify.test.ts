/** Categories learned from the office's own confirmed letters, through the real services and SQLite registry. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../src/app.js';
import { classify } from '../../src/domain/extract/classify.js';
import { keywordClassifier } from '../../src/domain/extract/learned.js';
import { extractFields } from '../../src/domain/extract/letter-fields.js';
import { extractRules } from '../../src/domain/settings.js';
import { splitByCategory, type Letter } from '../../src/tools/eval/letters.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';

const letters = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'classification', 'letters.json'), 'utf8')) as Letter[];
const clerk = { name: '刘芳' };

let office: Office;
beforeAll(async () => {
  office = await officeAt(await makeWorkspace({ workflow: { blankSheets: false } }), { background: 'none' });
});
afterAll(() => office?.close());

describe('categories learned from the office', () => {
  it('judges as the keyword lists did while the office has confirmed nothing, and says how sure it is', async () => {
    const settings = office.settings;
    const lists = keywordClassifier(settings.categories.filter((c) => c.name !== '其他'), '其他');
    for (const l of letters.slice(0, 20)) expect(lists.classify(l.text).name).toBe(classify(l.text, settings.categories.filter((c) => c.name !== '其他'), '其他').name);
    const c = await office.cases.register(clerk, { channel: '来访', matter: '楼上住户家里漏水，渗到我家天花板，请社区协调。', fields: {} });
    expect(c.fields.category).toBe('邻里纠纷');
    expect(c.judged.category).toBeGreaterThan(0.5);
    const unsure = await office.cases.register(clerk, { channel: '来访', matter: '想问一下开证明要带什么材料。', fields: {} });
    expect(unsure.judged.category).toBeLessThan(office.settings.classify.reviewBelow);
    expect((await office.cases.review()).find((r) => r.case.number === unsure.number)!.reasons).toContain('category-unsure');
  });

  it('after eight confirmed letters per category, gets most unseen letters right, far more than the lists', async () => {
    const { train, test } = splitByCategory(letters, 8);
    for (const l of train) await office.cases.register(clerk, { channel: '来访', matter: l.text, fields: { category: l.category } });
    let learned = 0;
    let lists = 0;
    const categories = office.settings.categories.filter((c) => c.name !== '其他');
    for (const l of test) {
      const c = await office.cases.register(clerk, { channel: '来访', matter: l.text, fields: {} });
      if (c.fields.category === l.category) learned++;
      if (classify(l.text, categories, '其他').name === l.category) lists++;
    }
    // Measured 73 of 99 (the lists: 55); the bound leaves room for a change of tie-breaking, not for a regression.
    expect(learned).toBeGreaterThanOrEqual(70);
    expect(learned).toBeGreaterThan(lists + 12);
  }, 120_000);

  it('reads a report of wrongdoing without the word 举报 as 检举控告类, and a suggestion without 建议 as 建议意见类', async () => {
    const report = await office.cases.register(clerk, { channel: '来访', matter: '村里发困难补贴，村会计给自己沾亲带故的几户多报了人头，真正困难的人家反倒没有。请上级来人核实。', fields: {} });
    expect(report.fields.handlingType).toBe('检举控告类');
    const idea = await office.cases.register(clerk, { channel: '来访', matter: '小区门口晚上太黑，如果能在大门两边各装一盏灯，大家晚上出门就更方便了。', fields: {} });
    expect(idea.fields.handlingType).toBe('建议意见类');
    const request = await office.cases.register(clerk, { channel: '来访', matter: '我家厨房的下水管堵了一个星期，找了几次都没人来修，请尽快派人处理。', fields: {} });
    expect(request.fields.handlingType).toBe('申诉求决类');
  });

  it('counts a judgement the clerk confirms unchanged as an example, on record', async () => {
    const c = await office.cases.register(clerk, { channel: '来访', matter: '小区门口的垃圾站夏天熏得人没法开窗。', fields: {} });
    const confirmed = await office.cases.edit(clerk, c, { category: c.fields.category! });
    expect(confirmed.sources.category).toBe('clerk');
    expect(confirmed.edits.at(-1)).toMatchObject({ field: 'category', oldValue: c.fields.category, newValue: c.fields.category, by: '刘芳' });
  });
});

describe('learning off', () => {
  it('judges by the keyword lists alone however many letters the clerks confirmed', async () => {
    const off = await officeAt(await makeWorkspace({ workflow: { blankSheets: false }, classify: { learn: false } }), { background: 'none' });
    try {
      const byLists = extractRules(off.settings);
      const { train, test } = splitByCategory(letters, 8);
      for (const l of train) await off.cases.register(clerk, { channel: '来访', matter: l.text, fields: { category: l.category } });
      for (const l of test.slice(0, 30)) {
        const c = await off.cases.register(clerk, { channel: '来访', matter: l.text, fields: {} });
        expect(c.fields.category).toBe(extractFields(l.text, byLists).fields.category);
      }
    } finally {
      off.close();
    }
  }, 120_000);
});
