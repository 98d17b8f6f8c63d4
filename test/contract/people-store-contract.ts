/**
 * What every store adapter must do for the people who sign in (users, failed sign-ins, sessions)
 * and for leaders' and cadres' duties (reception days, 包案, linked units, screenings). Run by
 * each adapter's test file beside the other suites.
 */
import { describe, expect, it } from 'vitest';
import { checkCaseHistory } from '../../src/domain/history.js';
import type { ScreeningFinding } from '../../src/domain/duties.js';
import type { StoreAdapter } from './store-contract.js';
import { folderFor, petition } from './petitions.js';

const at = '2026-12-01T02:00:00.000Z';

export function peopleStoreContract(name: string, adapter: StoreAdapter): void {
  describe(`users and duties store contract: ${name}`, () => {
    it('keeps users by a unique name, changes their role, state and password, and is seen from another connection', async () => {
      const { store, target } = await adapter.fresh();
      const liu = await store.addUser({ name: '刘芳', role: '登记员', passwordHash: 'h1', createdAt: at });
      expect(liu).toEqual({ id: liu!.id, name: '刘芳', role: '登记员', passwordHash: 'h1', disabled: false, createdAt: at });
      expect(await store.addUser({ name: '刘芳', role: '领导', passwordHash: 'h2', createdAt: at })).toBeNull();
      const zhang = await store.addUser({ name: '张主任', role: '领导', passwordHash: 'h3', createdAt: at });
      const other = await adapter.connect(target);
      expect((await other.listUsers()).map((u) => u.name)).toEqual(['刘芳', '张主任']);
      expect(await other.updateUser(liu!.id, { role: '档案员', disabled: true })).toMatchObject({ role: '档案员', disabled: true, passwordHash: 'h1' });
      expect(await store.updateUser(liu!.id, { disabled: false, passwordHash: 'h4' })).toMatchObject({ role: '档案员', disabled: false, passwordHash: 'h4' });
      expect(await store.updateUser(zhang!.id, {})).toEqual(zhang);
      expect((await store.userByName('张主任'))?.id).toBe(zhang!.id);
      expect((await store.userById(liu!.id))?.name).toBe('刘芳');
      expect(await store.userByName('没有这个人')).toBeUndefined();
      expect(await store.userById(9_999)).toBeUndefined();
      await other.close();
      await store.close();
    });

    it('counts failed sign-ins per name until cleared, and keeps sessions until they end or expire', async () => {
      const { store, target } = await adapter.fresh();
      const other = await adapter.connect(target);
      expect(await store.signInFailures('刘芳')).toBeUndefined();
      expect(await store.recordSignInFailure('刘芳', new Date('2026-12-01T02:00:00Z'))).toBe(1);
      expect(await other.recordSignInFailure('刘芳', new Date('2026-12-01T02:01:00Z'))).toBe(2);
      expect(await store.signInFailures('刘芳')).toEqual({ count: 2, last: '2026-12-01T02:01:00.000Z' });
      await other.clearSignInFailures('刘芳');
      expect(await store.signInFailures('刘芳')).toBeUndefined();

      await store.saveSession('s1', '{"user":1}', new Date('2026-12-01T03:00:00Z'));
      await store.saveSession('s2', '{"user":2}', new Date('2026-12-01T05:00:00Z'));
      await other.saveSession('s1', '{"user":1,"seen":2}', new Date('2026-12-01T04:00:00Z'));
      expect(await store.session('s1')).toEqual({ data: '{"user":1,"seen":2}', expiresAt: '2026-12-01T04:00:00.000Z' });
      expect(await store.deleteExpiredSessions(new Date('2026-12-01T04:00:00Z'))).toBe(1);
      expect(await store.session('s1')).toBeUndefined();
      await store.deleteSession('s2');
      expect(await other.session('s2')).toBeUndefined();
      await other.close();
      await store.close();
    });

    it('keeps reception days in day order, removes one, and names a case\'s leader in charge with its history entry', async () => {
      const { store } = await adapter.fresh();
      const later = await store.addReceptionDay({ day: '2026-12-15', leader: '张主任', place: '社区接待室', time: '09:00—12:00', by: '刘芳', at });
      const first = await store.addReceptionDay({ day: '2026-12-08', leader: '王副主任', place: '社区接待室', time: '14:00—17:00', by: '刘芳', at });
      await store.addReceptionDay({ day: '2027-01-05', leader: '张主任', place: '社区接待室', time: '09:00—12:00', by: '刘芳', at });
      expect((await store.receptionDays('2026-12-01', '2026-12-31')).map((d) => d.id)).toEqual([first.id, later.id]);
      expect(await store.removeReceptionDay(first.id)).toEqual(first);
      expect(await store.removeReceptionDay(first.id)).toBeUndefined();
      expect((await store.receptionDays('2026-12-08', '2026-12-15')).map((d) => d.leader)).toEqual(['张主任']);

      const r = await store.register(petition('leader'), folderFor);
      const c = r.created ? r.case : r.existing;
      const entry = { at, actor: '张主任', action: 'leader-took-case' as const, detail: '包案领导：张主任' };
      const led = await store.setCaseLeader(c.id, { leader: '张主任', by: '张主任', at }, entry);
      expect(led.caseLeader).toEqual({ leader: '张主任', by: '张主任', at });
      const history = await store.history(c.id);
      expect(history.map((h) => h.action)).toEqual(['registered', 'leader-took-case']);
      expect(checkCaseHistory(led.number, history, { hash: history.at(-1)!.hash, count: history.length }, led.status)).toEqual([]);
      await store.close();
    });

    it('links a cadre to a unit once, and keeps screenings with their finding or as a zero report, in day order', async () => {
      const { store } = await adapter.fresh();
      const link = await store.addDutyLink({ cadre: '张明', unit: '幸福里物业', kind: '单位', by: '管理员', at });
      expect(link).toMatchObject({ cadre: '张明', unit: '幸福里物业', kind: '单位' });
      expect(await store.addDutyLink({ cadre: '张明', unit: '幸福里物业', kind: '企业', by: '管理员', at })).toBeNull();
      await store.addDutyLink({ cadre: '李强', unit: '东方商贸', kind: '企业', by: '管理员', at });
      await store.addDutyLink({ cadre: '张明', unit: '光明小学', kind: '单位', by: '管理员', at });
      expect((await store.dutyLinks()).map((l) => `${l.cadre} ${l.unit}`)).toEqual(['张明 幸福里物业', '张明 光明小学', '李强 东方商贸']);
      // By cadre in code-point order (张 U+5F20 before 李 U+674E), whatever the database's locale, then as linked.
      expect(await store.removeDutyLink('张明', '光明小学')).toBe(true);
      expect(await store.removeDutyLink('张明', '光明小学')).toBe(false);

      const finding: ScreeningFinding = { type: '物业纠纷', parties: '业主与物业', situation: '电梯停运', risk: '中', measures: '约谈物业', deadline: '2026-12-20', responsible: '张明' };
      const found = await store.addScreening({ cadre: '张明', unit: '幸福里物业', day: '2026-12-10', finding, by: '张明', at });
      const zero = await store.addScreening({ cadre: '李强', unit: '东方商贸', day: '2026-12-03', finding: null, by: '李强', at });
      expect(await store.screenings('2026-12-01', '2026-12-31')).toEqual([zero, found]);
      expect(await store.screenings('2026-12-04', '2026-12-10')).toEqual([found]);
      await store.close();
    });
  });
}
