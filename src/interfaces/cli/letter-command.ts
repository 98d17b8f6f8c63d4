import type { Command } from 'commander';
import { clock } from '../../adapters/system/clock.js';
import { XinfangError } from '../../domain/problems.js';
import { DOCUMENT_TYPES, type DocumentType } from '../../domain/document-types.js';
import { issueDocument, removeIssued } from '../../services/documents.js';
import type { CliIo } from './case-commands.js';
import { openWorkspace } from './open.js';

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--set 名称=内容` pairs as template data. */
export function templateData(pairs: string[]): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new XinfangError('bad-set', `“${pair}”写法不对，应写成 名称=内容。`, 2);
    extra[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return extra;
}

export function addLetterCommand(program: Command, io: CliIo): void {
  program
    .command('letter')
    .description('按模板生成一份文书（PDF 和 Word），存入案件文件夹')
    .argument('<case>', '案件编号')
    .requiredOption('--type <文书>', DOCUMENT_TYPES.join('、'))
    .option('--set <名称=内容>', '填入模板的内容，可写多次，如 --set 经办单位=社区综合治理办公室', collect, [])
    .action(async (reference: string, options: { type: string; set: string[] }) => {
      if (!DOCUMENT_TYPES.includes(options.type as DocumentType)) throw new XinfangError('bad-type', `文书类型只能是 ${DOCUMENT_TYPES.join('、')} 之一。`, 2);
      const type = options.type as DocumentType;
      const extra = templateData(options.set);
      const opened = await openWorkspace(io.root());
      try {
        const { registry, settings, ws } = opened;
        const found = registry.findCase(reference);
        if (!found) throw new XinfangError('unknown-case', `找不到案件“${reference}”。请用 \`xinfang cases\` 查看已有的编号。`, 1);
        const issued = await issueDocument(ws, settings, found, type, extra, clock());
        try {
          registry.addDocuments(found.id, issued.records);
        } catch (e) {
          await removeIssued(issued);
          throw e;
        }
        io.print(io.json() ? issued.records : `已生成${type}：\n${issued.records.map((w) => `  ${w.path}`).join('\n')}`);
      } finally {
        opened.close();
      }
    });
}
