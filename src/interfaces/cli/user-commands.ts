import type { Command } from 'commander';
import { ROLES } from '../../domain/roles.js';
import { atDistrict, TERMINAL_ADMIN, UsageError, withDistrict, withOffice, type CliIo } from './session.js';

/** A password given on standard input (never as an argument, where other users of the PC could see it). */
export async function passwordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('请从标准输入给出密码，例如：echo 密码 | npx xinfang user add 李文 --role 登记员 --password-stdin');
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

export function addUserCommands(program: Command, io: CliIo): void {
  const user = program.command('user').description('管理网页的用户：添加、列出、停用、重设密码、改角色');

  user
    .command('add')
    .description(`添加用户（角色：${ROLES.join('、')}）`)
    .argument('<name>', '用户名（姓名）')
    .requiredOption('--role <角色>', ROLES.join('、'))
    .requiredOption('--password-stdin', '从标准输入读密码')
    .action(async (name: string, options: { role: string }) => {
      const password = await passwordFromStdin();
      // At a district's root: a district user, who reads every community.
      const added = atDistrict(io)
        ? await withDistrict(io, (district) => district.users.add(TERMINAL_ADMIN, { name, role: options.role, password }))
        : await withOffice(io, (office) => office.users.add(TERMINAL_ADMIN, { name, role: options.role, password }));
      io.print(io.json() ? added : `已添加${atDistrict(io) ? '街道（区）' : ''}用户 ${added.name}（${added.role}）。`);
    });

  user
    .command('list')
    .description('列出全部用户')
    .action(() =>
      (atDistrict(io) ? withDistrict(io, (d) => d.users.list(TERMINAL_ADMIN)) : withOffice(io, (office) => office.users.list(TERMINAL_ADMIN))).then((users) => {
        if (io.json()) return io.print(users);
        io.print(users.length ? users.map((u) => `${u.name}  ${u.role}${u.disabled ? '  （已停用）' : ''}`).join('\n') : '还没有用户。用 npx xinfang user add 姓名 --role 管理员 --password-stdin 添加第一位管理员。');
      }),
    );

  for (const [name, disabled, description] of [['disable', true, '停用用户（不能再登录）'], ['enable', false, '重新启用用户']] as const) {
    user
      .command(name)
      .description(description)
      .argument('<name>', '用户名')
      .action(async (who: string) => {
        const u = atDistrict(io)
          ? await withDistrict(io, (d) => d.users.setDisabled(TERMINAL_ADMIN, who, disabled))
          : await withOffice(io, (office) => office.users.setDisabled(TERMINAL_ADMIN, who, disabled));
        io.print(io.json() ? u : `${u.name} 已${disabled ? '停用' : '启用'}。`);
      });
  }

  user
    .command('password')
    .description('重设用户的密码')
    .argument('<name>', '用户名')
    .requiredOption('--password-stdin', '从标准输入读新密码')
    .action(async (who: string) => {
      const password = await passwordFromStdin();
      await withOffice(io, async (office) => {
        const u = await office.users.resetPassword(TERMINAL_ADMIN, who, password);
        io.print(io.json() ? u : `已重设 ${u.name} 的密码。`);
      });
    });

  user
    .command('role')
    .description('改变用户的角色')
    .argument('<name>', '用户名')
    .argument('<role>', ROLES.join('、'))
    .action((who: string, role: string) =>
      withOffice(io, async (office) => {
        const u = await office.users.setRole(TERMINAL_ADMIN, who, role);
        io.print(io.json() ? u : `${u.name} 现在是${u.role}。`);
      }),
    );
}
