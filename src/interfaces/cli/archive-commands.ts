import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { packageRoot } from '../../adapters/files/workspace.js';
import { parseYear } from '../../domain/calendar.js';
import { actor, UsageError, withOffice, type CliIo } from './session.js';
import { cliText } from './words.js';

export function addArchiveCommands(program: Command, io: CliIo): void {
  program
    .command('bind')
    .description('立卷：把办结的案件装订成案卷 PDF（PDF/A），或用 --year 装订全年案卷')
    .argument('[case]', '案件编号')
    .option('--year <年度>', '装订这一年全部办结的案件，并按册编排归档文件目录')
    .option('--rebuild', '单个案件：按现有材料重新生成案卷（档号不变）；与 --year 一起：全年重新编册为新的一版，原有各册文件保留')
    .option('--by <姓名>', '立卷人（默认：设置里的 office.clerk）')
    .action((reference: string | undefined, options: { year?: string; rebuild?: boolean; by?: string }) =>
      withOffice(io, async (office) => {
        if (!reference && !options.year) throw new UsageError('请写明要立卷的案件编号，或用 --year 2026 装订全年。');
        const who = actor(options.by, office);
        if (reference) {
          const bound = await office.binding.bindCase(who, await office.cases.find(reference), { rebuild: options.rebuild });
          return io.print(io.json() ? bound : `已立卷 ${bound.number}，档号 ${bound.ref}：${bound.papers} 件，共 ${bound.pages} 页（含封面、目录、备考表）\n  ${bound.path}`);
        }
        const year = parseYear(options.year ?? '');
        const result = await office.binding.bindYear(who, year, { rebuild: options.rebuild });
        const skipped = result.skipped.map((s) => ('open' in s ? `${s.number}：尚未办结` : cliText(s.problem)));
        if (io.json()) return io.print({ ...result, skipped });
        io.print(
          [
            `${year} 年：本次立卷 ${result.bound.length} 件，已办结 ${result.cases} 件。`,
            ...(result.kept.length ? [`已装订的 ${result.kept.length} 册保持不变（${result.kept.map((v) => `第 ${v.volume} 册`).join('、')}）。`] : []),
            ...(result.volumes.length
              ? [options.rebuild ? `重新编册，新的一版共 ${result.volumes.length} 册（原有各版文件保留）：` : `新装订 ${result.volumes.length} 册：`]
              : ['没有新办结的案件需要装订成册。']),
            ...result.volumes.map((v) => `  第 ${v.volume} 册${v.edition > 1 ? `（第 ${v.edition} 版）` : ''}：${v.cases.length} 件，${v.pages} 页（${Math.ceil(v.pages / 2)} 张）  ${v.path}`),
            ...(skipped.length ? ['未立卷（尚未办结或缺少材料）：', ...skipped.map((s) => `  ${s}`)] : []),
          ].join('\n'),
        );
      }),
    );

  program
    .command('export')
    .description('把一年的档案导出为 BagIt 格式的数据包（data/、manifest-sha256.txt、bag-info.txt），供其他单位校验接收')
    .requiredOption('--year <年度>', '导出哪一年')
    .argument('<dir>', '新的目标文件夹')
    .action((dir: string, options: { year: string }) =>
      withOffice(io, async (office) => {
        const year = parseYear(options.year);
        const bag = await office.records.exportYear(year, dir, packageVersion());
        io.print(io.json() ? bag : `已导出 ${year} 年档案：${bag.cases} 件，${bag.files} 个文件，${(bag.bytes / 1048576).toFixed(1)} MB\n  ${bag.dir}`);
      }),
    );
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
