import type { Command } from 'commander';
import { DOCUMENT_TYPES } from '../../domain/document-types.js';
import { checkDocumentType } from '../../services/documents.js';
import { UsageError, withOffice, type CliIo } from './session.js';

/** Commander's collector for a repeatable option; no default given, so help shows none (it would print “(default: [])”). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--set 名称=内容` pairs as template data. */
export function templateData(pairs: string[]): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`“${pair}”写法不对，应写成 名称=内容。`);
    extra[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return extra;
}

export function addIssueCommand(program: Command, io: CliIo): void {
  program
    .command('letter')
    .description('按模板生成一份文书（PDF 和 Word），存入案件文件夹')
    .argument('<案件编号>', '如 八宝信〔2026〕7号、2026-7 或 7')
    .requiredOption('--type <文书>', DOCUMENT_TYPES.join('、'))
    .option('--set <名称=内容>', '填入模板的内容，可写多次，如 --set 经办单位=社区综合治理办公室', collect)
    .action(async (reference: string, options: { type: string; set: string[] }) => {
      const type = checkDocumentType(options.type);
      const extra = templateData(options.set ?? []);
      await withOffice(io, async (office) => {
        const records = await office.documents.issue(await office.cases.find(reference), type, extra);
        io.print(io.json() ? records : `已生成${type}：\n${records.map((w) => `  ${w.path}`).join('\n')}`);
      });
    });
}
