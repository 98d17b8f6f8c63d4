/**
 * What every store adapter must do with alerts: each key recorded once however often or from
 * however many connections it is raised, recipients by role and by name, reads per person, the
 * mark a poller asks for, and taking charge once, with its history entry, in one transaction.
 */
import { describe, expect, it } from 'vitest';
import { alertKey, type NewAlert } from '../../src/domain/alerts.js';
import { checkCaseHistory } from '../../src/domain/history.js';
import type { StoreAdapter } from './store-contract.js';
import { folderFor, petition } from './petitions.js';

const at = '2026-11-03T02:00:00.000Z';
const urgent = (caseId: number): NewAlert => ({ key: alertKey(caseId, 'urgent'), kind: 'urgent', caseId, deadline: null, dueDate: null, recipients: [{ role: '领导' }], createdAt: at });
const overdue = (caseId: number, dueDate: string): NewAlert => ({
  key: alertKey(caseId, 'overdue', 'handle', dueDate),
  kind: 'overdue',
  caseId,
  deadline: 'handle',
  dueDate,
  recipients: [{ user: '李文' }, { user: '张主任' }],
  createdAt: at,
});

export function alertStoreContract(name: string, adapter: StoreAdapter): void {
  describe(`alert store contract: ${name}`, () => {
    it('records each key once, also from two connections at once, and lists alerts by role and by name, latest first', async () => {
      const { store: a, target } = await adapter.fresh();
      const b = await adapter.connect(target);
      const c = await a.register(petition('alert-1', { name: '王秀兰', summary: '楼道堆物' }), folderFor);
      const id = c.created ? c.case.id : -1;
      const [first, second] = await Promise.all([a.addAlerts([urgent(id)]), b.addAlerts([urgent(id)])]);
      expect(first!.length + second!.length).toBe(1);
      expect(await a.addAlerts([urgent(id), overdue(id, '2026-11-20')])).toHaveLength(1);
      // A new due date is a new alert.
      expect((await a.addAlerts([overdue(id, '2026-12-20')])).map((x) => x.dueDate)).toEqual(['2026-12-20']);
      const leader = await b.alertsFor({ name: '王副主任', role: '领导' }, { limit: 10 });
      expect(leader.alerts.map((x) => x.kind)).toEqual(['urgent']);
      expect(leader.alerts[0]!.case).toMatchObject({ number: '八宝信〔2026〕1号', name: '王秀兰', summary: '楼道堆物' });
      expect((await b.alertsFor({ name: '李文', role: '经办人' }, { limit: 10 })).alerts.map((x) => x.dueDate)).toEqual(['2026-12-20', '2026-11-20']);
      expect((await b.alertsFor({ name: '张主任', role: '领导' }, { limit: 1 })).total).toBe(3);
      expect((await b.alertsFor({ name: '终端' }, { limit: 10 })).total).toBe(3);
      await a.close();
      await b.close();
    });

    it('keeps reads per person and moves the mark when an alert comes or the person reads one', async () => {
      const { store } = await adapter.fresh();
      const c = await store.register(petition('alert-2'), folderFor);
      const id = c.created ? c.case.id : -1;
      const mark0 = await store.alertMark('张主任');
      const [alert] = await store.addAlerts([urgent(id)]);
      const mark1 = await store.alertMark('张主任');
      expect(mark1).not.toBe(mark0);
      expect(await store.alertMark('张主任')).toBe(mark1);
      expect(await store.markAlertRead(alert!.id, '张主任', new Date(at))).toBe(true);
      expect(await store.markAlertRead(alert!.id, '张主任', new Date(at))).toBe(false);
      expect(await store.alertMark('张主任')).not.toBe(mark1);
      // Another person's read does not move this person's mark.
      const mark2 = await store.alertMark('张主任');
      await store.markAlertRead(alert!.id, '王副主任', new Date(at));
      expect(await store.alertMark('张主任')).toBe(mark2);
      expect((await store.alertsFor({ name: '张主任', role: '领导' }, { unreadOnly: true, limit: 10 })).total).toBe(0);
      expect((await store.alertsFor({ name: '赵主任', role: '领导' }, { unreadOnly: true, limit: 10 })).total).toBe(1);
      expect((await store.alertById(alert!.id))!.readBy.map((r) => r.user)).toEqual(['张主任', '王副主任']);
      await store.close();
    });

    it('records who took charge once, with the history entry, and then no longer lists the alert as awaiting charge', async () => {
      const { store } = await adapter.fresh();
      const c = await store.register(petition('alert-3'), folderFor);
      const id = c.created ? c.case.id : -1;
      const [alert] = await store.addAlerts([urgent(id), overdue(id, '2026-11-20')]);
      const awaiting = await store.alertsFor({ name: '张主任', role: '领导' }, { awaitingCharge: true, limit: 10 });
      // Deadline alerts never await anyone's charge.
      expect(awaiting.alerts.map((x) => x.kind)).toEqual(['urgent']);
      const entry = { at, actor: '张主任', action: 'took-charge' as const, detail: '紧急来信提醒：由王副主任负责处置' };
      const taken = await store.takeCharge(awaiting.alerts[0]!.id, { person: '王副主任', note: '', by: '张主任', at }, entry);
      expect(taken).toMatchObject({ taken: true, alert: { charge: { person: '王副主任', by: '张主任', at } } });
      expect((await store.takeCharge(awaiting.alerts[0]!.id, { person: '别人', note: '', by: '王副主任', at }, { ...entry, actor: '王副主任' })).taken).toBe(false);
      expect((await store.alertsFor({ name: '张主任', role: '领导' }, { awaitingCharge: true, limit: 10 })).total).toBe(0);
      const history = await store.history(id);
      expect(history.filter((h) => h.action === 'took-charge').map((h) => h.actor)).toEqual(['张主任']);
      const head = await store.caseById(id);
      expect(checkCaseHistory(head.number, history, { hash: history.at(-1)!.hash, count: history.length }, head.status)).toEqual([]);
      expect(alert).toBeDefined();
      await store.close();
    });
  });
}
