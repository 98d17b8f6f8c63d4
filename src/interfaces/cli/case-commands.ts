import type { Command } from 'commander';
import { CHANNELS } from '../../domain/case.js';
import { FIELD_LABELS, REVIEW_REASON_LABEL } from '../../domain/words.js';
import { addFieldOptions, givenFields } from './field-options.js';
import { actor, atDistrict, withOffice, type CliIo } from './session.js';
import { districtSearch, districtShow } from './district-commands.js';
import { passwordFromStdin } from './user-commands.js';
import { caseDetailJson, caseSummaryJson, casesTable, caseText, flagsText } from './views.js';

export function addCaseCommands(program: Command, io: CliIo): void {
  program
    .command('cases')
    .description('列出登记簿中的案件（紧急、集体访排在最前）')
    .action(() =>
      withOffice(io, async (office) => {
        const rows = await office.cases.list();
        const now = office.clock();
        io.print(io.json() ? rows.map((r) => caseSummaryJson(r, office.settings, now)) : casesTable(rows, office.settings, now));
      }),
    );

  program
    .command('show')
    .description('显示一个案件的详细情况')
    .argument('<案件编号>', '如 八宝信〔2026〕7号、2026-7 或 7')
    .option('--community <代码>', '在街道（区）的工作区：哪个社区的案件')
    .option('--as <姓名[@社区代码]>', '在街道（区）的工作区：以这位用户的身份查看（社区的用户写 姓名@社区代码）')
    .option('--password-stdin', '与 --as 一起用：从标准输入读这位用户的密码')
    .action((reference: string, options: { community?: string; as?: string; passwordStdin?: boolean }) =>
      atDistrict(io) ? districtShow(io, reference, options, passwordFromStdin) : withOffice(io, async (office) => {
        const found = await office.cases.find(reference);
        io.print(io.json() ? caseDetailJson(found, office.settings, office.clock()) : caseText(found, office.settings, office.clock()));
      }),
    );

  addFieldOptions(
    program
      .command('register')
      .description('登记没有扫描件的来访、电话、网上信访或转办件（与来信同一编号序列）')
      .requiredOption('--channel <渠道>', `渠道：${CHANNELS.join('、')}`)
      .requiredOption('--matter <内容>', '反映的问题和诉求')
      .option('--from-office <单位>', '转办件：交办单位')
      .option('--from-number <编号>', '转办件：交办单位的编号')
      .option('--received <时间>', '收到时间，如 2026-11-03 09:30（默认：现在）')
      .option('--leader <领导>', '来访：接访的领导（领导接访日）')
      .option('--by <姓名>', '登记人（默认：设置里的 office.clerk）'),
  ).action((options: Record<string, string>) =>
    withOffice(io, async (office) => {
      const c = await office.cases.register(actor(options.by, office), {
        channel: options.channel ?? '',
        matter: options.matter ?? '',
        fields: givenFields(options),
        receivedAt: options.received,
        receivedBy: options.leader,
        transfer: options.fromOffice || options.fromNumber ? { office: options.fromOffice ?? '', number: options.fromNumber ?? '' } : undefined,
      });
      io.print(io.json() ? caseDetailJson(c, office.settings, office.clock()) : `已登记 ${c.number}（${c.channel}）${flagsText(c.flags)}`);
    }),
  );

  addFieldOptions(
    program
      .command('edit')
      .description('更正案件的登记字段；记录谁在何时改了什么，改过的字段不会再被自动识别覆盖')
      .argument('<案件编号>', '如 八宝信〔2026〕7号、2026-7 或 7')
      .option('--checked', '已逐项核对无误：取消“需人工核对”，案件不再出现在待核对中')
      .option('--by <姓名>', '更正人（默认：设置里的 office.clerk）'),
  ).action((reference: string, options: Record<string, unknown>) =>
    withOffice(io, async (office) => {
      const given = givenFields(options);
      const before = await office.cases.find(reference);
      const edited = await office.cases.edit(actor(options.by, office), before, given, { checked: options.checked === true });
      const changed = Object.keys(given).map((f) => FIELD_LABELS[f as keyof typeof FIELD_LABELS]).join('、');
      const cleared = before.flags.includes('low-confidence') && !edited.flags.includes('low-confidence') ? '已取消“需人工核对”。' : '';
      const repeat = !before.repeatOf && edited.repeatOf ? `与 ${edited.repeatOf} 是同一信访人，已标为重信重访。` : '';
      io.print(io.json() ? caseDetailJson(edited, office.settings, office.clock()) : [changed ? `已更正 ${edited.number} 的${changed}。` : `已核对 ${edited.number}。`, cleared, repeat].filter(Boolean).join(''));
    }),
  );

  program
    .command('review')
    .description('待人工核对的案件：识别可信度低、缺少关键字段或身份证号有误，最需要看的排在前面')
    .action(() =>
      withOffice(io, async (office) => {
        const queue = await office.cases.review();
        if (io.json()) {
          io.print(queue.map((q) => ({ number: q.case.number, missing: q.missing, reasons: q.reasons, confidence: q.case.ocrConfidence })));
          return;
        }
        if (queue.length === 0) return io.print('没有需要人工核对的案件。');
        io.print(
          [
            `共 ${queue.length} 件需要核对（用 xinfang edit 编号 --字段 值 更正）：`,
            ...queue.map((q) => {
              const why = [...q.missing.map((f) => `缺${FIELD_LABELS[f]}`), ...q.reasons.map((r) => REVIEW_REASON_LABEL[r])].join('、');
              const confidence = q.case.ocrConfidence === null ? '' : `，可信度 ${Math.round(q.case.ocrConfidence * 100)}%`;
              return `${q.case.number}  ${why}${confidence}`;
            }),
          ].join('\n'),
        );
      }),
    );

  program
    .command('search')
    .description('按任意文字查找案件（姓名、电话、地址、来信内容等，至少两个字）')
    .argument('<text>', '要查找的文字')
    .option('--limit <n>', '最多显示几条', '20')
    .action((text: string, options: { limit: string }) =>
      atDistrict(io) ? districtSearch(io, text, Number(options.limit) || 20) : withOffice(io, async (office) => {
        const hits = await office.cases.search(text, Number(options.limit) || 20);
        if (io.json()) return io.print(hits.map((h) => ({ number: h.case.number, snippet: h.snippet })));
        io.print(hits.length === 0 ? `没有找到含“${text}”的案件。` : [`找到 ${hits.length} 件：`, ...hits.map((h) => `${h.case.number}  ${h.snippet}`)].join('\n'));
      }),
    );

  program
    .command('extract')
    .description('按当前设置重新从识别文字中提取登记字段（人工更正过的字段保持不变）')
    .argument('[case]', '案件编号；不写则处理全部来信')
    .action((reference: string | undefined) =>
      withOffice(io, async (office) => {
        const updated = await office.cases.extractAgain(reference ? await office.cases.find(reference) : undefined);
        io.print(io.json() ? { updated } : `已重新提取 ${updated} 件的登记字段。`);
      }),
    );
}

