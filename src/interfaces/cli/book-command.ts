import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { clock } from '../../adapters/system/clock.js';
import { XinfangError } from '../../domain/problems.js';
import type { BookInfo } from '../../adapters/pdfkit/register-book.js';
import type { CliIo } from './case-commands.js';
import { openWorkspace } from './open.js';
import { chineseDate, localDate, parseYear } from '../../domain/calendar.js';

export function addBookCommand(program: Command, io: CliIo): void {
  program
    .command('book')
    .description('打印来信来访登记簿（PDF 或 Word）')
    .requiredOption('--year <年>', '年度，如 2026')
    .option('--month <月>', '只打印这个月，如 11')
    .option('--format <格式>', 'pdf 或 docx', 'pdf')
    .action(async (options: { year: string; month?: string; format: string }) => {
      const year = parseYear(options.year);
      const month = options.month === undefined ? undefined : Number(options.month);
      if (month !== undefined && (!Number.isInteger(month) || month < 1 || month > 12)) throw new XinfangError('bad-month', `月份“${options.month}”不对，请写 1 到 12。`, 2);
      if (options.format !== 'pdf' && options.format !== 'docx') throw new XinfangError('bad-format', '格式只能是 pdf 或 docx。', 2);
      const [{ bookRows, inMonth }, { facesFrom }, { writeBookDocx, writeBookPdf }] = await Promise.all([
        import('../../domain/book-rows.js'),
        import('../../adapters/pdfkit/faces.js'),
        import('../../adapters/pdfkit/register-book.js'),
      ]);
      const opened = await openWorkspace(io.root());
      try {
        const { registry, settings, ws } = opened;
        const byChannel = new Map<string, number>();
        let total = 0;
        const casesOfPeriod = () => inMonth(registry.casesOfYear(year), settings.office.timezone, month);
        for (const c of casesOfPeriod()) {
          total++;
          byChannel.set(c.channel, (byChannel.get(c.channel) ?? 0) + 1);
        }
        const period = month ? `${year}年${month}月` : `${year}年`;
        const info: BookInfo = {
          office: settings.office.name,
          period,
          total,
          byChannel: [...byChannel.entries()],
          printedOn: chineseDate(localDate(clock(), settings.office.timezone)),
        };
        const dir = path.join(ws.archive, '登记簿');
        mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `${period}来信来访登记簿.${options.format}`);
        const rows = bookRows(casesOfPeriod(), settings);
        if (options.format === 'pdf') await writeBookPdf(rows, info, facesFrom(settings, ws.root), file);
        else await writeBookDocx(rows, info, file);
        io.print(io.json() ? { file: ws.relative(file), cases: total } : `已生成登记簿（${period}，共 ${total} 件）：${ws.relative(file)}`);
      } finally {
        opened.close();
      }
    });
}
