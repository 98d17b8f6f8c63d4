import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { XinfangError } from '../lib/errors.js';
import { exists, writeFileAtomic } from '../lib/fs-safe.js';
import { chineseDate, localDate } from '../lib/calendar.js';
import { sha256 } from '../lib/hash.js';
import { DOCUMENT_TYPES, type DocumentType } from '../render/document-types.js';
import type { CliIo } from './case-commands.js';
import { openWorkspace } from './open.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
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
      const extra: Record<string, string> = {};
      for (const pair of options.set) {
        const at = pair.indexOf('=');
        if (at <= 0) throw new XinfangError('bad-set', `“${pair}”写法不对，应写成 名称=内容。`, 2);
        extra[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
      }
      // The renderers (pdfkit, docx, fonts) are loaded only when a document is made, not by the watcher.
      const [{ facesFrom }, { caseData }, { letterDocx }, { letterPdf }, { fillTemplate }] = await Promise.all([
        import('../render/faces.js'),
        import('../render/letter-data.js'),
        import('../render/letter-docx.js'),
        import('../render/letter-pdf.js'),
        import('../render/templates.js'),
      ]);
      const opened = await openWorkspace(io.root());
      try {
        const { registry, settings, ws } = opened;
        const found = registry.findCase(reference);
        if (!found) throw new XinfangError('unknown-case', `找不到案件“${reference}”。请用 \`xinfang cases\` 查看已有的编号。`, 1);
        const now = new Date();
        const filled = fillTemplate(ws.templates, type, caseData(found, settings, now, extra));
        const head = { issuer: settings.office.name, docNumber: found.number, date: chineseDate(localDate(now, settings.office.timezone)), form: type === '批办单' };
        const pdf = await letterPdf(filled, head, facesFrom(settings, ws.root), now);
        const docx = await letterDocx(filled, head);
        const folder = ws.absolute(found.folder);
        mkdirSync(folder, { recursive: true });
        const stem = await freeStem(folder, type);
        const written = [];
        for (const [ext, bytes] of [['pdf', pdf], ['docx', docx]] as const) {
          const file = path.join(folder, `${stem}.${ext}`);
          await writeFileAtomic(file, bytes);
          written.push({ role: 'letter' as const, path: ws.relative(file), sha256: sha256(bytes), pages: ext === 'pdf' ? countPages(bytes) : 0, bytes: bytes.length });
        }
        registry.addDocuments(found.id, written);
        io.print(io.json() ? written : `已生成${type}：\n${written.map((w) => `  ${w.path}`).join('\n')}`);
      } finally {
        opened.close();
      }
    });
}

/** 受理告知书, or 受理告知书_2 when one was issued before: earlier letters are never overwritten. */
async function freeStem(folder: string, type: string): Promise<string> {
  for (let i = 1; ; i++) {
    const stem = i === 1 ? type : `${type}_${i}`;
    if (!(await exists(path.join(folder, `${stem}.pdf`))) && !(await exists(path.join(folder, `${stem}.docx`)))) return stem;
  }
}

function countPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}
