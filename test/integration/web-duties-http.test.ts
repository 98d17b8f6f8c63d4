/** The ledger page in the browser shows a cadre's screening finding beside the cases' disputes (一岗双责). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Office } from '../../src/app.js';
import { buildWebServer } from '../../src/interfaces/web/server.js';
import { signedInVisitor } from '../helpers/visitor.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';

let office: Office;
let app: FastifyInstance;
beforeAll(async () => {
  const root = await makeWorkspace({ workflow: { blankSheets: false } });
  office = await officeAt(root, { clock: () => new Date('2026-12-09T02:00:00Z'), background: 'none' });
  await office.users.add({ name: '终端' }, { name: '王主任', role: '领导', password: 'xinfang-2026' });
  await office.duties.link({ name: '终端' }, { cadre: '张明', unit: '八宝建材公司', kind: '企业' });
  await office.duties.recordScreening({ name: '终端' }, { cadre: '张明', unit: '八宝建材公司', day: '2026-12-08', finding: { risk: '高', situation: '工人聚集讨薪苗头' } });
  app = await buildWebServer(office);
}, 60_000);
afterAll(async () => {
  await app.close();
  await office.close();
});

describe('the ledger page (web)', () => {
  it('lists the screening finding of the month for a leader', async () => {
    const v = await signedInVisitor(app, '王主任', 'xinfang-2026');
    const r = await v.get('/ledger?month=2026-12');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('工人聚集讨薪苗头');
    expect(r.body).toContain('八宝建材公司');
    const before = await v.get('/ledger?month=2026-11');
    expect(before.body).not.toContain('工人聚集讨薪苗头');
  });
});
