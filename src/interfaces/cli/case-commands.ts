import os from 'node:os';
import type { Command } from 'commander';
import { extractRules } from '../../domain/settings.js';
import { extractFields, flagsAfterChange, KEY_FIELDS, type LetterFields } from '../../domain/extract/letter-fields.js';
import { clock } from '../../adapters/system/clock.js';
import { XinfangError } from '../../domain/problems.js';
import { CHANNELS, type CaseDetail, type Channel } from '../../adapters/sqlite/registry.js';
import { registerTyped } from '../../services/cases/register-typed.js';
import { ensureBlankSheet } from '../../services/documents.js';
import { addFieldOptions, FIELD_LABELS, fieldChanges } from './field-options.js';
import { openWorkspace, type Opened } from './open.js';
import { caseDetailJson, caseSummaryJson, casesTable, caseText, flagsText } from './views.js';

export interface CliIo {
  root(): string;
  json(): boolean;
  print(value: unknown): void;
}

export async function withWorkspace<T>(io: CliIo, work: (opened: Opened) => T | Promise<T>): Promise<T> {
  const opened = await openWorkspace(io.root());
  try {
    return await work(opened);
  } finally {
    opened.close();
  }
}

export function requireCase(opened: Opened, reference: string): CaseDetail {
  const found = opened.registry.findCase(reference);
  if (!found) throw new XinfangError('unknown-case', `找不到案件“${reference}”。请用 \`xinfang cases\` 查看已有的编号。`, 1);
  return found;
}

/** Who is making a change: --by, else the name the operating system knows the user by. */
export function actor(by: unknown): string {
  if (typeof by === 'string' && by.trim()) return by.trim();
  try {
    return os.userInfo().username;
  } catch {
    return '未知';
  }
}

