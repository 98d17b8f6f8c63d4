/**
 * Informants' reports of early signs (sign-report: 苗头信息), the leading group's duty roster
 * (roster: 值班表) and contact list (contact: 通讯录) at the terminal. The administrator's terminal
 * carries no role; who recorded each thing is given with --by (default office.clerk).
 */
import type { Command } from 'commander';
import { chineseDate, localDate } from '../../domain/calendar.js';
import { monthPeriod, type Period } from '../../domain/reports/periods.js';
import { onDutyText } from '../../domain/roster.js';
import { SIGN_STATUS_LABEL, type SignReport, type SignStatus } from '../../domain/signs.js';
import { TERMINAL_ADMIN, UsageError, actor, withOffice, type CliIo } from './session.js';

const STATUS_BY_WORD: Record<string, SignStatus> = { open: 'open', 待处置: 'open', case: 'case', 已转为案件: 'case', closed: 'closed', 已办结: 'closed' };

function monthOf(given: string | undefined, now: Date, timeZone: string): Period {
  return monthPeriod(given ?? localDate(now, timeZone).slice(0, 7));
}

function signLines(s: SignReport, timeZone: string): string[] {
  const time = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone, hour12: false });
  return [
    `${s.number}（${SIGN_STATUS_LABEL[s.status]}）`,
    `  地点：${s.place}`,
    `  涉及人员：${s.people}`,
    `  苗头情况：${s.matter}`,
    `  风险等级：${s.risk}`,
    `  报告人：${s.reporter}（${s.source === '信息员' ? '信息员报告' : '电话报告'}），${time(s.reportedAt)}`,
    `  记录人：${s.by}，${time(s.at)}`,
    ...(s.caseNumber ? [`  转为案件：${s.caseNumber}`] : []),
    ...(s.status !== 'open' ? [`  处置情况：${s.outcome ?? ''}（${s.closedBy ?? ''}，${s.closedAt ? time(s.closedAt) : ''}）`] : []),
  ];
}

