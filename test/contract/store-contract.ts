/**
 * What every store adapter must do, whatever database is behind it: numbering gapless and unique
 * under concurrent callers and processes, the history chain, documents, references, search, edits,
 * the review queue, repeat links and the journals. An adapter passes by running
 * `storeContract(name, adapter)` in a test file of its own.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Extraction } from '../../src/domain/extract/letter-fields.js';
import type { Channel, NewPetition } from '../../src/domain/case.js';
import { emptyFields, folderFor, petition } from './petitions.js';
import type { LetterFields } from '../../src/domain/fields.js';
import { flagsAfterChange } from '../../src/domain/flags.js';
import { checkCaseHistory } from '../../src/domain/history.js';
import { EMPTY_WORKFLOW } from '../../src/domain/workflow.js';
import { readStats, statsQuery } from '../../src/domain/reports/stats.js';
import { monthPeriod, rangePeriod, yearPeriod } from '../../src/domain/reports/periods.js';
import type { CaseQuery, Store } from '../../src/ports/store.js';

export { folderFor, petition, STORE_OPTIONS } from './petitions.js';

/** How the suite reaches an adapter: a new empty store, and how to open another connection to it (in this process or another). */
export interface StoreAdapter {
  /** A new, empty store; `target` names it for further connections (a file, a connection string). */
  fresh(): Promise<{ store: Store; target: string }>;
  connect(target: string): Promise<Store>;
  /** The module and export a child process opens the store with: `export function open(target, options): Store`. */
  childModule: string;
}

async function registered(store: Store, p: NewPetition) {
  const r = await store.register(p, folderFor);
  if (!r.created) throw new Error(`${p.source?.name} was already registered`);
  return r.case;
}

const entry = (action: 'instructed' | 'accepted' | 'closed', detail = '') => ({ at: '2026-11-05T02:00:00.000Z', actor: '张主任', action, detail });

interface Listed {
  sha: string;
  category: string;
  channel: Channel;
  at: string;
  text: string;
  urgent?: boolean;
  year?: number;
  handler?: string;
  status?: 'instructed' | 'accepted';
}

/**
 * The case list's registry, registered in this order (so l1 is 〔2026〕1号 and l12 〔2025〕1号): the
 * received order differs from the number order, l5 and l7 came in at the same instant, and no two
 * texts of a category read alike (no repeat links).
 */
const LISTED: readonly Listed[] = [
  { sha: 'l1', category: '环境保护', channel: '来信', at: '2026-03-10T01:00:00Z', text: '楼下烧烤店油烟扰民' },
  { sha: 'l2', category: '劳动社保', channel: '来访', at: '2026-01-05T01:00:00Z', text: '单位拖欠工资三个月', urgent: true },
  { sha: 'l3', category: '环境保护', channel: '来信', at: '2026-06-20T01:00:00Z', text: '汽修店露天喷漆气味刺鼻', urgent: true, handler: '李文', status: 'instructed' },
  { sha: 'l4', category: '城乡建设', channel: '电话', at: '2026-02-14T01:00:00Z', text: '小区电梯经常停运' },
  { sha: 'l5', category: '环境保护', channel: '网上', at: '2026-09-01T01:00:00Z', text: '河道垃圾无人清理', handler: '王芳', status: 'instructed' },
  { sha: 'l6', category: '劳动社保', channel: '来信', at: '2026-04-30T01:00:00Z', text: '社保断缴无法报销', urgent: true, handler: '李文', status: 'instructed' },
  { sha: 'l7', category: '城乡建设', channel: '来信', at: '2026-09-01T01:00:00Z', text: '私搭乱建占用绿地' },
  { sha: 'l8', category: '环境保护', channel: '来访', at: '2026-05-15T01:00:00Z', text: '工地夜间施工噪音扰民', handler: '李文', status: 'accepted' },
  { sha: 'l9', category: '其他', channel: '来信', at: '2026-07-01T01:00:00Z', text: '邻居装修漏水', urgent: true },
  { sha: 'l10', category: '劳动社保', channel: '电话', at: '2026-10-10T01:00:00Z', text: '工伤认定迟迟没有结果' },
  { sha: 'l11', category: '环境保护', channel: '来信', at: '2026-11-20T01:00:00Z', text: '烧烤店深夜营业噪音' },
  { sha: 'l12', category: '城乡建设', channel: '来访', at: '2025-12-28T01:00:00Z', text: '物业不清运垃圾', urgent: true, year: 2025 },
];

