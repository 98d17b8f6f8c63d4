/**
 * migrate: a community's SQLite archive moved into the PostgreSQL registry of the workspace
 * --root names (its settings' store.postgres), then checked: every table's rows, every file's
 * fingerprint, every history chain, the numbering counters. Safe to run again.
 */
import type { Command } from 'commander';
import { migrateArchive } from '../../app.js';
import { fail } from '../../domain/problems.js';
import type { MigrationReport } from '../../services/migrate.js';
import { fileProblemText, problemText } from './views.js';
import type { CliIo } from './session.js';

const mark = (ok: boolean) => (ok ? '一致' : '不一致');

/** What each table holds, in the office's words (the table's own name beside it, for the technician). */
const TABLE_LABEL: Record<string, string> = {
  cases: '案件', pages: '识别的页', documents: '文书和文件', field_edits: '登记字段的更正', history: '办理记录', line_corrections: '识别文字的更正',
  volumes: '年度案卷', counters: '编号计数', users: '网页用户', uploads: '网页上传记录', sign_reports: '信息员报告', alerts: '提醒',
  alert_recipients: '提醒对象', alert_reads: '提醒的阅读记录', template_versions: '模板的版本', audit: '审计记录', reception_days: '领导接访日',
  duty_links: '挂钩单位', screenings: '排查记录', duty_roster: '值班表', contacts: '通讯录',
};

function counterLabel(name: string): string {
  if (name === 'case') return '案件编号';
  if (name === 'sign') return '信息员报告编号';
  if (name.startsWith('binding:')) return `档号（保管期限 ${name.slice('binding:'.length)}）`;
  return name;
}

function reportLines(r: MigrationReport): string[] {
  const v = r.verification;
  const lines = [
    r.outcome === 'moved' ? '已把社区的登记簿搬进数据库。核对结果：' : '数据库里已有这个社区登记簿的全部内容，这次登记簿没有改动。核对结果：',
    '  各表的行数（原登记簿 → 数据库）：',
    ...r.tables.map((t) => `    ${TABLE_LABEL[t.table] ?? t.table}（${t.table}）：${t.source} → ${t.target}，${mark(t.same)}`),
    r.files.sameFolder
      ? `  文件：${r.files.total} 个，源和目标是同一个工作区，文件原地不动`
      : `  文件：${r.files.total} 个，这次复制 ${r.files.copied} 个，已在目标文件夹 ${r.files.inPlace} 个`,
    `  核验目标档案：${v.files} 个文件的指纹与登记一致${v.fileProblems.length ? `，另有 ${v.fileProblems.length} 处问题` : ''}；${v.cases} 个案件的办理记录${v.problems.length ? `有 ${v.problems.length} 处问题` : '完整'}`,
    ...v.fileProblems.map((p) => `    ${fileProblemText(p)}`),
    ...v.problems.map((p) => `    ${problemText(p)}`),
    '  编号计数（下一个号）：',
    ...r.counters.map((c) => `    ${counterLabel(c.name)} ${c.year} 年：${c.source ?? '无'} → ${c.target ?? '无'}，${mark(c.source === c.target)}`),
  ];
  if (r.ok) lines.push(r.outcome === 'moved' ? '全部一致。以后请在设有 store.postgres 的工作区登记和办理；原工作区的登记簿留作备份，不要再在那里登记。' : '全部一致，可以放心使用。');
  return lines;
}

function failures(r: MigrationReport): number {
  return r.tables.filter((t) => !t.same).length + r.counters.filter((c) => c.source !== c.target).length + r.verification.problems.length + r.verification.fileProblems.length;
}

export function addMigrateCommand(program: Command, io: CliIo): void {
  program
    .command('migrate')
    .description('把一个社区的登记簿（SQLite）和档案文件搬进本工作区设置的 PostgreSQL 数据库（store.postgres），搬完核对；可以重复运行')
    .requiredOption('--from <文件夹>', '社区原来的工作区（含 archive/registry.sqlite）')
    .action(async (options: { from: string }) => {
      const report = await migrateArchive({ root: io.root(), from: options.from });
      if (io.json()) io.print(report);
      else io.print(reportLines(report).join('\n'));
      if (!report.ok) fail({ code: 'migrate-check-failed', count: failures(report) });
    });
}
