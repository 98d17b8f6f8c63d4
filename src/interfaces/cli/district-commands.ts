/**
 * The district's commands, run at a district's root (--root <街道>): its communities, and the
 * statistics, search and verify across them (stats-commands, case-commands and workflow-commands
 * hand over to these there). A community's own work is done at its folder:
 * --root <街道>/communities/<代码>.
 */
import type { Command } from 'commander';
import { systemClock } from '../../adapters/system/clock.js';
import type { Actor } from '../../domain/case.js';
import type { Period } from '../../domain/reports/periods.js';
import { fail } from '../../domain/problems.js';
import type { District } from '../../district.js';
import type { DistrictActor, DistrictFigures } from '../../ports/district.js';
import { TERMINAL_ADMIN, UsageError, withDistrict, type CliIo } from './session.js';
import { caseDetailJson, caseText, fileProblemText, problemText } from './views.js';

export function addDistrictCommands(program: Command, io: CliIo): void {
  const community = program.command('community').description('街道（区）的社区：添加、列出（在街道的工作区运行）');

  community
    .command('add')
    .description('添加社区：建立社区的文件夹（communities/代码/）、设置文件和数据库中的社区登记簿')
    .argument('<代码>', '社区代码：小写英文字母和数字，以字母开头，如 babao')
    .argument('<名称>', '社区名称，如 八宝社区')
    .action((code: string, name: string) =>
      withDistrict(io, async (district) => {
        const added = await district.addCommunity(TERMINAL_ADMIN, { code, name });
        io.print(
          io.json()
            ? added
            : [
                `已添加社区：${added.name}（${added.code}）`,
                `文件夹：${added.root}`,
                `本社区与街道不同的设置写在 ${added.root}/pipeline/settings.yaml，本社区自己的文书模板放在 ${added.root}/templates/。`,
                `本社区的工作用 --root ${added.root} 运行，例如：npx xinfang --root ${added.root} user add 姓名 --role 管理员 --password-stdin`,
              ].join('\n'),
        );
      }),
    );

  community
    .command('list')
    .description('列出街道（区）的全部社区')
    .action(() =>
      withDistrict(io, (district) => {
        const all = district.communities();
        if (io.json()) return io.print(all);
        io.print(all.length ? all.map((c) => `${c.code}  ${c.name}  ${c.root}`).join('\n') : '还没有社区。用 npx xinfang community add 代码 名称 添加。');
      }),
    );
}

/** `stats` at a district's root: the sum over the communities, then each community's. */
export async function districtStats(io: CliIo, periodOf: (now: Date, timeZone: string) => Period): Promise<void> {
  await withDistrict(io, async (district) => {
    const period = periodOf(systemClock(), district.settings.office.timezone);
    const stats = await district.stats(TERMINAL_ADMIN, period);
    if (io.json()) return io.print(stats);
    io.print(
      [
        `${stats.period.label}，全街道（区）${stats.communities.length} 个社区：`,
        ...figuresText('合计', stats.total),
        ...stats.communities.flatMap((c) => figuresText(c.name, c.figures)),
      ].join('\n'),
    );
  });
}

function figuresText(title: string, f: DistrictFigures): string[] {
  const list = (rows: { name: string; count: number }[]) => rows.filter((r) => r.count > 0).map((r) => `${r.name} ${r.count}`).join('，') || '无';
  return [
    `【${title}】共 ${f.total} 件`,
    `  按类别：${list(f.byCategory)}`,
    `  按渠道：${list(f.byChannel)}`,
    `  按状态：${list(f.byStatus)}`,
    `  初信初访 ${f.firstPetitions.total} 件，已办结 ${f.firstPetitions.closed} 件；已答复 ${f.onTime.answered} 件（按期 ${f.onTime.onTime}，超期 ${f.onTime.late}）；超期未办结 ${f.overdue} 件`,
    `  集体访 ${f.group} 件，紧急 ${f.urgent} 件，退回交办单位 ${f.returned} 件`,
  ];
}

/** `search` at a district's root: every community's hits, each with its community. */
export async function districtSearch(io: CliIo, text: string, limit: number): Promise<void> {
  await withDistrict(io, async (district) => {
    const hits = await district.search(TERMINAL_ADMIN, text, limit);
    if (io.json()) return io.print(hits.map((h) => ({ community: h.community, number: h.case.number, snippet: h.snippet })));
    io.print(hits.length === 0 ? `各社区都没有找到含“${text}”的案件。` : [`找到 ${hits.length} 件：`, ...hits.map((h) => `${h.communityName}  ${h.case.number}  ${h.snippet}`)].join('\n'));
  });
}

/** `verify` at a district's root: every community's chains and files; exit 1 when any is not clean. */
export async function districtVerify(io: CliIo): Promise<void> {
  await withDistrict(io, async (district) => {
    const v = await district.verify(TERMINAL_ADMIN);
    const count = v.communities.reduce((n, c) => n + c.verification.problems.length + c.verification.fileProblems.length, 0);
    if (io.json()) io.print(v);
    else {
      const lines = v.communities.flatMap(({ name, verification: r }) => {
        const n = r.problems.length + r.fileProblems.length;
        if (n === 0) return [`${name}：${r.files} 个文件与登记一致，${r.cases} 个案件的办理记录完整。`];
        return [`${name}：发现 ${n} 处问题：`, ...r.fileProblems.map((p) => `  ${fileProblemText(p)}`), ...r.problems.map((p) => `  ${problemText(p)}`)];
      });
      io.print([...lines, count === 0 ? `全街道（区）${v.communities.length} 个社区核验完毕，没有问题。` : `共 ${count} 处问题，请立即报告管理员，并从备份中核对。`].join('\n'));
    }
    if (count) fail({ code: 'verify-failed', count });
  });
}

/**
 * `show <编号> --community <代码>` at a district's root, for a person (--as 姓名@社区代码, or --as
 * 姓名 for a district user; the password from standard input): the case as that person may see
 * it. A community's user asking for another community's case is refused (other-community).
 */
export async function districtShow(io: CliIo, reference: string, options: { community?: string; as?: string; passwordStdin?: boolean }, password: () => Promise<string>): Promise<void> {
  if (options.as && !options.passwordStdin) throw new UsageError('用 --as 以某位用户的身份查看时，要加 --password-stdin，从标准输入给出这位用户的密码。');
  if (!options.community) throw new UsageError('在街道（区）的工作区查看案件，要用 --community 代码 写明是哪个社区的案件（用 xinfang community list 查看代码）。');
  await withDistrict(io, async (district) => {
    const who = options.as ? await signedIn(district, options.as, await password()) : TERMINAL_ADMIN;
    const office = await district.officeAs({ community: null, ...who }, options.community!);
    const found = await office.cases.findFor(who, reference);
    io.print(io.json() ? { community: options.community, ...caseDetailJson(found, office.settings, office.clock()) } : `${office.community?.name ?? ''}\n${caseText(found, office.settings, office.clock())}`);
  });
}

async function signedIn(district: District, as: string, password: string): Promise<DistrictActor | Actor> {
  const [name, community] = as.split('@') as [string, string?];
  const user = await district.signIn(community?.trim() || null, name.trim(), password);
  return { name: user.name, role: user.role, community: user.community };
}
