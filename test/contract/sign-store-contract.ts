/**
 * What every store adapter must do with informants' reports (苗头) and the duty roster: each
 * year's reports numbered 1..N without gap or repeat, also from two connections at once, on a
 * counter apart from the cases'; a report ended once whoever comes second; an alert about a report
 * instead of a case, with who was on duty; shifts and contacts replaced by their day and person or
 * name, removed, listed in order.
 */
import { describe, expect, it } from 'vitest';
import { signAlert } from '../../src/domain/alerts.js';
import type { NewSignReport } from '../../src/domain/signs.js';
import type { StoreAdapter } from './store-contract.js';
import { folderFor, petition } from './petitions.js';

const at = '2026-12-02T02:00:00.000Z';
const format = (year: number, seq: number) => `八宝信息〔${year}〕${seq}号`;
const report = (year: number, n: number, by = '刘芳'): NewSignReport => ({
  source: '电话', place: '幸福里小区', people: '十余户业主', matter: `第${n}条`, risk: '高', reporter: '赵信息', reportedAt: `${year}-06-01T00:00:00.000Z`, by, at, year,
});

export function signStoreContract(name: string, adapter: StoreAdapter): void {
  describe(`sign and roster store contract: ${name}`, () => {
    it('numbers each year’s reports 1..N from two connections at once, apart from the cases', async () => {
      const { store: a, target } = await adapter.fresh();
      const b = await adapter.connect(target);
      try {
        const r = await a.register(petition('sign-1'), folderFor);
        expect(r.created && r.case.seq).toBe(1);
        const made = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).addSignReport(report(2026, i, i % 3 ? '刘芳' : '赵信息'), format)));
        expect(made.map((s) => s.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
        expect(new Set(made.map((s) => s.number)).size).toBe(16);
        expect((await a.addSignReport(report(2027, 0), format)).number).toBe('八宝信息〔2027〕1号');
        const next = await b.register(petition('sign-2'), folderFor);
        expect(next.created && next.case.seq).toBe(2);
        const all = await a.signReports();
        expect(all[0]!.number).toBe('八宝信息〔2027〕1号');
        expect(all).toHaveLength(17);
        expect((await a.signReports({ by: '赵信息' })).every((s) => s.by === '赵信息')).toBe(true);
        expect((await a.signReports({ reportedFrom: '2027-01-01T00:00:00.000Z' })).map((s) => s.number)).toEqual(['八宝信息〔2027〕1号']);
        expect((await a.findSignReport('八宝信息〔2026〕5号'))!.seq).toBe(5);
        expect((await a.findSignReport('2026-16'))!.seq).toBe(16);
        expect((await a.findSignReport('1'))!.year).toBe(2027);
        expect(await a.findSignReport('2026-99')).toBeUndefined();
      } finally {
        await b.close();
        await a.close();
      }
    });

    it('ends a report once, linked to its case, and raises an alert about it instead of a case', async () => {
      const { store } = await adapter.fresh();
      try {
        const s = await store.addSignReport(report(2026, 1), format);
        const r = await store.register(petition('sign-case'), folderFor);
        const caseId = r.created ? r.case.id : -1;
        const end = { status: 'case' as const, caseId, outcome: '转为信访案件', by: '刘芳', at };
        expect(await Promise.all([store.endSignReport(s.id, end), store.endSignReport(s.id, { ...end, status: 'closed', caseId: null })])).toEqual([true, false]);
        expect(await store.signReportById(s.id)).toMatchObject({ status: 'case', caseId, caseNumber: r.created ? r.case.number : '', closedBy: '刘芳' });
        const [alert] = await store.addAlerts([{ ...signAlert(s, new Date(at)), onDuty: [{ name: '王值班', phone: '136' }] }]);
        expect(alert).toMatchObject({ kind: 'sign', caseId: null, signId: s.id, case: { number: s.number, summary: '第1条' }, sign: { id: s.id, place: '幸福里小区', reporter: '赵信息' }, onDuty: [{ name: '王值班', phone: '136' }] });
        expect(await store.addAlerts([signAlert(s, new Date(at))])).toEqual([]);
        expect((await store.alertsFor({ name: '张主任', role: '领导' }, { limit: 5 })).alerts.map((a) => a.kind)).toEqual(['sign']);
      } finally {
        await store.close();
      }
    });

    it('keeps the roster by day and person and the contacts by name', async () => {
      const { store } = await adapter.fresh();
      try {
        const first = await store.setDutyShift({ day: '2026-12-02', person: '张主任', phone: '', post: '带班领导', by: 'x', at });
        await store.setDutyShift({ day: '2026-12-01', person: '李副主任', phone: '139', post: '', by: 'x', at });
        const again = await store.setDutyShift({ day: '2026-12-02', person: '张主任', phone: '138', post: '带班领导', by: 'y', at });
        expect(again.id).toBe(first.id);
        expect((await store.dutyShifts('2026-12-01', '2026-12-31')).map((s) => `${s.day}${s.person}${s.phone}`)).toEqual(['2026-12-01李副主任139', '2026-12-02张主任138']);
        expect(await store.removeDutyShift(first.id)).toMatchObject({ person: '张主任' });
        expect(await store.removeDutyShift(first.id)).toBeUndefined();
        await store.setContact({ name: '张主任', post: '组长', phones: ['010-1'], by: 'x', at });
        await store.setContact({ name: '李副主任', post: '副组长', phones: ['139'], by: 'x', at });
        await store.setContact({ name: '张主任', post: '组长', phones: ['010-1', '138'], by: 'y', at });
        expect((await store.contacts()).map((c) => `${c.name}:${c.phones.join('/')}`)).toEqual(['张主任:010-1/138', '李副主任:139']);
        expect(await store.removeContact('李副主任')).toBe(true);
        expect(await store.removeContact('李副主任')).toBe(false);
      } finally {
        await store.close();
      }
    });
  });
}
