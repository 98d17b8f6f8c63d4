import type { Command } from 'commander';
import type { Alert } from '../../domain/alerts.js';
import type { Actor } from '../../domain/case.js';
import { fail } from '../../domain/problems.js';
import { ALERT_KIND_LABEL, alertText } from '../../domain/words.js';
import { TERMINAL_ADMIN, withOffice, type CliIo } from './session.js';

export function addAlertCommands(program: Command, io: CliIo): void {
  program
    .command('alerts')
    .description('列出提醒（紧急来信、集体访/联名信、期限将到、已超期）；--check 立即检查一次办理期限')
    .option('--check', '先检查全部在办案件的期限，补上应有的提醒（已有的不重复）')
    .option('--user <姓名>', '只列出给这位用户的提醒')
    .option('--unread', '只列出这位用户没有标为已读的（与 --user 一起用）')
    .action((options: { check?: boolean; user?: string; unread?: boolean }) =>
      withOffice(io, async (office) => {
        const raised = options.check ? await office.alerts.check() : [];
        // The hooks of what the check raised run before the command ends.
        await office.alerts.idle();
        let reader: Actor = TERMINAL_ADMIN;
        if (options.user) {
          const user = (await office.users.list(TERMINAL_ADMIN)).find((u) => u.name === options.user) ?? fail({ code: 'unknown-user', name: options.user });
          reader = { name: user.name, role: user.role };
        }
        const { alerts, total } = await office.alerts.list(reader, { unreadOnly: Boolean(options.unread && options.user), limit: 1_000 });
        if (io.json()) return io.print({ raised: raised.map((a) => a.id), total, alerts });
        const lines = [
          ...(options.check ? [`已检查办理期限：新提醒 ${raised.length} 条。`] : []),
          ...alerts.map((a) => line(a, office.settings.office.timezone)),
          alerts.length ? `共 ${total} 条${total > alerts.length ? `，只列出最近的 ${alerts.length} 条` : ''}。` : '没有提醒。',
        ];
        io.print(lines.join('\n'));
      }),
    );
}

function line(a: Alert, tz: string): string {
  const at = new Date(a.createdAt).toLocaleString('zh-CN', { timeZone: tz, hour12: false });
  const charge = a.charge ? `  由${a.charge.person}负责（${a.charge.by} 记录）` : '';
  const read = a.readBy.length ? `  已读：${a.readBy.map((r) => r.user).join('、')}` : '';
  return `#${a.id}  ${at}  ${ALERT_KIND_LABEL[a.kind]}  ${alertText(a)}${charge}${read}`;
}
