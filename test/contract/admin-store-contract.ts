/**
 * What every store adapter must do for 管理 and the audit log: one list of its own entries, the
 * field edits and every case's history, newest first, filtered by person, case, kind and time and
 * paged with the total; every saved template text kept, newest first.
 */
import { describe, expect, it } from 'vitest';
import { flagsAfterChange } from '../../src/domain/flags.js';
import type { LetterFields } from '../../src/domain/fields.js';
import type { StoreAdapter } from './store-contract.js';
import { folderFor, petition } from './petitions.js';

export function adminStoreContract(name: string, adapter: StoreAdapter): void {
  describe(`the admin store contract: ${name}`, () => {
    it('lists views, edits, history and administration as one log, filtered and paged', async () => {
      const { store } = await adapter.fresh();
      const registered = async (p: ReturnType<typeof petition>) => {
        const r = await store.register(p, folderFor);
        if (!r.created) throw new Error('registered twice');
        return r.case;
      };
      const a = await registered(petition('a', { name: '王秀芝', phone: '13900000001' }));
      const b = await registered(petition('b', { name: '赵六' }));
      const flags = (fields: LetterFields, previous: readonly string[]) => flagsAfterChange(fields, previous, 5, false);
      await store.editFields(a.id, { name: '王秀兰' }, '刘芳', new Date('2026-11-04T01:00:00Z'), flags, { at: '2026-11-04T01:00:00.000Z', actor: '刘芳', action: 'corrected', detail: '更正信访人' });
      await store.addAudit({ at: '2026-11-05T01:00:00.000Z', actor: '刘芳', kind: 'view', caseId: a.id, detail: '身份证号、联系电话、住址' });
      await store.addAudit({ at: '2026-11-06T01:00:00.000Z', actor: '张主任', kind: 'view', caseId: b.id, detail: '身份证号、联系电话、住址' });
      await store.addAudit({ at: '2026-11-07T01:00:00.000Z', actor: '张管', kind: 'admin', caseId: null, detail: '添加用户 李文（经办人）' });

      const all = await store.auditLog({ limit: 100, offset: 0 });
      const registrations = all.rows.filter((r) => r.kind === 'history' && r.action === 'registered');
      expect(registrations.map((r) => r.caseNumber).sort()).toEqual([a.number, b.number].sort());
      expect(all.total).toBe(all.rows.length);
      expect(all.rows.slice(0, 3).map((r) => [r.kind, r.actor])).toEqual([
        ['admin', '张管'],
        ['view', '张主任'],
        ['view', '刘芳'],
      ]);
      // The edit and its history entry at the same instant, in either order.
      expect(all.rows.slice(3, 5).map((r) => `${r.kind} ${r.actor}`).sort()).toEqual(['edit 刘芳', 'history 刘芳']);
      const times = all.rows.map((r) => r.at);
      expect([...times].sort().reverse()).toEqual(times);

      const edit = (await store.auditLog({ kind: 'edit', limit: 10, offset: 0 })).rows;
      expect(edit).toEqual([{ at: '2026-11-04T01:00:00.000Z', actor: '刘芳', kind: 'edit', caseNumber: a.number, caseRef: `${a.year}-${a.seq}`, field: 'name', oldValue: '王秀芝', newValue: '王秀兰', action: null, detail: '' }]);
      expect((await store.auditLog({ actor: '刘芳', kind: 'view', limit: 10, offset: 0 })).rows.map((r) => r.caseNumber)).toEqual([a.number]);
      expect((await store.auditLog({ caseId: b.id, limit: 10, offset: 0 })).rows.map((r) => r.kind)).toEqual(['view', 'history']);
      const window = await store.auditLog({ from: '2026-11-05T00:00:00.000Z', to: '2026-11-07T00:00:00.000Z', limit: 10, offset: 0 });
      expect(window.rows.map((r) => r.actor)).toEqual(['张主任', '刘芳']);
      const paged = await store.auditLog({ limit: 2, offset: 2 });
      expect(paged.total).toBe(all.total);
      expect(paged.rows).toEqual(all.rows.slice(2, 4));
      expect((await store.auditLog({ actor: '没有这个人', limit: 10, offset: 0 })).total).toBe(0);
      await store.close();
    });

    it('keeps every saved template text, newest first, per kind', async () => {
      const { store } = await adapter.fresh();
      await store.addTemplateVersion({ type: '受理告知书', text: '第一版', by: '（原模板文件）', at: '2026-11-04T01:00:00.000Z' });
      const second = await store.addTemplateVersion({ type: '受理告知书', text: '第二版', by: '张管', at: '2026-11-04T02:00:00.000Z' });
      await store.addTemplateVersion({ type: '延期告知书', text: '别的', by: '张管', at: '2026-11-04T03:00:00.000Z' });
      const versions = await store.templateVersions('受理告知书');
      expect(versions.map((v) => [v.text, v.by])).toEqual([
        ['第二版', '张管'],
        ['第一版', '（原模板文件）'],
      ]);
      expect(versions[0]).toEqual(second);
      expect(await store.templateVersions('批办单')).toEqual([]);
      await store.close();
    });
  });
}
