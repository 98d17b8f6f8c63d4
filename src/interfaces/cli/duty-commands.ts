/**
 * Leaders' reception days (reception), 包案 (take-case) and cadres' duties for their linked units
 * (duty: 一岗双责) at the terminal. The administrator's terminal carries no role; names are given.
 */
import type { Command } from 'commander';
import { chineseDate, localDate } from '../../domain/calendar.js';
import { DUTY_UNIT_KINDS, RISK_LEVELS } from '../../domain/duties.js';
import { monthPeriod, type Period } from '../../domain/reports/periods.js';
import { TERMINAL_ADMIN, UsageError, actor, withOffice, type CliIo } from './session.js';

function monthOf(given: string | undefined, now: Date, timeZone: string): Period {
  return monthPeriod(given ?? localDate(now, timeZone).slice(0, 7));
}

export function addDutyCommands(program: Command, io: CliIo): void {
  const reception = program.command('reception').description('领导接访日：安排、列出、删除，生成公告（PDF 和 Word）');

  reception
    .command('add')
    .description('安排一个领导接访日')
    .requiredOption('--day <日期>', '接访日期，如 2026-12-10')
    .requiredOption('--leader <领导>', '接访领导')
    .requiredOption('--place <地点>', '接访地点')
    .requiredOption('--time <时间>', '接访时间，如 9:00—12:00')
    .action((o: { day: string; leader: string; place: string; time: string }) =>
      withOffice(io, async (office) => {
        const d = await office.duties.addReceptionDay(TERMINAL_ADMIN, o);
        io.print(io.json() ? d : `已安排第 ${d.id} 条：${chineseDate(d.day)} ${d.time}，${d.leader}在${d.place}接访。`);
      }),
    );

  reception
    .command('list')
    .description('列出一个月的领导接访日')
    .option('--month <月份>', '如 2026-12（默认：本月）')
    .action((o: { month?: string }) =>
      withOffice(io, async (office) => {
        const period = monthOf(o.month, office.clock(), office.settings.office.timezone);
        const days = await office.duties.receptionDays(period);
        if (io.json()) return io.print(days);
        io.print(days.length ? days.map((d) => `${d.id}  ${chineseDate(d.day)}  ${d.time}  ${d.leader}  ${d.place}`).join('\n') : `${period.label}还没有安排领导接访日。`);
      }),
    );

  reception
    .command('remove')
    .description('删除一条接访日安排')
    .argument('<序号>', 'reception list 列出的序号')
    .action((id: string) =>
      withOffice(io, async (office) => {
        const d = await office.duties.removeReceptionDay(TERMINAL_ADMIN, id);
        io.print(io.json() ? d : `已删除：${chineseDate(d.day)} ${d.leader}接访。`);
      }),
    );

  reception
    .command('notice')
    .description('生成一个月的领导接访日公告（PDF 和 Word），存到 archive/报表/，供张贴')
    .option('--month <月份>', '如 2026-12（默认：本月）')
    .action((o: { month?: string }) =>
      withOffice(io, async (office) => {
        const notice = await office.duties.receptionNotice(monthOf(o.month, office.clock(), office.settings.office.timezone));
        io.print(io.json() ? notice : [`${notice.period}领导接访日 ${notice.days.length} 个。`, ...notice.files.map((f) => `已生成：${f}`)].join('\n'));
      }),
    );

  program
    .command('take-case')
    .description('领导包案：由一位领导负责这个案件，写入案件、登记簿、台账和统计')
    .argument('<案件编号>', '如 八宝信〔2026〕7号、2026-7 或 7')
    .requiredOption('--leader <领导>', '包案领导')
    .option('--by <姓名>', '记录人（默认：设置里的 office.clerk）')
    .action((reference: string, o: { leader: string; by?: string }) =>
      withOffice(io, async (office) => {
        const c = await office.cases.find(reference);
        const updated = await office.duties.takeCase(actor(o.by, office), c, o.leader);
        io.print(io.json() ? { number: updated.number, caseLeader: updated.caseLeader } : `${updated.number} 由 ${updated.caseLeader?.leader} 包案。`);
      }),
    );

  const duty = program.command('duty').description('一岗双责：干部挂钩的单位和企业，每月排查（零报告），尚未排查的名单');

  duty
    .command('link')
    .description('登记干部挂钩的单位或企业')
    .argument('<干部>', '干部姓名')
    .argument('<单位>', '单位或企业名称')
    .option('--kind <类别>', DUTY_UNIT_KINDS.join('、'), '单位')
    .action((cadre: string, unit: string, o: { kind: string }) =>
      withOffice(io, async (office) => {
        const l = await office.duties.link(TERMINAL_ADMIN, { cadre, unit, kind: o.kind });
        io.print(io.json() ? l : l ? `已登记：${l.cadre} 挂钩${l.kind}“${l.unit}”。` : `${cadre} 已经挂钩“${unit}”，没有改动。`);
      }),
    );

  duty
    .command('unlink')
    .description('取消干部挂钩的单位或企业')
    .argument('<干部>', '干部姓名')
    .argument('<单位>', '单位或企业名称')
    .action((cadre: string, unit: string) =>
      withOffice(io, async (office) => {
        await office.duties.unlink(TERMINAL_ADMIN, cadre, unit);
        io.print(io.json() ? { cadre, unit, removed: true } : `已取消：${cadre} 不再挂钩“${unit}”。`);
      }),
    );

  duty
    .command('links')
    .description('列出各干部挂钩的单位和企业')
    .action(() =>
      withOffice(io, async (office) => {
        const links = await office.duties.links(TERMINAL_ADMIN);
        if (io.json()) return io.print(links);
        io.print(links.length ? links.map((l) => `${l.cadre}  ${l.kind}  ${l.unit}`).join('\n') : '还没有登记挂钩单位。可用 xinfang duty link 登记，或在设置 duties.links 中填写后运行 xinfang duty seed。');
      }),
    );

  duty
    .command('seed')
    .description('把设置 duties.links 中的挂钩单位登记进来（已有的不变）')
    .action(() =>
      withOffice(io, async (office) => {
        const added = await office.duties.seedLinks(TERMINAL_ADMIN);
        io.print(io.json() ? added : added.length ? `已从设置登记 ${added.length} 个挂钩单位或企业。` : '设置中的挂钩单位都已登记，没有改动。');
      }),
    );

  duty
    .command('screen')
    .description('登记一次排查：发现矛盾纠纷或风险的写入台账；没有发现的报零报告（--zero）')
    .argument('<干部>', '排查的干部')
    .argument('<单位>', '挂钩的单位或企业')
    .option('--day <日期>', '排查日期（默认：今天）')
    .option('--zero', '没有发现矛盾纠纷（零报告）')
    .option('--risk <等级>', `风险等级：${RISK_LEVELS.join('、')}`)
    .option('--type <类型>', '纠纷类型')
    .option('--parties <当事人>', '当事人')
    .option('--situation <情况>', '基本情况')
    .option('--measures <措施>', '化解措施')
    .option('--deadline <时限>', '化解时限')
    .option('--responsible <责任人>', '责任人')
    .option('--by <姓名>', '记录人（默认：排查的干部本人）')
    .action((cadre: string, unit: string, o: Record<string, string | boolean | undefined>) =>
      withOffice(io, async (office) => {
        const found = ['risk', 'type', 'parties', 'situation', 'measures', 'deadline', 'responsible'].some((k) => o[k] !== undefined);
        if (o.zero && found) throw new UsageError('--zero（零报告）和 --risk、--situation 等发现的情况只能选一种。');
        if (!o.zero && !found) throw new UsageError('请写明发现的情况（--risk 等级 --situation 情况），或用 --zero 报零报告。');
        const text = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
        const s = await office.duties.recordScreening(actor(text('by') ?? cadre, office), {
          cadre,
          unit,
          day: text('day'),
          finding: o.zero ? null : { risk: text('risk'), type: text('type'), parties: text('parties'), situation: text('situation'), measures: text('measures'), deadline: text('deadline'), responsible: text('responsible') },
        });
        io.print(io.json() ? s : s.finding ? `已登记 ${s.cadre} ${chineseDate(s.day)}排查“${s.unit}”：发现${s.finding.risk}风险，已列入台账。` : `已登记 ${s.cadre} ${chineseDate(s.day)}排查“${s.unit}”：零报告。`);
      }),
    );

  duty
    .command('pending')
    .description('尚未排查的名单：本月每个挂钩单位至少排查一次，敏感时期每日排查')
    .option('--month <月份>', '如 2026-10（默认：本月）')
    .action((o: { month?: string }) =>
      withOffice(io, async (office) => {
        const period = monthOf(o.month, office.clock(), office.settings.office.timezone);
        const { due } = await office.duties.screeningState(null, period);
        if (io.json()) return io.print({ period: period.label, ...due });
        const lines = [due.month.length ? `${period.label}尚未排查：${due.month.map((m) => `${m.cadre}：${m.unit}`).join('；')}。` : `${period.label}各挂钩单位和企业均已排查。`];
        for (const d of due.days) lines.push(d.missing.length ? `${chineseDate(d.day)}（${d.period}，每日排查）尚未排查：${d.missing.map((m) => `${m.cadre}：${m.unit}`).join('；')}。` : `${chineseDate(d.day)}（${d.period}，每日排查）均已排查。`);
        io.print(lines.join('\n'));
      }),
    );
}
