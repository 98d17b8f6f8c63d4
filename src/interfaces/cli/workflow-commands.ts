import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { repeatOnRequest } from '../../adapters/jobs/repeat-on-request.js';
import type { CaseDetail } from '../../domain/case.js';
import { fail } from '../../domain/problems.js';
import { OUTCOMES } from '../../domain/workflow.js';
import { daysText, DEADLINE_LABEL, STATUS_LABEL, oneLine, petitionerName } from '../../domain/words.js';
import type { Office } from '../../app.js';
import type { SheetsMade } from '../../services/documents.js';
import type { StepResult } from '../../services/workflow.js';
import { collect, templateData } from './issue-command.js';
import { actor, atDistrict, TERMINAL_ADMIN, UsageError, withOffice, type CliIo } from './session.js';
import { districtVerify } from './district-commands.js';
import { caseDetailJson, fileProblemText, historyText, problemText } from './views.js';

type Options = Record<string, unknown> & { by?: string; set?: string[] };

type StepRun = (office: Office, c: CaseDetail, o: Options, wording: Record<string, string>) => Promise<StepResult>;

/** The --paper files as given on the command line. */
function papersFrom(o: Options): { name: string; path: string }[] {
  return ((o.paper as string[] | undefined) ?? []).map((file) => ({ name: path.basename(file), path: path.resolve(file) }));
}