export function addCaseCommands(program: Command, io: CliIo): void {
  program
    .command('cases')
    .description('列出登记簿中的案件（紧急、集体访排在最前）')
    .action(() =>
      withWorkspace(io, ({ registry, settings }) => {
        const rows = registry.listCases();
        const now = clock();
        io.print(io.json() ? rows.map((r) => caseSummaryJson(r, settings, now)) : casesTable(rows, settings, now));
      }),
    );

  program
    .command('show')
    .description('显示一个案件的详细情况')
    .argument('<case>', '案件编号，如 八宝信〔2026〕7号、2026-7 或 7')
    .action((reference: string) =>
      withWorkspace(io, (opened) => {
        const found = requireCase(opened, reference);
        io.print(io.json() ? caseDetailJson(found, opened.settings, clock()) : caseText(found, opened.settings, clock()));
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
      .option('--by <姓名>', '登记人（默认：当前电脑用户）'),
  ).action((options: Record<string, string>) =>
    withWorkspace(io, async ({ registry, ws, settings }) => {
      const channel = options.channel as Channel;
      if (!CHANNELS.includes(channel)) throw new XinfangError('bad-channel', `渠道只能是 ${CHANNELS.join('、')} 之一。`, 2);
      const receivedAt = options.received ? new Date(options.received.replace(' ', 'T')) : clock();
      if (Number.isNaN(receivedAt.getTime())) throw new XinfangError('bad-time', `收到时间“${options.received}”看不懂，请写成 2026-11-03 09:30。`, 2);
      const row = registerTyped(registry, ws, settings, {
        channel,
        matter: options.matter ?? '',
        fields: fieldChanges(options, settings),
        receivedAt,
        transfer: options.fromOffice || options.fromNumber ? { office: options.fromOffice ?? '', number: options.fromNumber ?? '' } : undefined,
        by: actor(options.by),
      });
      if (settings.workflow.blankSheets) await ensureBlankSheet(ws, settings, registry, row, clock());
      io.print(io.json() ? caseDetailJson(registry.findCase(row.number)!, settings, clock()) : `已登记 ${row.number}（${channel}）${flagsText(row.flags)}`);
    }),
  );

  addFieldOptions(
    program
      .command('edit')
      .description('更正案件的登记字段；记录谁在何时改了什么，改过的字段不会再被自动识别覆盖')
      .argument('<case>', '案件编号')
      .option('--by <姓名>', '更正人（默认：当前电脑用户）'),
  ).action((reference: string, options: Record<string, unknown>) =>
    withWorkspace(io, (opened) => {
      const found = requireCase(opened, reference);
      const changes = fieldChanges(options, opened.settings);
      if (Object.keys(changes).length === 0) throw new XinfangError('nothing-to-edit', '没有给出要更正的字段，例如 --name 王秀兰。运行 xinfang edit --help 查看全部字段。', 2);
      const threshold = opened.settings.extract.groupThreshold;
      const row = opened.registry.editFields(found.id, changes, actor(options.by), clock(), (fields: LetterFields, flags: string[]) =>
        flagsAfterChange(fields, flags, threshold, flags.includes('urgent')),
      );
      const changed = Object.keys(changes).map((f) => FIELD_LABELS[f as keyof LetterFields]).join('、');
      io.print(io.json() ? caseDetailJson(requireCase(opened, row.number), opened.settings, clock()) : `已更正 ${row.number} 的${changed}。`);
    }),
  );

  program
    .command('review')
    .description('待人工核对的案件：识别可信度低、缺少关键字段或身份证号有误，最需要看的排在前面')
    .action(() =>
      withWorkspace(io, ({ registry, settings }) => {
        const queue = registry.reviewQueue(settings.ocr.lowConfidence, KEY_FIELDS);
        if (io.json()) {
          io.print(queue.map((q) => ({ number: q.case.number, missing: q.missing, reasons: q.reasons, confidence: q.case.ocrConfidence })));
          return;
        }
        if (queue.length === 0) return io.print('没有需要人工核对的案件。');
        const reasonText: Record<string, string> = { 'low-confidence': '识别可信度低', 'id-checksum': '身份证号校验不对' };
        io.print(
          [
            `共 ${queue.length} 件需要核对（用 xinfang edit 编号 --字段 值 更正）：`,
            ...queue.map((q) => {
              const why = [...q.missing.map((f) => `缺${FIELD_LABELS[f]}`), ...q.reasons.map((r) => reasonText[r] ?? r)].join('、');
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
      withWorkspace(io, ({ registry }) => {
        if ([...text.replace(/[^\p{L}\p{N}]/gu, '')].length < 2) throw new XinfangError('query-too-short', '请至少输入两个字或数字再查找。', 2);
        const hits = registry.search(text, Math.max(1, Number(options.limit) || 20));
        if (io.json()) return io.print(hits.map((h) => ({ number: h.case.number, snippet: h.snippet })));
        io.print(hits.length === 0 ? `没有找到含“${text}”的案件。` : [`找到 ${hits.length} 件：`, ...hits.map((h) => `${h.case.number}  ${h.snippet}`)].join('\n'));
      }),
    );

  program
    .command('extract')
    .description('按当前设置重新从识别文字中提取登记字段（人工更正过的字段保持不变）')
    .argument('[case]', '案件编号；不写则处理全部来信')
    .action((reference: string | undefined) =>
      withWorkspace(io, (opened) => {
        const targets = reference ? [requireCase(opened, reference)] : opened.registry.listCases().filter((c) => c.channel === '来信');
        const rules = extractRules(opened.settings);
        for (const c of targets) {
          const extraction = extractFields(c.ocrText, rules);
          opened.registry.applyExtraction(c.id, extraction, (fields, flags) => flagsAfterChange(fields, flags, rules.groupThreshold, extraction.urgentWords.length > 0));
        }
        io.print(io.json() ? { updated: targets.length } : `已重新提取 ${targets.length} 件的登记字段。`);
      }),
    );
}
