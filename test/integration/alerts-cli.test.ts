/** `xinfang alerts` through the compiled CLI: the list, a person's unread alerts, and the deadline check once. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { cliPath, makeWorkspace } from '../helpers/workspace.js';

describe('xinfang alerts', () => {
  it('lists the alerts, checks deadlines once on --check without raising any twice, and lists for one user', async () => {
    const root = await makeWorkspace({ workflow: { blankSheets: false } });
    const at = (day: string) => ({ XINFANG_NOW: `${day}T10:00:00+08:00` });
    const cli = (day: string, ...args: string[]) => runCli(['--root', root, ...args], at(day));
    for (const [name, role] of [['张主任', '领导'], ['李文', '经办人']]) {
      const r = spawnSync(process.execPath, [cliPath, '--root', root, 'user', 'add', name!, '--role', role!, '--password-stdin'], { input: 'xinfang-2026\n', encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    expect(cli('2026-11-03', 'register', '--channel', '来访', '--matter', '拖欠工资半年，再不给就去北京上访。', '--name', '刘志强').status).toBe(0);
    const listed = cli('2026-11-03', 'alerts');
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/#1 .*紧急来信 {2}八宝信〔2026〕1号（刘志强）含紧急情况用语“去北京”/);
    expect(listed.stdout).toContain('共 1 条。');

    // Fifteen days to tell the petitioner: three days before, the check tells every leader once.
    const early = cli('2026-11-10', 'alerts', '--check');
    expect(early.stdout).toContain('新提醒 0 条');
    const soon = cli('2026-11-15', 'alerts', '--check');
    expect(soon.stdout).toContain('新提醒 1 条');
    expect(soon.stdout).toContain('期限将到  八宝信〔2026〕1号（刘志强）须于 2026年11月18日前告知是否受理，期限将到。');
    expect(cli('2026-11-16', 'alerts', '--check').stdout).toContain('新提醒 0 条');
    const late = JSON.parse(cli('2026-11-19', '--json', 'alerts', '--check').stdout) as { raised: number[]; total: number; alerts: { kind: string }[] };
    expect(late.raised).toHaveLength(1);
    expect(late.alerts.map((a) => a.kind)).toEqual(['overdue', 'due-soon', 'urgent']);
    // Before any instruction the deadline is every leader's; a handler has none.
    expect(cli('2026-11-19', 'alerts', '--user', '李文').stdout).toContain('没有提醒。');
    expect(cli('2026-11-19', 'alerts', '--user', '张主任', '--unread').stdout).toContain('共 3 条。');
    const unknown = cli('2026-11-19', 'alerts', '--user', '无此人');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('没有用户“无此人”');
  });
});
