/** `xinfang correct`: a clerk's reading of one scanned line, kept beside the OCR's (thin over CorrectionService). */
import type { Command } from 'commander';
import { FIELD_NAMES } from '../../domain/fields.js';
import { FIELD_LABELS } from '../../domain/words.js';
import { actor, UsageError, withOffice, type CliIo } from './session.js';
import { caseDetailJson, fieldText } from './views.js';

export function addCorrectCommand(program: Command, io: CliIo): void {
  program
    .command('correct')
    .description('对照扫描件更正一行识别文字（手写字常认不准）：原识别文字保留，查找和自动识别的登记字段按更正后的文字')
    .argument('<案件编号>', '如 八宝信〔2026〕7号、2026-7 或 7')
    .requiredOption('--page <页>', '第几页（从 1 起）')
    .requiredOption('--line <行>', '第几行（从 1 起，与 show 和网页上的行号相同）')
    .requiredOption('--text <文字>', '这一行上实际写的字；给空字符串 "" 表示这一行不是文字')
    .option('--by <姓名>', '更正人（默认：设置里的 office.clerk）')
    .action((reference: string, options: Record<string, string>) =>
      withOffice(io, async (office) => {
        const page = wholeNumber(options.page, '--page');
        const line = wholeNumber(options.line, '--line');
        const before = await office.cases.find(reference);
        const after = await office.corrections.correctLines(actor(options.by, office), reference, page, [{ line, text: options.text ?? '' }]);
        if (io.json()) return io.print(caseDetailJson(after, office.settings, office.clock()));
        const k = after.corrections[after.corrections.length - 1]!;
        const fields = FIELD_NAMES.filter((f) => before.fields[f] !== after.fields[f]).map((f) => `  ${FIELD_LABELS[f]}：${fieldText(after, f, office.settings)}`);
        io.print(
          [
            `已更正 ${after.number} 第 ${page} 页第 ${line} 行：“${k.ocrText}”→${k.text ? `“${k.text}”` : '空（不是文字）'}（原识别文字保留）。`,
            ...(fields.length ? ['按更正后的文字重新识别的登记字段：', ...fields] : []),
          ].join('\n'),
        );
      }),
    );
}

function wholeNumber(given: string | undefined, option: string): number {
  const n = Number(given);
  if (!given || !Number.isInteger(n) || n < 1) throw new UsageError(`${option} 要写一个从 1 起的整数，例如 ${option} 2。`);
  return n;
}
