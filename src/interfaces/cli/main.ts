#!/usr/bin/env node
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Help } from 'commander';
import { workspaceAt } from '../../adapters/files/workspace.js';
import { createEngineLog } from '../../adapters/log/log.js';
import { openOffice, type Office } from '../../app.js';
import { isDistrictRoot, openDistrict, type District } from '../../district.js';
import { describeError, isXinfangError } from '../../domain/problems.js';
import { calendarWarning, problemText } from '../../domain/words.js';
import { localDate } from '../../domain/calendar.js';
import { missingCalendarYears } from '../../domain/workdays.js';
import { initWorkspace } from '../../services/workspace.js';
import { LAUNCHER, writeLaunchers } from './launcher.js';
import { createReporter } from './progress.js';
import { UsageError } from './session.js';
import { cliText, exitCodeOf } from './words.js';
import { addBookCommand } from './book-command.js';
import { addUserCommands } from './user-commands.js';
import { addCaseCommands } from './case-commands.js';
import { addCorrectCommand } from './correct-command.js';
import { addIssueCommand } from './issue-command.js';
import { addWorkflowCommands } from './workflow-commands.js';
import { addArchiveCommands } from './archive-commands.js';
import { addStatsCommands } from './stats-commands.js';
import { addAlertCommands } from './alert-commands.js';
import { addDutyCommands } from './duty-commands.js';
import { addAssessCommand } from './assess-command.js';
import { addSignCommands } from './sign-commands.js';
import { addMigrateCommand } from './migrate-command.js';
import { addDistrictCommands } from './district-commands.js';
import { addQueueCommands } from './queue-commands.js';

interface GlobalOptions {
  root: string;
  json?: boolean;
}

const program = new Command();
program
  .name('xinfang')
  .description('社区信访来信扫描件自动登记、编号与归档')
  .option('--root <dir>', '工作区文件夹，含 inbox、archive、pipeline、templates（默认：当前文件夹，或环境变量 XINFANG_ROOT）')
  .option('--json', '以 JSON 输出，供脚本使用')
  .helpOption('-h, --help', '显示帮助')
  .helpCommand('help [命令]', '显示某个命令的帮助')
  .configureHelp({ formatHelp: (cmd, helper) => inChinese(Help.prototype.formatHelp.call(helper, cmd, helper)) })
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: () => {} });

/** Commander writes its help headings in English; the office reads Chinese. */
function inChinese(help: string): string {
  return help
    .replace(/^Usage:/m, '用法：')
    .replace(/^Options:/m, '选项：')
    .replace(/^Commands:/m, '命令：')
    .replace(/^Arguments:/m, '参数：')
    .replace(/\[options\]/g, '[选项]')
    .replace(/\[command\]/g, '[命令]');
}

const globals = (): GlobalOptions => {
  const options = program.opts<Partial<GlobalOptions>>();
  return { ...options, root: options.root ?? process.env.XINFANG_ROOT ?? process.cwd() };
};
const print = (value: unknown) => process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);

program
  .command('init')
  .description('新建一个工作区：四个文件夹和默认的设置、模板')
  .argument('<dir>', '新工作区的文件夹')
  .action(async (dir: string) => {
    const root = await initWorkspace(dir);
    const start = await writeLaunchers(root);
    print(
      globals().json
        ? { root, start }
        : [
            `已新建工作区：${root}`,
            `把扫描件放进 ${path.join(root, 'inbox')}，然后在终端里运行下面这一行，收件箱和网页一起启动：`,
            `  ${start}`,
            `Windows 上在该文件夹里运行：${LAUNCHER}.cmd start`,
          ].join('\n'),
    );
  });

