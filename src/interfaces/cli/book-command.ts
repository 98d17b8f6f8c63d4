import type { Command } from 'commander';
import { parseMonth, parseYear } from '../../domain/calendar.js';
import { TERMINAL_ADMIN, UsageError, withOffice, type CliIo } from './session.js';

export function addBookCommand(program: Command, io: CliIo): void {
  program
    .command('book')
    .description('打印来信来访登记簿（PDF 或 Word）')
    .requiredOption('--year <年>', '年度，如 2026')
    .option('--month <月>', '只打印这个月，如 11')
    .option('--format <格式>', 'pdf 或 docx', 'pdf')
    .action(async (options: { year: string; month?: string; format: string }) => {
      const year = parseYear(options.year);
      const month = options.month === undefined ? undefined : parseMonth(options.month);
      if (options.format !== 'pdf' && options.format !== 'docx') throw new UsageError('格式只能是 pdf 或 docx。');
      const format = options.format;
      await withOffice(io, async (office) => {
        const book = await office.reports.book(TERMINAL_ADMIN, year, month, format);
        io.print(io.json() ? { file: book.file, cases: book.cases } : `已生成登记簿（${book.period}，共 ${book.cases} 件）：${book.file}`);
      });
    });
}

