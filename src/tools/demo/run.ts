/**
 * npm run demo — the whole product in one command, in a new workspace under the system's temp
 * folder: a few dozen letters typeset and scanned, taken in, instructed, accepted, answered and
 * closed (a few left open, some late), bound into volumes, the register book, the month's report
 * and dispute ledger. Prints where every output is. DEMO_LETTERS sets how many letters (24).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workspaceAt, cliEntry } from '../../adapters/files/workspace.js';
import { facesFrom } from '../../adapters/fonts/font-files.js';
import { loadSettings } from '../../adapters/settings/settings-file.js';
import { openOffice } from '../../app.js';
import { localDate } from '../../domain/calendar.js';
import { initWorkspace } from '../../services/workspace.js';
import { demoLetters, letterScan } from './letters.js';

const cli = cliEntry();
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Runs our own CLI as a clerk would, at a given time, showing its output. */
function xinfang(root: string, at: Date, ...args: string[]): void {
  const r = spawnSync(process.execPath, [cli, '--root', root, ...args], { stdio: 'inherit', env: { ...process.env, XINFANG_NOW: at.toISOString() } });
  if (r.status !== 0) throw new Error(`xinfang ${args.join(' ')} exited with ${r.status}`);
}

async function main(): Promise<void> {
  const count = Number(process.env.DEMO_LETTERS ?? 24);
  const root = mkdtempSync(path.join(os.tmpdir(), 'xinfang-demo-'));
  await initWorkspace(root);
  const ws = workspaceAt(root);
  const settings = loadSettings(ws.settingsFile);
  const today = new Date();
  // The letters came in about a month ago, so deadlines have run: some met, some missed.
  const received = new Date(today.getTime() - 32 * 86_400_000);
  const day = (offset: number) => new Date(received.getTime() + offset * 86_400_000);
  say(`演示工作区：${root}\n\n① 生成 ${count} 封来信的扫描件（用随程序安装的字体排版，再模拟扫描的倾斜、纸色和噪点）……`);
  const faces = facesFrom(settings, root);
  for (const [i, letter] of demoLetters(count, received).entries()) {
    writeFileSync(path.join(ws.inbox, `来信_${String(i + 1).padStart(2, '0')}_${letter.name}.jpg`), await letterScan(letter, faces, i + 1));
  }

  say('\n② 收件箱登记（识别文字、编号、存档）：');
  xinfang(root, received, 'ingest');

  say('\n③ 办理：领导批示、受理、答复、办结（部分案件延期、不予受理，少数故意留着未办以显示超期）……');
  // The steps are taken on the demo's own clock, a few days apart.
  let now = day(0);
  const office = await openOffice({ root, clock: () => now, background: 'none' });
  try {
    const at = (offset: number) => {
      now = day(offset);
    };
    const who = { name: '刘芳（演示）' };
    const { cases, workflow } = office;
    for (const [i, c] of (await cases.list()).entries()) {
      const find = () => cases.find(c.number);
      if (i % 8 === 7) continue; // left registered: its notify deadline runs out
      at(1);
      await workflow.instruct(who, await find(), { leader: '张主任', text: '请综治办核实情况，依法依规处理，按期答复。', handler: ['李文', '赵敏', '孙浩'][i % 3] });
      if (i % 8 === 6) continue; // instructed only
      if (i % 8 === 5) {
        at(3);
        await workflow.decline(who, await find(), { reason: '该事项已进入诉讼程序，依法应由人民法院处理' });
        at(4);
        await workflow.close(who, await find());
        continue;
      }
      at(3);
      await workflow.accept(who, await find());
      if (i % 8 === 4) continue; // being handled
      at(20);
      if (i % 8 === 3) await workflow.extend(who, await find(), { days: 30, reason: '需委托第三方检测' });
      at(25);
      await workflow.reply(who, await find(), {
        outcome: i % 3 === 0 ? '解释说明' : '予以支持',
        facts: '经工作人员现场核查，情况基本属实。社区已会同有关部门约谈责任方，责令限期整改，并将持续跟踪。',
        basis: '《信访工作条例》第三十二条',
      });
      at(26);
      await workflow.close(who, await find());
    }
    say(`   ${(await cases.list()).filter((c) => c.status === 'closed').length} 件已办结。`);

    say('\n④ 立卷：每个办结案件装订成案卷，再编成年度案卷……');
    at(27);
    const year = await office.binding.bindYear(who, Number(localDate(received, settings.office.timezone).slice(0, 4)));
    say(`   立卷 ${year.bound.length} 件，年度案卷 ${year.volumes.length} 册。`);
  } finally {
    await office.close();
  }

  say('\n⑤ 登记簿、统计报告、矛盾纠纷排查台账：');
  const yearText = localDate(received, settings.office.timezone).slice(0, 4);
  const month = localDate(received, settings.office.timezone).slice(0, 7);
  xinfang(root, today, 'book', '--year', yearText);
  xinfang(root, today, 'stats', '--month', month, '--report');
  xinfang(root, today, 'ledger', '--month', month);

  say('\n⑥ 期限与核验：');
  xinfang(root, today, 'due');
  xinfang(root, today, 'verify');

  say(`
演示完成。可以打开看看：
  工作区            ${root}
  案件文件夹        ${path.join(ws.archiveDir, yearText)}（每个案件一个文件夹：原件、可检索 PDF、批办单、告知书、处理意见书、案卷）
  年度案卷          ${ws.yearVolumes(Number(yearText))}
  登记簿            ${ws.books}
  统计报告和台账    ${ws.reports}
再试试这些命令（在程序文件夹里运行）：
  npx xinfang --root "${root}" cases
  npx xinfang --root "${root}" show 1
  npx xinfang --root "${root}" history 1
  npx xinfang --root "${root}" search 烧烤
`);
}

await main();