program
  .command('ingest')
  .description('处理收件箱里现有的扫描件，处理完即退出')
  .action(async () => {
    const office = await openOffice({ root: globals().root });
    try {
      const intake = await office.openIntake();
      try {
        const reporter = createReporter({ tty: Boolean(process.stderr.isTTY) && !globals().json, quiet: globals().json });
        const results = await intake.ingestOnce(reporter);
        if (globals().json) {
          print(
            results.map((r) => ({
              kind: r.kind,
              item: r.item,
              ...('case' in r ? { number: r.case.number } : {}),
              ...('of' in r ? { duplicateOf: r.of.number } : {}),
              ...('problem' in r ? { code: r.problem.code, message: problemText(r.problem) } : {}),
              ...(r.kind === 'failed' ? { reason: r.reason, attempts: r.attempts } : {}),
            })),
          );
        } else if (results.length === 0) {
          print('收件箱里没有待处理的扫描件。');
        }
        // A file that could not be processed for an unforeseen reason is still in the inbox: say so by the exit code.
        if (results.some((r) => r.kind === 'failed')) process.exitCode = 1;
      } finally {
        await intake.close();
      }
    } finally {
      await office.close();
    }
  });

program
  .command('watch')
  .description('持续监视收件箱，扫描件一放入就自动登记（按 Ctrl+C 停止）')
  .action(async () => {
    const office = await openOffice({ root: globals().root });
    await watchUntilStopped(office, `（${office.settings.intake.watchMode === 'polling' ? '轮询方式' : '实时方式'}）`);
  });

program
  .command('start')
  .description('开始工作：监视收件箱，同时启动网页（默认 http://localhost:8080），按 Ctrl+C 停止')
  .option('--port <端口>', '网页使用的端口（默认见设置 web.port）')
  .option('--no-intake', '街道（区）：只开网页，不监视各社区收件箱（收件箱由另一台电脑的 xinfang intake 监视时）')
  .action(async (options: { port?: string; intake: boolean }) => {
    const port = options.port === undefined ? undefined : Number(options.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) throw new UsageError(`端口“${options.port}”不对，请写 1 到 65535 之间的数字。`);
    if (isDistrictRoot(globals().root)) return startDistrict(port, options.intake);
    const office = await openOffice({ root: globals().root });
    const { startWebServer } = await import('../web/server.js');
    const web = await startWebServer(office, { port });
    print(`网页已启动：请用浏览器打开 ${web.url}`);
    const calendar = calendarWarning(missingCalendarYears(localDate(office.clock(), office.settings.office.timezone), office.settings.calendar.holidays));
    if (calendar) print(calendar);
    if (!(await office.users.hasUsers())) print('还没有用户。请先添加第一位管理员：echo 密码 | npx xinfang user add 姓名 --role 管理员 --password-stdin');
    // Deadlines are checked at start-up and every alerts.checkMinutes while the program runs.
    const stopChecks = office.alerts.checkPeriodically();
    await watchUntilStopped(office, '', async () => {
      await stopChecks();
      await web.app.close();
    });
  });

/**
 * `xinfang start` at a district's root: ONE web server for all its communities (each under
 * /c/<code>/, the district's pages at /) and every community's deadline checks, until Ctrl+C or
 * SIGTERM, with the district's intake (startDistrictIntake) putting every community's scans on the queue.
 */
