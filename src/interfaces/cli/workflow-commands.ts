import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { clock } from '../../adapters/system/clock.js';
import { XinfangError } from '../../domain/problems.js';
import { checkCaseHistory, type ChainProblem } from '../../domain/history.js';
import { dueState } from '../../domain/deadlines.js';
import { daysText } from '../../domain/workflow-rules.js';
import { OUTCOMES, STATUS_LABEL } from '../../domain/workflow.js';
import { makeMissingSheets, type SheetsMade } from '../../services/documents.js';
import * as steps from '../../services/workflow.js';
import { actor, requireCase, withWorkspace, type CliIo } from './case-commands.js';
import { collect, templateData } from './letter-command.js';
import { verifyFiles } from '../../services/records/verify-files.js';
import { caseDetailJson, fileProblemText, historyText, problemText } from './views.js';

type Options = Record<string, unknown> & { by?: string; set?: string[] };

export function addWorkflowCommands(program: Command, io: CliIo): void {
  /** A step command: open, find the case, take the step, say what was made. */
  const step = (name: string, description: string, configure: (c: Command) => Command, run: (ctx: steps.StepContext, c: ReturnType<typeof requireCase>, o: Options) => Promise<steps.StepResult>) =>
    configure(program.command(name).description(description).argument('<case>', '案件编号，如 八宝信〔2026〕7号、2026-7 或 7'))
      .option('--by <姓名>', '操作人（默认：当前电脑用户）')
      .option('--set <名称=内容>', '改写文书中的内容，可写多次，如 --set 经办单位=社区综合治理办公室', collect, [])
      .action((reference: string, options: Options) =>
        withWorkspace(io, async (opened) => {
          const found = requireCase(opened, reference);
          const ctx = { ...opened, now: clock(), actor: actor(options.by), extra: templateData(options.set ?? []) };
          const result = await run(ctx, found, options);
          const latest = requireCase(opened, result.case.number);
          if (io.json()) return io.print(caseDetailJson(latest, opened.settings, ctx.now));
          const last = latest.history[latest.history.length - 1];
          io.print([`${latest.number}：${STATUS_LABEL[latest.status]}。${last?.detail ?? ''}`, ...result.documents.map((d) => `  ${d}`)].join('\n'));
        }),
      );

  step(
    'instruct',
    '录入领导批示（生成填好的批办单）',
    (c) => c.option('--leader <姓名>', '批示的领导').option('--text <批示>', '批示内容').option('--handler <姓名>', '经办人').option('--due <日期>', '办理时限，如 2026-12-20'),
    (ctx, c, o) => steps.instruct(ctx, c, { leader: String(o.leader ?? ''), text: String(o.text ?? ''), handler: o.handler as string | undefined, due: o.due as string | undefined }),
  );
  step('accept', '受理（生成受理告知书）', (c) => c.option('--handler <姓名>', '经办人（批示时未指定时必填）'), (ctx, c, o) => steps.accept(ctx, c, { handler: o.handler as string | undefined }));
  step('decline', '不予受理（生成不予受理告知书）', (c) => c.option('--reason <理由>', '不予受理的理由').option('--advice <途径>', '告诉信访人的正确途径（默认见设置）'), (ctx, c, o) => {
    if (o.advice) ctx.extra = { 正确途径: String(o.advice), ...ctx.extra };
    return steps.decline(ctx, c, { reason: String(o.reason ?? '') });
  });
  step('extend', '延长办理期限，只能一次（生成延期告知书）', (c) => c.option('--days <天数>', '延长的天数').option('--reason <理由>', '延期理由'), (ctx, c, o) =>
    steps.extend(ctx, c, { days: String(o.days ?? ''), reason: String(o.reason ?? '') }),
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
    (ctx, c, o) => steps.reply(ctx, c, { outcome: o.outcome as string | undefined, facts: factsFrom(o), basis: o.basis as string | undefined }),
  );
  step('report', '转办件：向交办单位报送办结报告', (c) => c, (ctx, c) => steps.report(ctx, c));
  step('close', '办结（答复后，或不予受理后）', (c) => c, (ctx, c) => steps.close(ctx, c));

  program
    .command('sheets')
    .description('为还没有批办单的案件生成空白批办单（收件箱登记后会自动运行）')
    .option('--follow', '供收件箱程序使用：每从标准输入读到一行就再补一次，输入结束时补完最后一次后退出')
    .action((options: { follow?: boolean }) =>
      withWorkspace(io, async ({ ws, settings, registry }) => {
        const make = () => makeMissingSheets(ws, settings, registry, clock());
        const result = options.follow ? await followInput(make) : await make();
        if (io.json()) io.print(result);
        else if (result.made.length) io.print(`已生成 ${result.made.length} 份空白批办单：${result.made.join('、')}`);
        else if (!result.failed.length) io.print('每个案件都已有批办单。');
        if (result.failed.length) {
          const list = result.failed.map((f) => `${f.number}（${f.error}）`).join('；');
          throw new XinfangError('sheets-failed', `${result.failed.length} 个案件的空白批办单没有生成：${list}。其他案件不受影响；请检查模板和字体设置后再运行 xinfang sheets。`);
        }
      }),
    );

  program
    .command('history')
    .description('案件的办理经过：谁在何时做了什么')
    .argument('<case>', '案件编号')
    .action((reference: string) =>
      withWorkspace(io, (opened) => {
        const found = requireCase(opened, reference);
        if (io.json()) return io.print(caseDetailJson(found, opened.settings, clock()).history);
        io.print(historyText(found, opened.settings));
      }),
    );

  program
    .command('due')
    .description('办理期限：最急的排在前面，已超期的在最前')
    .action(() =>
      withWorkspace(io, ({ registry, settings }) => {
        const now = clock();
        const rows = registry
          .openCases()
          .map((c) => ({ c, due: dueState(c, settings, now) }))
          .filter((r): r is { c: typeof r.c; due: NonNullable<typeof r.due> } => r.due !== null)
          .sort((a, b) => a.due.days - b.due.days || a.c.year - b.c.year || a.c.seq - b.c.seq);
        if (io.json()) return io.print(rows.map(({ c, due }) => ({ number: c.number, status: c.status, deadline: due.kind, date: due.date, daysLeft: due.days, overdue: due.days < 0 })));
        if (rows.length === 0) return io.print('没有正在计时的办理期限。');
        const late = rows.filter((r) => r.due.days < 0).length;
        io.print(
          [
            `共 ${rows.length} 件在期限内办理${late ? `，其中 ${late} 件已超期` : ''}：`,
            ...rows.map(({ c, due }) => `${due.days < 0 ? '【超期】' : ''}${c.number}  ${STATUS_LABEL[c.status]}  ${due.label}：${due.date}（${daysText(due.days)}）  ${c.fields.name ?? ''}  ${c.fields.summary?.slice(0, 20) ?? ''}`),
          ].join('\n'),
        );
      }),
    );

  program
    .command('verify')
    .description('核验档案：重新计算每个文件的指纹，找出被改动、缺失或来历不明的文件，以及被改动或删除的办理记录')
    .action(() =>
      withWorkspace(io, async ({ registry, ws }) => {
        const problems: (ChainProblem & { number: string })[] = [];
        let cases = 0;
        for (const chainOf of registry.chains()) {
          cases++;
          for (const p of checkCaseHistory(chainOf.number, chainOf.entries, chainOf.head, chainOf.status)) problems.push({ number: chainOf.number, ...p });
        }
        const files = await verifyFiles(ws, registry);
        const count = problems.length + files.problems.length;
        if (io.json()) io.print({ ok: count === 0, cases, files: files.files, bytes: files.bytes, problems, fileProblems: files.problems });
        else if (count === 0) io.print(`核验完毕：${files.files} 个文件（${(files.bytes / 1048576).toFixed(1)} MB）与登记一致，${cases} 个案件的办理记录完整，没有被改动。`);
        else io.print([`核验发现 ${count} 处问题：`, ...files.problems.map(fileProblemText), ...problems.map(problemText), '请立即报告管理员，并从备份中核对。'].join('\n'));
        if (count) throw new XinfangError('verify-failed', `档案核验未通过（${count} 处问题）。`, 1);
      }),
    );
}

function factsFrom(o: Options): string | undefined {
  if (o.factsFile) {
    try {
      return readFileSync(String(o.factsFile), 'utf8');
    } catch {
      throw new XinfangError('facts-file', `读不到文件“${String(o.factsFile)}”，请检查路径。`, 2);
    }
  }
  return o.facts as string | undefined;
}

/**
 * Runs `make` once now, again for every line read (lines that come while it runs are merged into
 * one more run), and a last time when the input ends; the results added up.
 */
async function followInput(make: () => Promise<SheetsMade>): Promise<SheetsMade> {
  const total: SheetsMade = { made: [], failed: [] };
  const add = (r: SheetsMade) => {
    total.made.push(...r.made);
    // Every run tries all that are missing, so the last run's failures are the ones still failing.
    total.failed = r.failed;
  };
  let wanted = true;
  let ended = false;
  let wake: (() => void) | null = null;
  const poke = () => {
    wanted = true;
    wake?.();
  };
  process.stdin.on('data', poke);
  process.stdin.on('end', () => {
    ended = true;
    poke();
  });
  process.stdin.resume();
  for (;;) {
    if (!wanted) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    const last = ended;
    wanted = false;
    add(await make());
    if (last) break;
  }
  process.stdin.pause();
  return total;
}
