import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { packageRoot } from '../../adapters/files/workspace.js';
import { parseYear } from '../../domain/calendar.js';
import { clock } from '../../adapters/system/clock.js';
import { XinfangError } from '../../domain/problems.js';
import { actor, requireCase, withWorkspace, type CliIo } from './case-commands.js';

export function addArchiveCommands(program: Command, io: CliIo): void {
  program
    .command('bind')
    .description('立卷：把办结的案件装订成案卷 PDF（PDF/A），或用 --year 装订全年案卷')
    .argument('[case]', '案件编号')
    .option('--year <年度>', '装订这一年全部办结的案件，并按册编排归档文件目录')
    .option('--rebuild', '按现有材料重新生成已立卷案件的案卷（档号不变）')
    .option('--by <姓名>', '立卷人（默认：当前电脑用户）')
    .action((reference: string | undefined, options: { year?: string; rebuild?: boolean; by?: string }) =>
      withWorkspace(io, async (opened) => {
        if (!reference && !options.year) throw new XinfangError('bind-what', '请写明要立卷的案件编号，或用 --year 2026 装订全年。', 2);
        const ctx = { ...opened, now: clock(), actor: actor(options.by) };
        const { bindCase } = await import('../../services/binding/bind-case.js');
        if (reference) {
          const bound = await bindCase(ctx, requireCase(opened, reference), { rebuild: options.rebuild });
          return io.print(io.json() ? bound : `已立卷 ${bound.number}，档号 ${bound.ref}：${bound.papers} 件，共 ${bound.pages} 页（含封面、目录、备考表）\n  ${bound.path}`);
        }
        const year = parseYear(options.year ?? '');
        const { bindYear } = await import('../../services/binding/year-volumes.js');
        const result = await bindYear(ctx, year);
        if (io.json()) return io.print(result);
        io.print(
          [
            `${year} 年：本次立卷 ${result.bound.length} 件，共 ${result.cases} 件装订为 ${result.volumes.length} 册：`,
            ...result.volumes.map((v) => `  第 ${v.volume} 册：${v.cases.length} 件，${v.pages} 页（${Math.ceil(v.pages / 2)} 张）  ${v.path}`),
            ...(result.skipped.length ? ['未立卷（尚未办结或缺少材料）：', ...result.skipped.map((s) => `  ${s}`)] : []),
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
      withWorkspace(io, async ({ ws, settings, registry }) => {
        const year = parseYear(options.year);
        const { exportYear } = await import('../../services/records/export-bag.js');
        const bag = await exportYear(ws, settings, registry, year, dir, clock(), packageVersion());
        io.print(io.json() ? bag : `已导出 ${year} 年档案：${bag.cases} 件，${bag.files} 个文件，${(bag.bytes / 1048576).toFixed(1)} MB\n  ${bag.dir}`);
      }),
    );
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
