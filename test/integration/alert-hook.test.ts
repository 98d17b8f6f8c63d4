/**
 * The site's hook command, really run: a small node script that writes what it is given to a
 * file. A hook that fails or hangs is logged and never holds up or fails the registration, also
 * for a real scan taken in from the inbox.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultFaces } from '../../src/adapters/fonts/font-files.js';
import type { Office } from '../../src/app.js';
import type { Actor } from '../../src/domain/case.js';
import { QUIET_REPORTER } from '../../src/services/intake/reporter.js';
import { demoLetters, letterScan } from '../../src/tools/demo/letters.js';
import { parseYaml, stringifyYaml } from '../../src/adapters/yaml/yaml.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';

const clerk: Actor = { name: '刘芳', role: '登记员' };
const leader: Actor = { name: '张主任', role: '领导' };

/** Writes its standard input, its arguments and the alert's environment variables to the file named first. */
const RECORDER = `
const { appendFileSync } = require('node:fs');
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const env = { kind: process.env.XINFANG_ALERT_KIND, case: process.env.XINFANG_ALERT_CASE, text: process.env.XINFANG_ALERT_TEXT, id: process.env.XINFANG_ALERT_ID };
  appendFileSync(process.argv[2], JSON.stringify({ input: JSON.parse(input), args: process.argv.slice(3), env }) + '\\n');
  if (process.argv[3] === 'fail') { process.stderr.write('短信网关无法连接'); process.exit(3); }
  if (process.argv[3] === 'hang') setTimeout(() => {}, 60_000);
});
`;

interface Logged {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

describe('the alert hook command', () => {
  let office: Office | undefined;
  afterEach(async () => {
    await office?.alerts.idle();
    await office?.close();
    office = undefined;
  });

  async function open(mode: 'ok' | 'fail' | 'hang', overrides: Record<string, Record<string, unknown>> = {}) {
    const root = await makeWorkspace({ workflow: { blankSheets: false }, ...overrides });
    const script = path.join(root, 'hook.cjs');
    const out = path.join(root, 'hook-out.jsonl');
    writeFileSync(script, RECORDER);
    // The settings as an office writes them: the program, then its arguments.
    const settingsFile = path.join(root, 'pipeline', 'settings.yaml');
    const settings = parseYaml(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(settingsFile, stringifyYaml({ ...settings, alerts: { command: [process.execPath, script, out, mode], commandTimeoutSeconds: 2 } }));
    const logged: Logged[] = [];
    const log = {
      info: (fields: object, message: string) => logged.push({ level: 'info', fields: fields as Logged['fields'], message }),
      warn: (fields: object, message: string) => logged.push({ level: 'warn', fields: fields as Logged['fields'], message }),
      error: (fields: object, message: string) => logged.push({ level: 'error', fields: fields as Logged['fields'], message }),
    };
    office = await officeAt(root, { log });
    const records = () => (existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { input: Record<string, unknown>; args: string[]; env: Record<string, string> }) : []);
    return { office, root, records, logged };
  }

  it('is given each new alert as JSON on its standard input, with environment variables', async () => {
    const { office, records, logged } = await open('ok');
    const c = await office.cases.register(clerk, { channel: '来访', matter: '十余户居民在小区门口拉横幅，要求退还多收的物业费。', fields: { name: '李建国', signatories: '12' } });
    await office.alerts.idle();
    const got = records();
    expect(got.map((r) => r.input.kind)).toEqual(['urgent', 'group']);
    expect(got[0]!.input).toMatchObject({ label: '紧急来信', case: { number: c.number, ref: `${c.year}-${c.seq}`, name: '李建国' }, recipients: [{ role: '领导' }], office: '八宝社区居民委员会' });
    expect(String(got[0]!.input.text)).toContain('拉横幅');
    expect(got[0]!.args).toEqual(['ok']);
    expect(got[0]!.env).toMatchObject({ kind: 'urgent', case: c.number, id: String(got[0]!.input.id) });
    expect(got[0]!.env.text).toBe(got[0]!.input.text);
    expect(logged.filter((l) => l.message === 'alert hook ran')).toHaveLength(2);
    // Checking again raises nothing new, so the hook is not run again.
    await office.alerts.check();
    await office.alerts.idle();
    expect(records()).toHaveLength(2);
  });

  it('logs a failing hook and registers all the same', async () => {
    const { office, records, logged } = await open('fail');
    const c = await office.cases.register(clerk, { channel: '来访', matter: '邻居扬言要报复我家，请社区尽快处理。', fields: {} });
    expect((await office.alerts.list(leader)).total).toBe(1);
    await office.alerts.idle();
    expect(records()).toHaveLength(1);
    const failed = logged.find((l) => l.message === 'alert hook failed')!;
    expect(failed.level).toBe('error');
    expect(failed.fields).toMatchObject({ ok: false, exitCode: 3, timedOut: false, stderr: '短信网关无法连接' });
    expect((await office.cases.find(c.number)).status).toBe('registered');
  });

  it('stops a hook that runs past its timeout, and the registration does not wait for it', async () => {
    const { office, logged } = await open('hang');
    const c = await office.cases.register(clerk, { channel: '来访', matter: '工资拖欠一年，再不给就去北京上访。', fields: {} });
    // Registered and alerted while the hook still runs: nothing is known of its end yet.
    expect(c.number).toMatch(/八宝信〔\d{4}〕1号/);
    expect((await office.alerts.list(leader)).total).toBe(1);
    expect(logged.some((l) => l.message.startsWith('alert hook'))).toBe(false);
    await office.alerts.idle();
    expect(logged.find((l) => l.message === 'alert hook failed')?.fields).toMatchObject({ ok: false, timedOut: true, signal: 'SIGKILL' });
  });

  it('takes a scan with an urgent word in from the inbox with a failing hook: registered, alerted, the inbox cleared', async () => {
    const { office, root, records, logged } = await open('fail');
    const letter = demoLetters(6, new Date('2026-11-01T00:00:00Z'))[5]!;
    expect(letter.body.join('')).toContain('静坐');
    writeFileSync(path.join(root, 'inbox', '紧急来信.jpg'), await letterScan(letter, defaultFaces(), 6));
    const intake = await office.openIntake();
    try {
      const [result] = await intake.ingestOnce(QUIET_REPORTER);
      expect(result!.kind).toBe('registered');
      const c = (result as { case: { id: number; number: string; flags: string[] } }).case;
      expect(c.flags).toContain('urgent');
      expect(existsSync(path.join(root, 'inbox', '紧急来信.jpg'))).toBe(false);
      const [alert] = (await office.alerts.list(leader)).alerts;
      expect(alert).toMatchObject({ kind: 'urgent', caseId: c.id });
      expect(alert!.case.urgentWords).toContain('静坐');
      await office.alerts.idle();
      expect(records().map((r) => r.input.case)).toEqual([expect.objectContaining({ number: c.number })]);
      expect(logged.find((l) => l.message === 'alert hook failed')?.fields).toMatchObject({ exitCode: 3 });
    } finally {
      await intake.close();
    }
  }, 120_000);
});
