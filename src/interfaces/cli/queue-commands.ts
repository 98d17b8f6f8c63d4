/**
 * The district's work as jobs, at a district's root: `xinfang intake` (every community's inbox
 * into the shared file store and the queue) and `xinfang worker` (takes the jobs; on any machine
 * with the shared folders mounted and the connection string in the district's settings).
 * Both stop on Ctrl+C or SIGTERM: the intake after its pass, the worker after its current job.
 */
import type { Command } from 'commander';
import { workspaceAt } from '../../adapters/files/workspace.js';
import { createEngineLog } from '../../adapters/log/log.js';
import { openDistrict } from '../../district.js';
import { openDistrictQueue, startDistrictIntake, startDistrictWorker } from '../worker/district-work.js';
import type { CliIo } from './session.js';

function stopSignal(io: CliIo, what: string): AbortSignal {
  const stop = new AbortController();
  const onSignal = () => {
    io.print(what);
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return stop.signal;
}

export function addQueueCommands(program: Command, io: CliIo): void {
  program
    .command('intake')
    .description('街道（区）：监视各社区的收件箱，扫描件存入共享文件库并排入处理队列（按 Ctrl+C 停止）')
    .action(async () => {
      const district = await openDistrict({ root: io.root(), background: 'none' });
      const stopped = new Promise<void>((resolve) => stopSignal(io, '正在停止收件：本轮处理完后退出……').addEventListener('abort', () => resolve()));
      try {
        const stop = await startDistrictIntake(district, createEngineLog(workspaceAt(district.root).logs), (got) => {
          for (const r of got) io.print(io.json() ? JSON.stringify(r) : `已排入队列：${r.community} ${r.name}`);
        });
        io.print(`正在监视 ${district.communities().length} 个社区的收件箱，按 Ctrl+C 停止。`);
        await stopped;
        await stop();
      } finally {
        await district.close();
      }
    });

  program
    .command('worker')
    .description('街道（区）：从处理队列取任务（识别登记来信、生成空白批办单），可在多台电脑上同时运行（按 Ctrl+C 停止）')
    .action(async () => {
      const district = await openDistrict({ root: io.root(), background: 'none' });
      const log = createEngineLog(workspaceAt(district.root).logs);
      const queue = await openDistrictQueue(district, log);
      const stopped = new Promise<void>((resolve) => stopSignal(io, '正在停止：当前任务处理完后退出……').addEventListener('abort', () => resolve()));
      let worker;
      try {
        worker = await startDistrictWorker(district, queue, log);
        io.print(`处理队列的工作进程已启动（进程 ${process.pid}，同时处理 ${district.settings.queue.concurrency} 件），按 Ctrl+C 停止。`);
        await stopped;
      } finally {
        if (worker) await worker.stop({ graceful: true });
        else await queue.stop({ graceful: false });
        await district.close();
        setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
      }
    });
}
