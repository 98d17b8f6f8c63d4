import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { makeWorkspace, repoRoot } from '../helpers/workspace.js';

/** Another program using xinfang as a library, by its package name, as the CLI and the worker do. */
const program = `
import { openOffice, isXinfangError, problemText } from 'xinfang';
const office = await openOffice({ root: process.argv[1], background: 'none' });
const who = { name: '刘芳' };
const c = await office.cases.register(who, { channel: '来访', matter: '小区路灯不亮，请维修。', fields: { name: '王秀兰', phone: '13900000001' } });
await office.workflow.instruct(who, c, { leader: '张主任', text: '请物业办处理', handler: '李文' });
let refused = '';
try {
  await office.workflow.close(who, await office.cases.find(c.number));
} catch (e) {
  refused = isXinfangError(e) ? e.problem.code + '|' + problemText(e.problem) : String(e);
}
const found = await office.cases.find('1');
console.log(JSON.stringify({ number: found.number, status: found.status, history: found.history.map((h) => h.actor + ':' + h.action), refused }));
await office.close();
`;

describe('xinfang as a library', () => {
  it('opens a workspace by the package name and works through its services, with problems as data', async () => {
    const root = await makeWorkspace();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', program, root], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { number: string; status: string; history: string[]; refused: string };
    expect(out.number).toBe('八宝信〔2026〕1号');
    expect(out.status).toBe('instructed');
    expect(out.history).toEqual(['刘芳:registered', '刘芳:instructed']);
    expect(out.refused).toMatch(/^step-refused\|八宝信〔2026〕1号 现在的状态是“已批示”，须先受理并答复，或决定不予受理。$/);
  });
});
