import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { track } from '../helpers/children.js';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace, scan } from '../helpers/workspace.js';

describe('the xinfang command', () => {
  it('init makes a workspace with the four folders, and refuses to overwrite one', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'xinfang-cli-')), '社区工作区');
    const made = runCli(['init', dir]);
    expect(made.status).toBe(0);
    expect(made.stdout).toContain('已新建工作区');
    for (const folder of ['inbox', 'archive', 'pipeline', 'templates']) expect(existsSync(path.join(dir, folder))).toBe(true);
    expect(readFileSync(path.join(dir, 'pipeline', 'settings.yaml'), 'utf8')).toContain('engine: paddle');
    const again = runCli(['init', dir]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('已经是工作区');
  });

  it('init prints a line that starts the workspace, and that exact line works from any folder', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'xinfang-cli-')), '八宝 社区');
    const made = runCli(['init', dir]);
    expect(made.status, made.stderr).toBe(0);
    const line = made.stdout.split('\n').find((l) => l.includes('./xinfang start'))!.trim();
    expect(existsSync(path.join(dir, 'xinfang.cmd'))).toBe(true);
    // Its own port, so the test does not clash with anything on 8080; the printed line is run unchanged.
    const settingsFile = path.join(dir, 'pipeline', 'settings.yaml');
    const port = 20_000 + (process.pid % 20_000);
    writeFileSync(settingsFile, readFileSync(settingsFile, 'utf8').replace('port: 8080', `port: ${port}`));
    const child = track(spawn('sh', ['-c', line], { cwd: os.tmpdir(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] }));
    try {
      let said = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => {
          said += d.toString();
          if (said.includes('网页已启动')) resolve();
        });
        child.stderr!.on('data', (d: Buffer) => (said += d.toString()));
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${said}`)));
      });
      expect(said).toContain(`http://localhost:${port}`);
      const page = await fetch(`http://localhost:${port}/login`);
      expect(await page.text()).toContain('用户名');
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    }
  }, 120_000);

  it('answers wrong usage with exit code 2 and a Chinese message', () => {
    const unknown = runCli(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('没有这个命令');
    const missing = runCli(['show']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('缺少必需的参数');
    expect(runCli(['--bogus', 'cases']).status).toBe(2);
    expect(runCli(['--help']).status).toBe(0);
  });

  it('asks who is acting, never writing the computer\'s login name into a case\'s history', async () => {
    const root = await makeWorkspace({ office: { clerk: '' } });
    const login = os.userInfo().username;
    for (const args of [['register', '--channel', '来访', '--name', '王秀兰', '--matter', '路灯不亮。'], ['bind', '--year', '2026']]) {
      const r = runCli(['--root', root, ...args]);
      expect(r.status, args[0]).toBe(2);
      expect(r.stderr, args[0]).toContain('请加上 --by 姓名');
    }
    expect(runCli(['--root', root, 'register', '--channel', '来访', '--name', '王秀兰', '--matter', '路灯不亮。', '--by', '刘芳']).status).toBe(0);
    const instruct = runCli(['--root', root, 'instruct', '1', '--leader', '张主任', '--text', '请城建办处理', '--handler', '李文']);
    expect(instruct.status).toBe(2);
    expect(runCli(['--root', root, 'instruct', '1', '--leader', '张主任', '--text', '请城建办处理', '--handler', '李文', '--by', '张主任']).status).toBe(0);
    const shown = JSON.parse(runCli(['--root', root, '--json', 'show', '1']).stdout) as { history: { actor: string }[] };
    expect(shown.history.map((h) => h.actor)).toEqual(['刘芳', '张主任']);
    // The settings' default clerk stands in for --by.
    const withClerk = await makeWorkspace({ office: { clerk: '刘芳' } });
    expect(runCli(['--root', withClerk, 'register', '--channel', '来访', '--name', '王秀兰', '--matter', '路灯不亮。']).status).toBe(0);
    const registered = JSON.parse(runCli(['--root', withClerk, '--json', 'show', '1']).stdout) as { history: { actor: string }[] };
    expect(registered.history[0]!.actor).toBe('刘芳');
    expect(JSON.stringify(shown) + JSON.stringify(registered)).not.toContain(`"${login}"`);
  });

  it('fails with exit code 1 and says what to do for an unknown case or a folder that is no workspace', async () => {
    const root = await makeWorkspace();
    const unknown = runCli(['--root', root, 'show', '八宝信〔2026〕99号']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('找不到案件');
    const notWorkspace = runCli(['--root', os.tmpdir(), 'cases']);
    expect(notWorkspace.status).toBe(1);
    expect(notWorkspace.stderr).toContain('xinfang init');
    const empty = runCli(['--root', root, 'cases']);
    expect(empty.status).toBe(0);
    expect(empty.stdout).toContain('还没有案件');
    expect(JSON.parse(runCli(['--root', root, '--json', 'cases']).stdout)).toEqual([]);
  });

  it('says in Chinese that a damaged registry cannot be opened and must be restored, changing nothing', async () => {
    const root = await makeWorkspace();
    const file = path.join(root, 'archive', 'registry.sqlite');
    const junk = 'not a registry, only text that is long enough to be read as a file header'.repeat(4);
    writeFileSync(file, junk);
    const damaged = runCli(['--root', root, 'cases']);
    expect(damaged.status).toBe(1);
    expect(damaged.stderr).toContain('登记簿文件');
    expect(damaged.stderr).toContain('从备份恢复');
    expect(readFileSync(file, 'utf8')).toBe(junk);
  });

  it('on an unforeseen error exits 1, sends the office to the log, and the log holds the error and where it arose', async () => {
    const root = await makeWorkspace();
    // A folder where the registry file should be: nothing the program foresees.
    mkdirSync(path.join(root, 'archive', 'registry.sqlite'));
    const broken = runCli(['--root', root, 'cases']);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('程序出错');
    expect(broken.stderr).toContain('archive/logs/xinfang.log');
    const logged = readFileSync(path.join(root, 'archive', 'logs', 'xinfang.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { msg: string; command: string[]; err: { stack: string } });
    const entry = logged.find((l) => l.msg === 'command failed unexpectedly');
    expect(entry?.command).toContain('cases');
    expect(entry?.err.stack).toMatch(/SqliteStore/);
  });

  it('stops on a wrong setting, naming the key, before touching the inbox', async () => {
    const root = await makeWorkspace();
    const settingsFile = path.join(root, 'pipeline', 'settings.yaml');
    writeFileSync(settingsFile, readFileSync(settingsFile, 'utf8').replace('engine: paddle', 'engine: abbyy'));
    copyFileSync(scan('S01.jpg'), path.join(root, 'inbox', 'S01.jpg'));
    const r = runCli(['--root', root, 'ingest']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ocr.engine');
    expect(r.stderr).toContain('paddle、tesseract');
    expect(existsSync(path.join(root, 'inbox', 'S01.jpg'))).toBe(true);
  });

  it('ingests, lists and shows a case in plain Chinese and in JSON', async () => {
    const root = await makeWorkspace();
    copyFileSync(scan('S02.jpg'), path.join(root, 'inbox', '黄振国 来信.jpg'));
    const ingest = runCli(['--root', root, 'ingest']);
    expect(ingest.status, ingest.stderr).toBe(0);
    expect(ingest.stdout).toContain('已登记 八宝信〔2026〕1号 ← 黄振国 来信.jpg');
    expect(ingest.stdout).toContain('登记 1 件');
    const cases = runCli(['--root', root, 'cases']);
    expect(cases.stdout).toMatch(/八宝信〔2026〕1号 .*已登记 .*来信 .*黄振国 .*物业管理 .*请社区督促物业公司/);
    const list = JSON.parse(runCli(['--root', root, '--json', 'cases']).stdout);
    expect(list[0]).toMatchObject({ number: '八宝信〔2026〕1号', year: 2026, seq: 1, status: 'registered' });
    expect(Date.parse(list[0].receivedAt)).not.toBeNaN();
    const show = runCli(['--root', root, 'show', '2026-1']);
    expect(show.stdout).toContain('东风里小区的物业公司');
    expect(show.stdout).toContain('原件  archive/2026/八宝信〔2026〕1号/原件_黄振国 来信.jpg  （1 页，');
    // A Word file has no page count of its own (it depends on the printer): none is shown.
    expect(show.stdout).toMatch(/批办单\.docx {2}（SHA-256 /);
    const json = JSON.parse(runCli(['--root', root, '--json', 'show', '1']).stdout);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['number', 'year', 'seq', 'status', 'receivedAt', 'channel', 'ocr', 'documents', 'flags']));
    expect(Object.keys(json.ocr)).toEqual(expect.arrayContaining(['text', 'confidence', 'pages']));
    expect(Object.keys(json.documents[0])).toEqual(['role', 'kind', 'path', 'sha256', 'pages']);
  });
});