export function storeContract(name: string, adapter: StoreAdapter): void {
  describe(`store contract: ${name}`, () => {
    describe('numbering', () => {
      it('numbers each year from 1 without gaps, shared by two connections, and finds cases by any form of their number', async () => {
        const { store: a, target } = await adapter.fresh();
        const b = await adapter.connect(target);
        const numbers = [];
        for (let i = 0; i < 10; i++) numbers.push((await registered(i % 2 ? a : b, petition(`sha${i}`))).number);
        numbers.push((await registered(a, petition('next-year', {}, '来信', 2027))).number);
        expect(numbers).toEqual([...Array.from({ length: 10 }, (_, i) => `八宝信〔2026〕${i + 1}号`), '八宝信〔2027〕1号']);
        expect((await b.findCase('2026-4'))?.number).toBe('八宝信〔2026〕4号');
        expect((await b.findCase('八宝信〔2026〕9号'))?.seq).toBe(9);
        expect((await b.findCase('1'))?.number).toBe('八宝信〔2027〕1号');
        expect((await b.findByContent('sha3-bytes'))?.number).toBe('八宝信〔2026〕4号');
        expect(await b.findCase('2026-99')).toBeUndefined();
        await a.close();
        await b.close();
      });

      it('gives concurrent callers on several connections every number once, 1..N', async () => {
        const { store: a, target } = await adapter.fresh();
        const others = [await adapter.connect(target), await adapter.connect(target)];
        const all = [a, ...others];
        const cases = await Promise.all(Array.from({ length: 60 }, (_, i) => registered(all[i % all.length]!, petition(`c${i}`))));
        expect(cases.map((c) => c.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
        for (const s of all) await s.close();
      });

      it('gives several processes registering at once every number once, 1..N, with no gap or repeat', async () => {
        const { store, target } = await adapter.fresh();
        const processes = 4;
        const each = 25;
        const runs = Array.from({ length: processes }, (_, p) => registerInChild(adapter.childModule, target, `p${p}`, each));
        const outcomes = await Promise.all(runs);
        expect(outcomes.map((o) => o.code), outcomes.map((o) => o.err).join('\n')).toEqual(Array(processes).fill(0));
        const cases = await store.listCases();
        expect(cases.map((c) => c.seq)).toEqual(Array.from({ length: processes * each }, (_, i) => i + 1));
        expect(new Set(cases.map((c) => c.number)).size).toBe(processes * each);
        await store.close();
      });

      it('registers the same letter once and names the first case; a rolled-back registration gives its number back', async () => {
        const { store } = await adapter.fresh();
        await registered(store, petition('same'));
        const again = await store.register(petition('same'), folderFor);
        expect(again.created).toBe(false);
        expect(again.created ? null : again.existing.number).toBe('八宝信〔2026〕1号');
        // A folder that cannot be named stops the registration inside its transaction.
        await expect(store.register(petition('broken'), () => { throw new Error('no folder'); })).rejects.toThrow('no folder');
        expect((await registered(store, petition('after'))).seq).toBe(2);
        expect(await store.listCases()).toHaveLength(2);
        await store.close();
      });

      it('lists a year page by page in number order, however long', async () => {
        const { store } = await adapter.fresh();
        for (let i = 0; i < 1_203; i++) await store.register({ ...petition(`y${i}`), source: undefined, documents: [] }, folderFor);
        const seqs: number[] = [];
        for await (const c of store.casesOfYear(2026)) seqs.push(c.seq);
        expect(seqs).toEqual(Array.from({ length: 1_203 }, (_, i) => i + 1));
        const chained: string[] = [];
        for await (const ch of store.chains()) chained.push(ch.number);
        expect(chained).toHaveLength(1_203);
        await store.close();
      });
    });

    describe('repeat petitions', () => {
      it('links the same person by ID number or by name and phone, and counts their letters', async () => {
        const { store } = await adapter.fresh();
        await registered(store, petition('a', { name: '王秀兰', phone: '13900000001', idNumber: '110108198801011235' }, '楼下烧烤店油烟'));
        const byId = await registered(store, petition('b', { name: '王秀兰', idNumber: '110108198801011235' }, '物业不作为'));
        const byNamePhone = await registered(store, petition('c', { name: '王秀兰', phone: '13900000001' }, '噪音'));
        const stranger = await registered(store, petition('d', { name: '王秀兰', phone: '13900000002' }, '社保'));
        expect(byId.repeatOf).toBe('八宝信〔2026〕1号');
        expect(byNamePhone.repeatOf).toBe('八宝信〔2026〕2号'); // the same person's latest letter, found through the first
        expect(byNamePhone.flags).toContain('repeat');
        expect(stranger.repeatOf).toBeNull();
        expect((await store.findCase('3'))!.personLetters).toBe(3);
        expect((await store.findCase('4'))!.personLetters).toBe(1);
        await store.close();
      });

      it('links a letter on nearly the same matter in the same category', async () => {
        const { store } = await adapter.fresh();
        const first = '社区领导：\n楼下烧烤店每天晚上油烟噪音扰民，老人孩子无法休息，请社区尽快处理。\n此致';
        const again = '社区领导：\n楼下烧烤店每天晚上的油烟和噪音扰民，老人孩子都无法休息，请社区尽快处理。\n此致';
        await registered(store, petition('a', { category: '环境保护' }, first));
        await registered(store, petition('b', { category: '劳动社保' }, '单位没有给我缴纳社会保险'));
        expect((await registered(store, petition('c', { category: '环境保护' }, again))).repeatOf).toBe('八宝信〔2026〕1号');
        expect((await registered(store, petition('d', { category: '环境保护' }, '小区南侧汽修店露天喷漆'))).repeatOf).toBeNull();
        await store.close();
      });
    });

    describe('corrections, review and search', () => {
      it('records who changed what, and keeps a corrected field through automatic passes', async () => {
        const { store } = await adapter.fresh();
        const c = await registered(store, petition('a', { name: '王秀芝', phone: '13900000001' }));
        const flags = (fields: LetterFields, previous: readonly string[]) => flagsAfterChange(fields, previous, 5, false);
        const corrected = { at: '2026-11-04T01:00:00.000Z', actor: '李文', action: 'corrected' as const, detail: '更正信访人、人数' };
        await store.editFields(c.id, { name: '王秀兰', signatories: 6 }, '李文', new Date('2026-11-04T01:00:00Z'), flags, corrected);
        // A correction that changes nothing leaves no history entry.
        await store.editFields(c.id, { name: '王秀兰' }, '李文', new Date('2026-11-04T02:00:00Z'), flags, { ...corrected, detail: '更正信访人' });
        expect((await store.history(c.id)).map((h) => [h.action, h.actor, h.detail])).toEqual([
          ['registered', '系统', '来信扫描件“a.jpg”自动登记，共 1 页'],
          ['corrected', '李文', '更正信访人、人数'],
        ]);
        const automatic: Extraction = { fields: { ...emptyFields, name: '王秀芝', phone: '13911111111', signatories: 1 }, sources: { name: 'labelled', phone: 'labelled' }, flags: [], urgentWords: [] };
        const after = await store.applyExtraction(c.id, automatic, flags);
        expect(after.fields.name).toBe('王秀兰');
        expect(after.fields.signatories).toBe(6);
        expect(after.fields.phone).toBe('13911111111');
        expect(after.flags).toContain('group');
        expect(after.sources.name).toBe('clerk');
        expect((await store.findCase('1'))!.edits).toEqual([
          { field: 'name', oldValue: '王秀芝', newValue: '王秀兰', by: '李文', at: '2026-11-04T01:00:00.000Z' },
          { field: 'signatories', oldValue: '1', newValue: '6', by: '李文', at: '2026-11-04T01:00:00.000Z' },
        ]);
        expect((await store.search('王秀兰', 5)).map((h) => h.case.number)).toEqual(['八宝信〔2026〕1号']);
        await store.close();
      });

      it('links a corrected case to an earlier one of the same person, and takes a reviewed case out of the queue', async () => {
        const { store } = await adapter.fresh();
        const flags = (fields: LetterFields, previous: readonly string[]) => flagsAfterChange(fields, previous, 5, false);
        const first = await registered(store, petition('first', { name: '王秀兰', phone: '13900000001', letterDate: '2026-11-03', summary: '请处理' }));
        const later = await registered(store, { ...petition('later', { summary: '又漏水了' }), receivedAt: new Date('2026-11-10T02:00:00Z') });
        const at = new Date('2026-11-11T01:00:00Z');
        const corrected = { at: at.toISOString(), actor: '刘芳', action: 'corrected' as const, detail: '更正信访人、联系电话' };
        const linked = await store.editFields(later.id, { name: '王秀兰', phone: '13900000001' }, '刘芳', at, flags, corrected);
        expect(linked.repeatOf).toBe(first.number);
        expect(linked.flags).toContain('repeat');
        // The earlier case, corrected to the same person, does not become a repeat of the later one.
        expect((await store.editFields(first.id, { phone: '13900000001', name: '王秀兰' }, '刘芳', at, flags, corrected)).repeatOf).toBeNull();
        expect((await store.reviewQueue(0.85, ['name', 'phone', 'letterDate', 'summary'])).map((q) => q.case.number)).toEqual([later.number]);
        // Marked as looked at with nothing changed: out of the queue, with a history entry.
        const checked = { ...corrected, detail: '核对无误' };
        await store.editFields(later.id, {}, '刘芳', at, flags, checked, { reviewed: true });
        expect(await store.reviewQueue(0.85, ['name', 'phone', 'letterDate', 'summary'])).toEqual([]);
        expect((await store.history(later.id)).at(-1)).toMatchObject({ action: 'corrected', detail: '核对无误' });
        await store.close();
      });

      it('puts cases with missing key fields or low confidence in the review queue, worst first', async () => {
        const { store } = await adapter.fresh();
        await registered(store, petition('complete', { name: '王秀兰', phone: '13900000001', letterDate: '2026-11-03', summary: '请处理' }));
        await registered(store, petition('no-phone', { name: '王秀兰', letterDate: '2026-11-03', summary: '请处理' }));
        await registered(store, petition('nothing'));
        const queue = await store.reviewQueue(0.85, ['name', 'phone', 'letterDate', 'summary']);
        expect(queue.map((q) => q.case.sourceName)).toEqual(['nothing.jpg', 'no-phone.jpg']);
        expect(queue[1]!.missing).toEqual(['phone']);
        // Once closed, a case is no longer in the queue of open cases.
        const closed = queue[0]!.case;
        await store.applyStep(closed.id, ['registered'], { status: 'closed', workflow: closed.workflow }, { at: '2026-11-05T02:00:00.000Z', actor: '刘芳', action: 'closed', detail: '' }, []);
        expect((await store.reviewQueue(0.85, ['name', 'phone', 'letterDate', 'summary'], { openOnly: true })).map((q) => q.case.sourceName)).toEqual(['no-phone.jpg']);
        expect(await store.reviewQueue(0.85, ['name', 'phone', 'letterDate', 'summary'])).toHaveLength(2);
        await store.close();
      });

      it('finds Chinese substrings of two characters or more, ranked, with a snippet', async () => {
        const { store } = await adapter.fresh();
        await registered(store, petition('a', { name: '郑丽华' }, '小区东门外的人行道被临时工棚占用了近半年'));
        await registered(store, petition('b', { name: '黄振国' }, '物业公司不再清运垃圾，楼道里堆满了杂物。工棚'));
        expect((await store.search('人行道', 20)).map((h) => h.case.number)).toEqual(['八宝信〔2026〕1号']);
        expect((await store.search('工棚', 20)).map((h) => h.case.number).sort()).toEqual(['八宝信〔2026〕1号', '八宝信〔2026〕2号']);
        expect((await store.search('黄振国', 20))[0]!.case.number).toBe('八宝信〔2026〕2号');
        expect((await store.search('人行道', 20))[0]!.snippet).toContain('【人行道】');
        expect(await store.search('道', 20)).toEqual([]);
        await store.close();
      });
    });

    describe('corrected lines', () => {
      it('keeps each correction beside the OCR text, searches the letter as corrected, reads unset fields again, and chains the entry', async () => {
        const { store, target } = await adapter.fresh();
        const lines = [
          { text: '楼下烧考店油烟很大', confidence: 0.6, box: [0, 0, 100, 20] as [number, number, number, number] },
          { text: '王秀三', confidence: 0.5, box: [0, 30, 40, 50] as [number, number, number, number] },
        ];
        const text = lines.map((l) => l.text).join('\n');
        const p = petition('lines', { name: '王秀三' }, text);
        const c = await registered(store, { ...p, pages: [{ ...p.pages[0]!, text, lines, frame: { width: 200, height: 300 } }] });
        const flags = (fields: LetterFields, previous: readonly string[]) => flagsAfterChange(fields, previous, 5, false);
        const reread = (t: string) => ({ extraction: { fields: { ...emptyFields, name: t.split('\n')[1] ?? null }, sources: { name: 'labelled' as const }, flags: [], urgentWords: [] }, flagsFor: flags });
        const entry = { at: '2026-11-04T01:00:00.000Z', actor: '刘芳', action: 'lines-corrected' as const, detail: '更正第 1 页识别文字第 1、2 行（原识别文字保留）' };
        const after = await store.correctLines(c.id, 1, [{ line: 1, text: '楼下烧烤店油烟很大' }, { line: 2, text: '王秀兰\n' }], '刘芳', new Date(entry.at), entry, reread);
        expect(after.ocrText).toBe(text);
        expect(after.correctedText).toBe('楼下烧烤店油烟很大\n王秀兰');
        expect(after.fields.name).toBe('王秀兰');
        // A second connection sees the same: the pages as read, their frame, and every correction.
        const other = await adapter.connect(target);
        const detail = (await other.findCase('1'))!;
        expect(detail.pages[0]!.lines.map((l) => l.text)).toEqual(['楼下烧考店油烟很大', '王秀三']);
        expect(detail.pages[0]!.frame).toEqual({ width: 200, height: 300 });
        expect(detail.corrections).toEqual([
          { page: 1, line: 1, ocrText: '楼下烧考店油烟很大', text: '楼下烧烤店油烟很大', by: '刘芳', at: entry.at },
          { page: 1, line: 2, ocrText: '王秀三', text: '王秀兰', by: '刘芳', at: entry.at },
        ]);
        expect((await other.search('烧烤店', 5)).map((h) => h.case.number)).toEqual([c.number]);
        expect((await other.search('烧烤店', 5))[0]!.snippet).toContain('【烧烤店】');
        expect(await other.search('烧考店', 5)).toEqual([]);
        expect((await other.history(c.id)).at(-1)).toMatchObject({ action: 'lines-corrected', actor: '刘芳' });
        const chain = await other.chains()[Symbol.asyncIterator]().next();
        expect(chain.value && checkCaseHistory(chain.value.number, chain.value.entries, chain.value.head, chain.value.status)).toEqual([]);
        await other.close();
        await store.close();
      });
    });

    describe('the case list', () => {
      async function listedStore() {
        const { store } = await adapter.fresh();
        for (const l of LISTED) {
          const c = await registered(store, { ...petition(l.sha, { category: l.category }, l.text, l.year), channel: l.channel, receivedAt: new Date(l.at), flags: l.urgent ? ['urgent'] : [] });
          if (!l.handler || !l.status) continue;
          const workflow = {
            ...EMPTY_WORKFLOW,
            instruction: { leader: '张主任', text: '请处理', handler: l.handler, at: '2026-11-05T02:00:00.000Z', due: null },
            acceptedAt: l.status === 'accepted' ? '2026-11-06T02:00:00.000Z' : null,
            // A transfer's signing and return (issue 17), so the statistics' slim read is seen to carry them.
            ...(l.handler === '王芳' ? { signedBy: '刘芳', signedAt: '2026-11-05', returnedAt: '2026-11-06T02:00:00.000Z', returnReason: '属区人社局职责' } : {}),
            // A return visit and a review (issue 17) on 李文's cases, so the read of the visited cases is compared too.
            ...(l.handler === '李文'
              ? {
                  returnVisit: { on: '2026-11-07', how: '电话', by: '刘芳', result: l.status === 'accepted' ? '不满意' : '满意', note: null, recordedBy: '刘芳', recordedAt: '2026-11-07T02:00:00.000Z' },
                  reviews: [{ stage: '复查' as const, requestedOn: '2026-11-08', body: '八宝街道办事处', answerDue: '2026-12-08', decision: null, decidedOn: null, recordedBy: '刘芳', recordedAt: '2026-11-08T02:00:00.000Z' }],
                }
              : {}),
          };
          expect((await store.applyStep(c.id, ['registered'], { status: l.status, workflow }, entry(l.status), [])).applied).toBe(true);
        }
        // Each case by the name of its scan, to keep the expected lists readable.
        const list = async (query: Partial<CaseQuery>) => {
          const page = await store.queryCases({ limit: 100, offset: 0, ...query });
          return { total: page.total, cases: page.cases.map((c) => c.sourceName?.replace(/\.jpg$/, '')) };
        };
        return { store, list };
      }

      it('gives the statistics every case in number order with what they read of it, the same as the full cases', async () => {
        const { store } = await listedStore();
        const full = await store.listCases();
        const project = ({ number, status, channel, receivedAt, repeatOf, flags, workflow, caseLeader, fields: { name, phone, idNumber, category, handlingType } }: (typeof full)[number]) => ({
          number, status, channel, receivedAt, repeatOf, flags, workflow, caseLeader: caseLeader ?? null, fields: { name, phone, idNumber, category, handlingType },
        });
        const slim = await store.listStatsCases();
        expect(slim).toEqual(full.map(project));
        expect(slim.map((c) => c.number)[0]).toBe('八宝信〔2025〕1号');
        expect(slim.filter((c) => c.workflow.instruction).map((c) => c.workflow.instruction!.handler)).toEqual(['李文', '王芳', '李文', '李文']);
        expect(slim.filter((c) => c.workflow.returnedAt).map((c) => [c.workflow.signedBy, c.workflow.signedAt, c.workflow.returnReason])).toEqual([['刘芳', '2026-11-05', '属区人社局职责']]);
        await store.close();
      });

      it('reads a period\'s figures the same as counting every case in memory, whatever the span', async () => {
        const { store } = await listedStore();
        const all = await store.listStatsCases();
        for (const period of [yearPeriod('2026'), yearPeriod('2025'), monthPeriod('2026-11'), rangePeriod('2025-12-31', '2026-11-05')]) {
          const q = statsQuery(period, 'Asia/Shanghai');
          const read = await store.statsRead(q);
          expect(read).toEqual(readStats(all, q));
        }
        const year = await store.statsRead(statsQuery(yearPeriod('2026'), 'Asia/Shanghai'));
        expect(year.byChannel.reduce((n, x) => n + x.count, 0)).toBeGreaterThan(5);
        expect(year.urgent.length).toBeGreaterThan(0);
        expect(year.open.length).toBeGreaterThan(0);
        expect(year.visited.map((c) => c.workflow.returnVisit?.result).sort()).toEqual(['不满意', '满意', '满意']);
        expect(year.visited.every((c) => c.workflow.reviews.length === 1)).toBe(true);
        await store.close();
      });

      it('lists latest received first unless asked otherwise, urgent or not, and sorts by received date or number either way', async () => {
        const { store, list } = await listedStore();
        // l5 and l7, received at the same instant, follow their numbers the same way round.
        const latestFirst = ['l11', 'l10', 'l7', 'l5', 'l9', 'l3', 'l8', 'l6', 'l1', 'l4', 'l2', 'l12'];
        expect(await list({})).toEqual({ total: 12, cases: latestFirst });
        expect(await list({ sort: 'received-desc' })).toEqual({ total: 12, cases: latestFirst });
        expect(await list({ sort: 'received-asc' })).toEqual({ total: 12, cases: [...latestFirst].reverse() });
        // The year comes before the sequence: 〔2025〕1号 before 〔2026〕1号, and 〔2026〕10号 after 9号.
        expect(await list({ sort: 'number-asc' })).toEqual({ total: 12, cases: ['l12', 'l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8', 'l9', 'l10', 'l11'] });
        expect(await list({ sort: 'number-desc' })).toEqual({ total: 12, cases: ['l11', 'l10', 'l9', 'l8', 'l7', 'l6', 'l5', 'l4', 'l3', 'l2', 'l1', 'l12'] });
        // A listed case is the whole case, as read by its number.
        const l8 = (await store.caseByNumber('八宝信〔2026〕8号'))!;
        expect((await store.queryCases({ handler: '李文', status: ['accepted'], limit: 10, offset: 0 })).cases).toEqual([l8]);
        expect(l8.workflow.instruction?.handler).toBe('李文');
        await store.close();
      });

      it('holds every filter given at once', async () => {
        const { store, list } = await listedStore();
        expect(await list({ category: '环境保护' })).toEqual({ total: 5, cases: ['l11', 'l5', 'l3', 'l8', 'l1'] });
        expect(await list({ category: '环境保护', flag: 'urgent' })).toEqual({ total: 1, cases: ['l3'] });
        expect(await list({ flag: 'urgent' })).toEqual({ total: 5, cases: ['l9', 'l3', 'l6', 'l2', 'l12'] });
        expect(await list({ channel: '来信', flag: 'urgent' })).toEqual({ total: 3, cases: ['l9', 'l3', 'l6'] });
        expect(await list({ status: ['instructed', 'accepted'] })).toEqual({ total: 4, cases: ['l5', 'l3', 'l8', 'l6'] });
        expect(await list({ status: ['registered'], category: '劳动社保' })).toEqual({ total: 2, cases: ['l10', 'l2'] });
        expect(await list({ handler: '李文' })).toEqual({ total: 3, cases: ['l3', 'l8', 'l6'] });
        expect(await list({ handler: '李文', status: ['instructed'] })).toEqual({ total: 2, cases: ['l3', 'l6'] });
        // From is inclusive and to exclusive, whether or not the instant is written with milliseconds.
        expect(await list({ receivedFrom: '2026-03-10T01:00:00Z', receivedTo: '2026-06-20T01:00:00.000Z' })).toEqual({ total: 3, cases: ['l8', 'l6', 'l1'] });
        expect(await list({ receivedFrom: '2026-03-10T01:00:00.000Z', receivedTo: '2026-06-20T01:00:00Z', category: '环境保护' })).toEqual({ total: 2, cases: ['l8', 'l1'] });
        const everything: Partial<CaseQuery> = {
          status: ['instructed', 'accepted'],
          category: '环境保护',
          channel: '来访',
          handler: '李文',
          receivedFrom: '2026-05-01T00:00:00Z',
          receivedTo: '2026-06-01T00:00:00Z',
          text: '噪音',
        };
        expect(await list(everything)).toEqual({ total: 1, cases: ['l8'] });
        expect(await list({ ...everything, flag: 'urgent' })).toEqual({ total: 0, cases: [] });
        await store.close();
      });

      it('lists the cases a leader is in charge of (包案)', async () => {
        const { store, list } = await listedStore();
        for (const [number, leader] of [['八宝信〔2026〕3号', '王主任'], ['八宝信〔2026〕8号', '王主任'], ['八宝信〔2026〕5号', '李书记']] as const) {
          const c = (await store.caseByNumber(number))!;
          await store.setCaseLeader(c.id, { leader, by: '刘芳', at: '2026-11-07T02:00:00.000Z' }, { at: '2026-11-07T02:00:00.000Z', actor: '刘芳', action: 'leader-took-case', detail: `${leader}包案` });
        }
        expect(await list({ caseLeader: '王主任' })).toEqual({ total: 2, cases: ['l3', 'l8'] });
        expect(await list({ caseLeader: '王主任', handler: '李文', status: ['accepted'] })).toEqual({ total: 1, cases: ['l8'] });
        expect(await list({ caseLeader: '张三' })).toEqual({ total: 0, cases: [] });
        await store.close();
      });

      it('pages through the list with the total of all that match', async () => {
        const { store, list } = await listedStore();
        expect(await list({ limit: 5, offset: 0 })).toEqual({ total: 12, cases: ['l11', 'l10', 'l7', 'l5', 'l9'] });
        expect(await list({ limit: 5, offset: 5 })).toEqual({ total: 12, cases: ['l3', 'l8', 'l6', 'l1', 'l4'] });
        expect(await list({ limit: 5, offset: 10 })).toEqual({ total: 12, cases: ['l2', 'l12'] });
        expect(await list({ limit: 5, offset: 12 })).toEqual({ total: 12, cases: [] });
        expect(await list({ limit: 0, offset: 0 })).toEqual({ total: 12, cases: [] });
        expect(await list({ category: '环境保护', sort: 'number-asc', limit: 2, offset: 2 })).toEqual({ total: 5, cases: ['l5', 'l8'] });
        // SQLite would read a negative limit as none: a bad page is refused, not the whole registry listed.
        await expect(store.queryCases({ limit: -1, offset: 0 })).rejects.toThrow(RangeError);
        await expect(store.queryCases({ limit: 10, offset: 1.5 })).rejects.toThrow(RangeError);
        await store.close();
      });

      it('keeps only the cases a text search finds, in the order asked', async () => {
        const { store, list } = await listedStore();
        expect(await list({ text: '烧烤店' })).toEqual({ total: 2, cases: ['l11', 'l1'] });
        expect(await list({ text: '噪音', sort: 'number-asc' })).toEqual({ total: 2, cases: ['l8', 'l11'] });
        expect(await list({ text: '垃圾', sort: 'received-asc' })).toEqual({ total: 2, cases: ['l12', 'l5'] });
        expect(await list({ text: '垃圾', status: ['registered'] })).toEqual({ total: 1, cases: ['l12'] });
        expect(await list({ text: '扰民', limit: 1, offset: 1 })).toEqual({ total: 2, cases: ['l1'] });
        await store.close();
      });

      it('answers an empty page and a total of 0 when nothing matches', async () => {
        const { store, list } = await listedStore();
        const none = { total: 0, cases: [] };
        expect(await list({ category: '教育' })).toEqual(none);
        expect(await list({ category: '其他', channel: '电话' })).toEqual(none);
        expect(await list({ flag: 'repeat' })).toEqual(none);
        expect(await list({ status: ['closed'] })).toEqual(none);
        expect(await list({ status: [] })).toEqual(none);
        expect(await list({ receivedFrom: '2027-01-01T00:00:00Z' })).toEqual(none);
        expect(await list({ text: '学校' })).toEqual(none);
        // Fewer than two letters or digits search nothing, as search() does.
        expect(await list({ text: '道' })).toEqual(none);
        expect(await list({ text: '，' })).toEqual(none);
        await store.close();
      });
    });

    describe('history, steps and documents', () => {
      it('chains every entry; a step taken from a status the case has left is not recorded', async () => {
        const { store, target } = await adapter.fresh();
        const c = await registered(store, petition('a'));
        const other = await adapter.connect(target);
        const instructed = { ...EMPTY_WORKFLOW, instruction: { leader: '张主任', text: '请处理', handler: '李文', at: '2026-11-05T02:00:00.000Z', due: null } };
        const doc = { role: 'issued' as const, kind: '批办单', path: `${c.folder}/批办单_2.pdf`, sha256: 'sheet', pages: 1, bytes: 100 };
        const first = await store.applyStep(c.id, ['registered'], { status: 'instructed', workflow: instructed }, entry('instructed', '批示'), [doc]);
        expect(first.applied).toBe(true);
        // Another clerk, on another connection, tried the same step a moment later.
        const raced = await other.applyStep(c.id, ['registered'], { status: 'instructed', workflow: instructed }, entry('instructed', '又批示'), []);
        expect(raced).toMatchObject({ applied: false, current: { status: 'instructed' } });
        const detail = (await store.findCase('1'))!;
        expect(detail.workflow.instruction?.handler).toBe('李文');
        expect(detail.history.map((h) => h.action)).toEqual(['registered', 'instructed']);
        expect(detail.history[1]!.prevHash).toBe(detail.history[0]!.hash);
        const chains = [];
        for await (const ch of store.chains()) chains.push(ch);
        expect(checkCaseHistory(chains[0]!.number, chains[0]!.entries, chains[0]!.head, chains[0]!.status)).toEqual([]);
        expect(await store.recordedSha(doc.path)).toBe('sheet');
        expect(await store.hasDocument(c.id, 'issued', '批办单')).toBe(true);
        await other.close();
        await store.close();
      });

      it('records a kind of issued document once, and lists the cases still without it', async () => {
        const { store } = await adapter.fresh();
        const a = await registered(store, petition('a'));
        const b = await registered(store, petition('b'));
        for (const c of [a, b]) await store.markIntakeDone(c.id);
        const sheet = (c: typeof a, n: string) => ({ role: 'issued' as const, kind: '批办单', path: `${c.folder}/批办单${n}.pdf`, sha256: n, pages: 1, bytes: 1 });
        expect(await store.addDocumentsUnlessKind(a.id, '批办单', [sheet(a, '')])).toBe(true);
        expect(await store.addDocumentsUnlessKind(a.id, '批办单', [sheet(a, '_2')])).toBe(false);
        expect((await store.casesWithout('批办单', 10, 0)).map((c) => c.id)).toEqual([b.id]);
        expect(await store.recordedSha(`${a.folder}/批办单_2.pdf`)).toBeNull();
        await store.close();
      });

      it('files a returned paper once, and finds it by its bytes', async () => {
        const { store } = await adapter.fresh();
        const c = await registered(store, petition('a'));
        const paper = { role: 'returned' as const, kind: '批办单', path: `${c.folder}/收回_批办单.jpg`, sha256: 'signed', pages: 1, bytes: 5, text: '同意', sourceName: '签批.jpg' };
        const filed = { at: '2026-11-06T02:00:00.000Z', actor: '系统', action: 'paper-filed' as const, detail: '收回' };
        expect((await store.fileReturnedPaper(c.id, [paper], filed)).filed).toBe(true);
        expect((await store.fileReturnedPaper(c.id, [paper], filed)).filed).toBe(false);
        expect(await store.findReturnedPaper('signed')).toMatchObject({ case: { id: c.id }, sourceName: '签批.jpg' });
        expect((await store.findByContent('signed'))?.id).toBe(c.id);
        expect((await store.history(c.id)).map((h) => h.action)).toEqual(['registered', 'paper-filed']);
        await store.close();
      });

      it('draws each archival reference once from a counter per year and retention period', async () => {
        const { store } = await adapter.fresh();
        const cases = [];
        for (const sha of ['a', 'b', 'c']) cases.push(await registered(store, petition(sha)));
        const ref = (item: number) => `Z109-XF·2026-D30-${String(item).padStart(4, '0')}`;
        const at = new Date('2026-12-01T02:00:00Z');
        expect((await store.assignReference(cases[1]!.id, 'D30', at, ref)).binding?.ref).toBe('Z109-XF·2026-D30-0001');
        expect((await store.assignReference(cases[0]!.id, 'Y', at, (i) => `Y-${i}`)).binding?.ref).toBe('Y-1');
        expect((await store.assignReference(cases[2]!.id, 'D30', at, ref)).binding?.ref).toBe('Z109-XF·2026-D30-0002');
        expect((await store.assignReference(cases[1]!.id, 'D30', at, ref)).binding?.item).toBe(1);
        const volume = { role: 'volume' as const, kind: '案卷', path: `${cases[1]!.folder}/案卷.pdf`, sha256: 'v1', pages: 9, bytes: 9 };
        await store.recordBinding(cases[1]!.id, [volume], { at: at.toISOString(), actor: '档案员', action: 'bound', detail: '立卷' });
        await store.recordBinding(cases[1]!.id, [{ ...volume, sha256: 'v2' }], { at: at.toISOString(), actor: '档案员', action: 'bound', detail: '重新立卷' });
        expect((await store.findCase('2'))!.documents.filter((d) => d.role === 'volume').map((d) => d.sha256)).toEqual(['v2']);
        const first = { year: 2026, volume: 1, edition: 1, path: 'archive/2026/年度案卷/第1册.pdf', sha256: 'y', bytes: 1, pages: 1, cases: [cases[1]!.number], madeAt: at.toISOString(), supersededAt: null };
        const entry = (v: { volume: number; edition: number }) => ({ at: at.toISOString(), actor: '档案员', action: 'bound' as const, detail: `装入第${v.volume}册第${v.edition}版` });
        await store.addYearVolumes(2026, [first], { supersede: false, entry });
        expect(await store.recordedSha('archive/2026/年度案卷/第1册.pdf')).toBe('y');
        expect((await store.volumes(2026)).map((v) => v.cases)).toEqual([[cases[1]!.number]]);
        expect((await store.findCase('2'))!.history.at(-1)).toMatchObject({ actor: '档案员', action: 'bound', detail: '装入第1册第1版' });
        // A new edition is added beside the first, which is kept and marked superseded.
        const later = new Date(at.getTime() + 1000).toISOString();
        await store.addYearVolumes(2026, [{ ...first, edition: 2, path: 'archive/2026/年度案卷/第1册_第2版.pdf', sha256: 'y2', madeAt: later }], { supersede: true, entry });
        expect((await store.volumes(2026)).map((v) => [v.edition, v.supersededAt])).toEqual([[1, later], [2, null]]);
        expect(await store.recordedSha('archive/2026/年度案卷/第1册.pdf')).toBe('y');
        await store.close();
      });
    });

    describe('journals', () => {
      it('keeps a scan registered but not yet moved into place until its intake is marked done', async () => {
        const { store } = await adapter.fresh();
        const c = await registered(store, petition('a'));
        expect((await store.unfinishedIntakes()).map((x) => x.id)).toEqual([c.id]);
        await store.markIntakeDone(c.id);
        expect(await store.unfinishedIntakes()).toEqual([]);
        expect((await store.caseById(c.id)).intakeState).toBe('done');
        await store.close();
      });

      it('knows who last handed in a file by its fingerprint, and nobody for a file it was not given', async () => {
        const { store, target } = await adapter.fresh();
        await store.noteUploads([{ sha256: 'p1', name: '扫描.jpg', by: '刘芳', at: new Date('2026-12-01T08:00:00Z') }]);
        await store.noteUploads([{ sha256: 'p2', name: '第1页.jpg', by: '周强', at: new Date('2026-12-01T09:00:00Z') }, { sha256: 'p3', name: '第2页.jpg', by: '周强', at: new Date('2026-12-01T09:00:00Z') }]);
        const other = await adapter.connect(target);
        expect(await other.uploaderOf(['p1'])).toBe('刘芳');
        expect(await other.uploaderOf(['x', 'p3'])).toBe('周强');
        expect(await other.uploaderOf(['x'])).toBeUndefined();
        expect(await other.uploaderOf([])).toBeUndefined();
        await store.noteUploads([{ sha256: 'p1', name: '扫描（2）.jpg', by: '周强', at: new Date('2026-12-01T10:00:00Z') }]);
        expect(await other.uploaderOf(['p1'])).toBe('周强');
        await other.close();
        await store.close();
      });

      it('keeps the notes of files being written until they are forgotten', async () => {
        const { store, target } = await adapter.fresh();
        const ids = await store.noteFiles('host:1', [{ temp: 'archive/.a.pdf.1-1.tmp', final: 'archive/a.pdf', sha256: 'x' }]);
        const removal = await store.noteRemovals('host:1', ['archive/old.pdf']);
        const other = await adapter.connect(target);
        expect(await other.notes()).toEqual([
          { id: ids[0], owner: 'host:1', kind: 'write', temp: 'archive/.a.pdf.1-1.tmp', final: 'archive/a.pdf', sha256: 'x' },
          { id: removal[0], owner: 'host:1', kind: 'remove', final: 'archive/old.pdf' },
        ]);
        await other.forget([...ids, ...removal]);
        expect(await store.notes()).toEqual([]);
        await other.close();
        await store.close();
      });
    });
  });
}

/** A child process registering `count` petitions on the store at `target`, as another program on the same registry would. */
function registerInChild(module: string, target: string, prefix: string, count: number): Promise<{ code: number | null; err: string }> {
  const script = path.join(import.meta.dirname, 'register-many.ts');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, module, target, prefix, String(count)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, err }));
  });
}