async function startDistrict(port: number | undefined, intake: boolean): Promise<void> {
  const district = await openDistrict({ root: globals().root });
  const { startWebServer } = await import('../web/server.js');
  const web = await startWebServer(district, { port });
  // One write: whoever waits for the first line reads the communities' addresses with it.
  print(`网页已启动：请用浏览器打开 ${web.url}\n全街道（区）共 ${district.communities().length} 个社区：${district.communities().map((c) => `${c.name}（${web.url}/c/${c.code}/）`).join('、') || '还没有社区'}`);
  const stops: (() => Promise<void>)[] = [];
  for (const c of district.communities()) stops.push((await district.officeFor(c.code)).alerts.checkPeriodically());
  const stopIntake = intake ? await startDistrictIntake(district) : async () => {};
  await new Promise<void>((resolve) => {
    const onSignal = () => {
      print('正在停止……');
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  await stopIntake();
  for (const stop of stops) await stop();
  await web.app.close();
  await district.close();
}

/**
 * The district's intake beside the web: every community's inbox into the shared file store and
 * the job queue (as `xinfang intake` does); the letters are read by `xinfang worker`, on this
 * machine or others. Resolves with how to stop it (after its current pass).
 */
async function startDistrictIntake(district: District): Promise<() => Promise<void>> {
  const { startDistrictIntake: start } = await import('../worker/district-work.js');
  print(`正在监视 ${district.communities().length} 个社区的收件箱：扫描件排入处理队列，由 xinfang worker 识别登记。`);
  return start(district, createEngineLog(workspaceAt(district.root).logs), (got) => {
    for (const r of got) print(`已排入队列：${r.community} ${r.name}`);
  });
}

/**
 * Takes letters in as they arrive until Ctrl+C or SIGTERM (the letter being read is finished
 * first), then stops what runs beside it (the web server), the OCR and the registry.
 */
async function watchUntilStopped(office: Office, how: string, stopAlso: () => Promise<void> = async () => {}): Promise<void> {
  const intake = await office.openIntake();
  const reporter = createReporter({ tty: Boolean(process.stderr.isTTY) });
  const stop = new AbortController();
  const onSignal = () => {
    print('正在停止：当前文件处理完后退出……');
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  print(`正在监视收件箱：${office.paths.inbox}${how}，按 Ctrl+C 停止。`);
  try {
    await intake.watch(reporter, stop.signal);
  } finally {
    await stopAlso();
    await intake.close();
    await office.close();
    // Everything is written and closed; should a library still hold a handle open, leave anyway.
    setTimeout(() => {
      office.log.warn({ open: process.getActiveResourcesInfo() }, 'watch: a handle was still open two seconds after stopping; exiting');
      process.exit(process.exitCode ?? 0);
    }, 2000).unref();
  }
}

const io = { root: () => globals().root, json: () => Boolean(globals().json), print };
addCaseCommands(program, io);
addCorrectCommand(program, io);
addBookCommand(program, io);
addIssueCommand(program, io);
addWorkflowCommands(program, io);
addArchiveCommands(program, io);
addStatsCommands(program, io);
addUserCommands(program, io);
addAlertCommands(program, io);
addDutyCommands(program, io);
addAssessCommand(program, io);
addSignCommands(program, io);
addMigrateCommand(program, io);
addDistrictCommands(program, io);
addQueueCommands(program, io);

const USAGE_MESSAGES: Record<string, (e: CommanderError) => string> = {
  'commander.unknownCommand': () => '没有这个命令。',
  'commander.unknownOption': () => '没有这个选项。',
  'commander.missingArgument': () => '缺少必需的参数。',
  'commander.optionMissingArgument': () => '选项缺少取值。',
  'commander.excessArguments': () => '参数太多。',
};

/** The message above sends the office to the engine log: the error and where it arose must be in it. */
function logUnexpected(e: unknown): void {
  try {
    const ws = workspaceAt(globals().root);
    if (!existsSync(ws.archiveDir)) return;
    createEngineLog(ws.logs).error({ command: process.argv.slice(2), err: e }, 'command failed unexpectedly');
  } catch {
    // Not even the log can be written (no workspace, or no room): the message on screen stands alone.
  }
}

async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      const message = USAGE_MESSAGES[e.code]?.(e) ?? '命令用法不对。';
      process.stderr.write(`错误：${message}（${e.message.replace(/^error: /, '')}）\n运行 xinfang --help 查看用法。\n`);
      return 2;
    }
    if (isXinfangError(e)) {
      process.stderr.write(`错误：${cliText(e.problem)}\n`);
      return exitCodeOf(e.problem);
    }
    if (e instanceof UsageError) {
      process.stderr.write(`错误：${e.userMessage}\n`);
      return 2;
    }
    logUnexpected(e);
    process.stderr.write(`程序出错：${describeError(e)}\n请把 archive/logs/xinfang.log 交给技术人员。\n`);
    return 1;
  }
}

// A command may have set a failing exit code of its own (ingest with files left to retry).
const code = await main(process.argv);
process.exitCode = code !== 0 ? code : (process.exitCode ?? 0);