export function addWorkflowCommands(program: Command, io: CliIo): void {
  /** A step command: open, find the case, take the step, say what was made. */
  const step = (name: string, description: string, configure: (c: Command) => Command, run: StepRun, parent: Command = program) =>
    configure(parent.command(name).description(description).argument('<案件编号>', '如 八宝信〔2026〕7号、2026-7 或 7'))
      .option('--by <姓名>', '操作人（默认：设置里的 office.clerk）')
      .option('--set <名称=内容>', '改写文书中的内容，可写多次，如 --set 经办单位=社区综合治理办公室', collect)
      .action((reference: string, options: Options) =>
        withOffice(io, async (office) => {
          const found = await office.cases.find(reference);
          const result = await run(office, found, options, templateData(options.set ?? []));
          const latest = await office.cases.find(result.case.number);
          if (io.json()) return io.print(caseDetailJson(latest, office.settings, office.clock()));
          const last = latest.history[latest.history.length - 1];
          io.print([`${latest.number}：${STATUS_LABEL[latest.status]}。${last?.detail ?? ''}`, ...result.documents.map((d) => `  ${d}`)].join('\n'));
        }),
      );

  step('sign', '转办件：签收（记下签收人和日期）', (c) => c.option('--signer <姓名>', '签收人（默认：操作人）').option('--date <日期>', '签收日期，如 2025-09-30（默认：今天）'), (office, c, o) =>
    office.workflow.sign(actor(o.by, office), c, { by: o.signer as string | undefined, date: o.date as string | undefined }),
  );
  step('return', '转办件：不属本单位职权范围的，在期限内退回交办单位（生成退回函），案件到此结束', (c) => c.option('--reason <理由>', '退回的理由'), (office, c, o, wording) =>
    office.workflow.returnCase(actor(o.by, office), c, { reason: String(o.reason ?? '') }, wording),
  );
  step(
    'supervise',
    '督办：领导或上级信访部门督办本案（生成督办单）',
    (c) => c.option('--supervisor <督办人>', '督办人，如 张主任 或 区信访局（默认：操作人）').option('--demand <要求>', '督办要求').option('--due <日期>', '反馈期限，如 2026-12-20'),
    (office, c, o, wording) => office.workflow.supervise(actor(o.by, office), c, { by: o.supervisor as string | undefined, demand: String(o.demand ?? ''), due: String(o.due ?? '') }, wording),
  );
  step('answer', '督办反馈：经办人向督办人反馈办理情况', (c) => c.option('--answer <内容>', '反馈内容'), (office, c, o) =>
    office.workflow.answerSupervision(actor(o.by, office), c, { answer: String(o.answer ?? '') }),
  );
  step('urge', '催办：督办期限已过仍未反馈时催办', (c) => c.option('--note <说明>', '催办说明'), (office, c, o) => office.workflow.urge(actor(o.by, office), c, { note: o.note as string | undefined }));
  step(
    'instruct',
    '录入领导批示（生成填好的批办单）',
    (c) => c.option('--leader <姓名>', '批示的领导').option('--text <批示>', '批示内容').option('--handler <姓名>', '经办人').option('--due <日期>', '办理时限，如 2026-12-20'),
    (office, c, o, wording) => office.workflow.instruct(actor(o.by, office), c, { leader: String(o.leader ?? ''), text: String(o.text ?? ''), handler: o.handler as string | undefined, due: o.due as string | undefined }, wording),
  );
  step('accept', '受理（生成受理告知书）', (c) => c.option('--handler <姓名>', '经办人（批示时未指定时必填）'), (office, c, o, wording) =>
    office.workflow.accept(actor(o.by, office), c, { handler: o.handler as string | undefined }, wording),
  );
  step('decline', '不予受理（生成不予受理告知书）', (c) => c.option('--reason <理由>', '不予受理的理由').option('--advice <途径>', '告诉信访人的正确途径（默认见设置）'), (office, c, o, wording) =>
    office.workflow.decline(actor(o.by, office), c, { reason: String(o.reason ?? '') }, o.advice ? { 正确途径: String(o.advice), ...wording } : wording),
  );
  step('extend', '延长办理期限，只能一次（生成延期告知书）', (c) => c.option('--days <天数>', '延长的天数').option('--reason <理由>', '延期理由'), (office, c, o, wording) =>
    office.workflow.extend(actor(o.by, office), c, { days: String(o.days ?? ''), reason: String(o.reason ?? '') }, wording),
  );
  step(
    'reply',
    '书面答复信访人（生成信访处理意见书）',
    (c) =>
      c
        .option('--outcome <意见>', `处理意见：${OUTCOMES.join('、')}`)
        .option('--facts <文字>', '查明的事实和理由')
        .option('--facts-file <文件>', '从文本文件读取查明的事实和理由')
        .option('--basis <依据>', '处理依据（法律、政策条文）'),
    (office, c, o, wording) => office.workflow.reply(actor(o.by, office), c, { outcome: o.outcome as string | undefined, facts: factsFrom(o), basis: o.basis as string | undefined }, wording),
  );
  step('report', '转办件：向交办单位报送办结报告', (c) => c, (office, c, o, wording) => office.workflow.report(actor(o.by, office), c, wording));
  step('close', '办结（答复后，或不予受理后）', (c) => c, (office, c, o) => office.workflow.close(actor(o.by, office), c));
  step(
    'visit',
    '回访：答复后记录回访（上门、电话……）和信访人的满意度评价',
    (c) =>
      c
        .option('--how <方式>', '回访方式，如 电话、上门（见设置 followUp.visitMethods）')
        .option('--result <评价>', '信访人的评价，如 满意、基本满意、不满意（见设置 followUp.satisfaction）')
        .option('--visitor <姓名>', '回访人（默认：操作人）')
        .option('--date <日期>', '回访日期，如 2026-12-20（默认：今天）')
        .option('--note <说明>', '回访情况说明'),
    (office, c, o) =>
      office.workflow.visit(actor(o.by, office), c, { how: String(o.how ?? ''), result: String(o.result ?? ''), by: o.visitor as string | undefined, on: o.date as string | undefined, note: o.note as string | undefined }),
  );
  const appeal = program.command('appeal').description('复查、复核：登记信访人的申请（答复后 30 日内）和复查（复核）机关的结论');
  step(
    'request',
    '登记复查申请（已有复查结论的，登记复核申请）；逾期的申请不予登记',
    (c) =>
      c
        .option('--date <日期>', '信访人提出申请的日期（默认：今天）')
        .option('--body <机关>', '受理申请的机关（默认：设置中的复查机关、复核机关）')
        .option('--paper <文件>', '申请书等材料（PDF、JPEG 或 PNG），可写多次', collect),
    (office, c, o) => office.workflow.requestReview(actor(o.by, office), c, { on: o.date as string | undefined, body: o.body as string | undefined, papers: papersFrom(o) }),
    appeal,
  );
  step(
    'decide',
    '登记复查（复核）机关的结论：维持、撤销、变更（见设置 followUp.reviewDecisions）',
    (c) =>
      c
        .option('--decision <结论>', '复查（复核）结论，如 维持')
        .option('--date <日期>', '作出结论的日期（默认：今天）')
        .option('--paper <文件>', '复查（复核）意见书等材料（PDF、JPEG 或 PNG），可写多次', collect),
    (office, c, o) => office.workflow.decideReview(actor(o.by, office), c, { decision: String(o.decision ?? ''), on: o.date as string | undefined, papers: papersFrom(o) }),
    appeal,
  );

  program
    .command('sheets')
    .description('为还没有批办单的案件生成空白批办单（收件箱登记后会自动运行）')
    .option('--follow', '每从标准输入读到一行就再补一次，输入结束时补完最后一次后退出')
    .action((options: { follow?: boolean }) =>
      withOffice(io, async (office) => {
        const make = () => office.documents.makeMissingSheets();
        const result = options.follow ? await followInput(make) : await make();
        if (io.json()) io.print(result);
        else if (result.made.length) io.print(`已生成 ${result.made.length} 份空白批办单：${result.made.join('、')}`);
        else if (!result.failed.length) io.print('每个案件都已有批办单。');
        if (result.failed.length) fail({ code: 'sheets-failed', failed: result.failed });
      }),
    );

  program
    .command('history')
    .description('案件的办理经过：谁在何时做了什么')
    .argument('<案件编号>', '如 八宝信〔2026〕7号、2026-7 或 7')
    .action((reference: string) =>
      withOffice(io, async (office) => {
        const found = await office.cases.find(reference);
        if (io.json()) return io.print(caseDetailJson(found, office.settings, office.clock()).history);
        io.print(historyText(found, office.settings));
      }),
    );

  program
    .command('due')
    .description('办理期限：最急的排在前面，已超期的在最前')
    .action(() =>
      withOffice(io, async (office) => {
        const rows = await office.cases.due();
        if (io.json()) return io.print(rows.map(({ case: c, due }) => ({ number: c.number, status: c.status, deadline: due.kind, date: due.date, daysLeft: due.days, overdue: due.days < 0 })));
        // 复查/复核 waiting for the body's decision: the answer date the office follows up.
        const reviews = (await office.workflow.underReview()).map(
          (r) => `${r.daysLeft < 0 ? '【超期】' : ''}${r.number}  等待${r.review.stage}结论（${r.review.body}）：${r.review.answerDue}（${daysText(r.daysLeft)}）  ${r.name ?? ''}`,
        );
        const reviewLines = reviews.length ? [`等待复查（复核）结论 ${reviews.length} 件：`, ...reviews] : [];
        if (rows.length === 0) return io.print(['没有正在计时的办理期限。', ...reviewLines].join('\n'));
        const late = rows.filter((r) => r.due.days < 0).length;
        io.print(
          [
            `共 ${rows.length} 件正在计时办理期限${late ? `，其中 ${late} 件已超期` : ''}：`,
            ...rows.map(({ case: c, due }) => `${due.days < 0 ? '【超期】' : ''}${c.number}  ${STATUS_LABEL[c.status]}  ${DEADLINE_LABEL[due.kind]}：${due.date}（${daysText(due.days)}）  ${petitionerName(c)}  ${[...oneLine(c.fields.summary ?? '')].slice(0, 20).join('')}`),
            ...reviewLines,
          ].join('\n'),
        );
      }),
    );

  program
    .command('verify')
    .description('核验档案：重新计算每个文件的指纹，找出被改动、缺失或来历不明的文件，以及被改动或删除的办理记录')
    .action(() =>
      atDistrict(io) ? districtVerify(io) : withOffice(io, async (office) => {
        const v = await office.records.verify(TERMINAL_ADMIN);
        const count = v.problems.length + v.fileProblems.length;
        if (io.json()) io.print({ ok: v.ok, cases: v.cases, files: v.files, bytes: v.bytes, problems: v.problems, fileProblems: v.fileProblems });
        else if (count === 0) io.print(`核验完毕：${v.files} 个文件（${(v.bytes / 1048576).toFixed(1)} MB）与登记一致，${v.cases} 个案件的办理记录完整，没有被改动。`);
        else io.print([`核验发现 ${count} 处问题：`, ...v.fileProblems.map(fileProblemText), ...v.problems.map(problemText), '请立即报告管理员，并从备份中核对。'].join('\n'));
        if (count) fail({ code: 'verify-failed', count });
      }),
    );
}

function factsFrom(o: Options): string | undefined {
  if (o.factsFile) {
    try {
      return readFileSync(String(o.factsFile), 'utf8');
    } catch {
      throw new UsageError(`读不到文件“${String(o.factsFile)}”，请检查路径。`);
    }
  }
  return o.facts as string | undefined;
}

/**
 * Runs `make` once now, again for every line read from standard input (lines that come while it
 * runs are merged into one more run), and a last time when the input ends; the results added up.
 */
async function followInput(make: () => Promise<SheetsMade>): Promise<SheetsMade> {
  const total: SheetsMade = { made: [], failed: [] };
  const rounds = repeatOnRequest(async () => {
    const r = await make();
    total.made.push(...r.made);
    // Every run tries all that are missing, so the last run's failures are the ones still failing.
    total.failed = r.failed;
  });
  process.stdin.on('data', () => rounds.request());
  process.stdin.on('end', () => rounds.end());
  process.stdin.resume();
  await rounds.finished;
  process.stdin.pause();
  return total;
}