export function addSignCommands(program: Command, io: CliIo): void {
  const sign = program.command('sign-report').description('信息员报告的苗头信息：登记、列出、查看、转为案件、办结');

  sign
    .command('add')
    .description('登记一条苗头信息（单独编号，列入排查台账，立即提醒领导）')
    .requiredOption('--place <地点>', '发生地点或单位')
    .requiredOption('--people <人员>', '涉及人员')
    .requiredOption('--matter <情况>', '正在酝酿的苗头情况')
    .requiredOption('--risk <等级>', '风险等级（设置 signs.riskLevels，默认 低、中、高）')
    .requiredOption('--reporter <信息员>', '报告的信息员')
    .option('--at <时间>', '报告时间，如 2026-12-02 09:30（默认：现在）')
    .option('--by <姓名>', '记录人（默认：设置里的 office.clerk）')
    .action((o: { place: string; people: string; matter: string; risk: string; reporter: string; at?: string; by?: string }) =>
      withOffice(io, async (office) => {
        const s = await office.signs.report(actor(o.by, office), { place: o.place, people: o.people, matter: o.matter, risk: o.risk, reporter: o.reporter, reportedAt: o.at });
        await office.alerts.idle();
        io.print(io.json() ? s : `已登记 ${s.number}（风险${s.risk}），已提醒领导。`);
      }),
    );

  sign
    .command('list')
    .description('列出苗头信息，新的在前')
    .option('--status <状态>', '待处置（open）、已转为案件（case）或 已办结（closed）')
    .action((o: { status?: string }) =>
      withOffice(io, async (office) => {
        const status = o.status === undefined ? undefined : STATUS_BY_WORD[o.status.trim()];
        if (o.status !== undefined && !status) throw new UsageError(`状态“${o.status}”不对，只能是 待处置、已转为案件、已办结 之一。`);
        const signs = await office.signs.list(TERMINAL_ADMIN, { status });
        if (io.json()) return io.print(signs);
        const tz = office.settings.office.timezone;
        io.print(signs.length ? signs.map((s) => `${s.number}  ${SIGN_STATUS_LABEL[s.status]}  风险${s.risk}  ${localDate(s.reportedAt, tz)}  ${s.place}：${s.matter}（${s.reporter}）`).join('\n') : '没有苗头信息。');
      }),
    );

  sign
    .command('show')
    .description('查看一条苗头信息')
    .argument('<编号>', '如 八宝信息〔2026〕3号、2026-3 或 3')
    .action((reference: string) =>
      withOffice(io, async (office) => {
        const s = await office.signs.find(TERMINAL_ADMIN, reference);
        io.print(io.json() ? s : signLines(s, office.settings.office.timezone).join('\n'));
      }),
    );

  sign
    .command('to-case')
    .description('把苗头信息转为信访案件（按来访电话登记，案件注明来自哪条信息）')
    .argument('<编号>', '如 八宝信息〔2026〕3号、2026-3 或 3')
    .option('--channel <渠道>', '登记渠道（默认：电话）')
    .option('--name <信访人>', '信访人姓名')
    .option('--phone <电话>', '信访人电话')
    .option('--by <姓名>', '登记人（默认：设置里的 office.clerk）')
    .action((reference: string, o: { channel?: string; name?: string; phone?: string; by?: string }) =>
      withOffice(io, async (office) => {
        const done = await office.signs.toCase(actor(o.by, office), reference, o);
        await office.alerts.idle();
        io.print(io.json() ? { sign: done.sign, case: { number: done.case.number, id: done.case.id } } : `${done.sign.number} 已转为信访案件 ${done.case.number}。`);
      }),
    );

  sign
    .command('close')
    .description('办结苗头信息，写明做了什么')
    .argument('<编号>', '如 八宝信息〔2026〕3号、2026-3 或 3')
    .requiredOption('--done <处置情况>', '做了什么，如 "社区已约谈双方，矛盾已化解"')
    .option('--by <姓名>', '办结人（默认：设置里的 office.clerk）')
    .action((reference: string, o: { done: string; by?: string }) =>
      withOffice(io, async (office) => {
        const s = await office.signs.close(actor(o.by, office), reference, o.done);
        io.print(io.json() ? s : `${s.number} 已办结：${s.outcome}`);
      }),
    );

  const roster = program.command('roster').description('领导小组值班表：安排、列出、删除、今天谁值班、打印（PDF 和 Word）');

  roster
    .command('set')
    .description('安排某天的值班人员（同一天同一人再写一次即改电话、职务）')
    .requiredOption('--day <日期>', '如 2026-12-10')
    .requiredOption('--person <姓名>', '值班人员')
    .option('--phone <电话>', '值班电话（不写则用通讯录中的第一个电话）')
    .option('--post <职务>', '如 带班领导、值班员')
    .option('--by <姓名>', '记录人（默认：设置里的 office.clerk）')
    .action((o: { day: string; person: string; phone?: string; post?: string; by?: string }) =>
      withOffice(io, async (office) => {
        const s = await office.roster.setShift(actor(o.by, office), o);
        io.print(io.json() ? s : `已安排第 ${s.id} 条：${chineseDate(s.day)} ${s.person}${s.post ? `（${s.post}）` : ''}值班${s.phone ? `，电话 ${s.phone}` : ''}。`);
      }),
    );

  roster
    .command('list')
    .description('列出一个月的值班安排')
    .option('--month <月份>', '如 2026-12（默认：本月）')
    .action((o: { month?: string }) =>
      withOffice(io, async (office) => {
        const period = monthOf(o.month, office.clock(), office.settings.office.timezone);
        const shifts = await office.roster.shifts(TERMINAL_ADMIN, period);
        if (io.json()) return io.print(shifts);
        io.print(shifts.length ? shifts.map((s) => `${s.id}  ${chineseDate(s.day)}  ${s.person}  ${s.post}  ${s.phone}`).join('\n') : `${period.label}还没有安排值班。`);
      }),
    );

  roster
    .command('remove')
    .description('删除一条值班安排')
    .argument('<序号>', 'roster list 列出的序号')
    .action((id: string) =>
      withOffice(io, async (office) => {
        const s = await office.roster.removeShift(TERMINAL_ADMIN, id);
        io.print(io.json() ? s : `已删除：${chineseDate(s.day)} ${s.person}值班。`);
      }),
    );

  roster
    .command('today')
    .description('今天（或某天）谁值班')
    .option('--day <日期>', '如 2026-12-10（默认：今天）')
    .action((o: { day?: string }) =>
      withOffice(io, async (office) => {
        const d = await office.roster.onDuty(TERMINAL_ADMIN, o.day);
        io.print(io.json() ? d : d.people.length ? `${chineseDate(d.day)}值班：${onDutyText(d.people)}` : `${chineseDate(d.day)}没有安排值班。`);
      }),
    );

  roster
    .command('print')
    .description('打印一个月的值班表和领导小组通讯录（PDF 和 Word），存到 archive/报表/')
    .option('--month <月份>', '如 2026-12（默认：本月）')
    .action((o: { month?: string }) =>
      withOffice(io, async (office) => {
        const printed = await office.roster.print(TERMINAL_ADMIN, monthOf(o.month, office.clock(), office.settings.office.timezone));
        io.print(io.json() ? printed : [`${printed.period}值班 ${printed.shifts.length} 人次，通讯录 ${printed.contacts.length} 人。`, ...printed.files.map((f) => `已生成：${f}`)].join('\n'));
      }),
    );

  const contact = program.command('contact').description('领导小组通讯录（24 小时联系）：添加或修改、列出、删除');

  contact
    .command('set')
    .description('添加通讯录中的一人，或修改其职务和电话')
    .argument('<姓名>', '姓名')
    .requiredOption('--post <职务>', '职务，如 党委书记、组长')
    .requiredOption('--phone <电话>', '电话；几个电话（办公电话、手机）用逗号隔开或重复 --phone，第一个最先打', (value: string, before: string[] = []) => [...before, value])
    .option('--by <姓名>', '记录人（默认：设置里的 office.clerk）')
    .action((name: string, o: { post: string; phone: string[]; by?: string }) =>
      withOffice(io, async (office) => {
        const c = await office.roster.setContact(actor(o.by, office), { name, post: o.post, phones: o.phone });
        io.print(io.json() ? c : `通讯录：${c.name}（${c.post}）${c.phones.join('、')}`);
      }),
    );

  contact
    .command('list')
    .description('列出领导小组通讯录')
    .action(() =>
      withOffice(io, async (office) => {
        const list = await office.roster.contacts(TERMINAL_ADMIN);
        if (io.json()) return io.print(list);
        io.print(list.length ? list.map((c) => `${c.name}  ${c.post}  ${c.phones.join('、')}`).join('\n') : '通讯录为空。');
      }),
    );

  contact
    .command('remove')
    .description('从通讯录删去一人')
    .argument('<姓名>', '姓名')
    .action((name: string) =>
      withOffice(io, async (office) => {
        await office.roster.removeContact(TERMINAL_ADMIN, name);
        io.print(io.json() ? { removed: name } : `已从通讯录删去 ${name}。`);
      }),
    );
}
