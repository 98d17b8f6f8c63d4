import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/workspace.js';

describe('npm run demo', () => {
  it('shows the whole product on a few letters and says where every output is', () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'tools', 'demo', 'run.js')], { encoding: 'utf8', env: { ...process.env, DEMO_LETTERS: '4' }, timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const root = /演示工作区：(.+)/.exec(r.stdout)![1]!.trim();
    try {
      expect(r.stdout).toContain('已登记 八宝信〔');
      expect(r.stdout).toContain('核验完毕');
      expect(r.stdout).toContain('演示完成');
      const year = readdirSync(path.join(root, 'archive')).find((d) => /^\d{4}$/.test(d))!;
      expect(readdirSync(path.join(root, 'archive', year, '年度案卷')).some((f) => f.endsWith('.pdf'))).toBe(true);
      expect(readdirSync(path.join(root, 'archive', '登记簿')).some((f) => f.endsWith('.pdf'))).toBe(true);
      const reports = readdirSync(path.join(root, 'archive', '报表'));
      expect(reports.some((f) => f.startsWith('信访统计报告') && f.endsWith('.pdf'))).toBe(true);
      expect(reports.some((f) => f.startsWith('矛盾纠纷排查台账') && f.endsWith('.docx'))).toBe(true);
      const caseFolder = path.join(root, 'archive', year, readdirSync(path.join(root, 'archive', year)).find((d) => d.endsWith('1号'))!);
      expect(readdirSync(caseFolder).some((f) => f.startsWith('案卷_'))).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 300_000);
});
