import { afterEach, describe, expect, it } from 'vitest';
import type { Office } from '../../src/app.js';
import { deadlineAlert, isRecipient, registrationAlerts } from '../../src/domain/alerts.js';
import type { Actor } from '../../src/domain/case.js';
import { EMPTY_WORKFLOW } from '../../src/domain/workflow.js';
import { makeWorkspace, officeAt, testClock } from '../helpers/workspace.js';

const clerk: Actor = { name: '刘芳', role: '登记员' };
const leader: Actor = { name: '张主任', role: '领导' };
const deputy: Actor = { name: '王副主任', role: '领导' };
const handler: Actor = { name: '李文', role: '经办人' };
const at = new Date('2026-11-03T02:00:00Z');

describe('who is told what', () => {
  it('tells every leader of an urgent letter and of a group petition, and no one of an ordinary one', () => {
    expect(registrationAlerts({ id: 7, flags: ['urgent', 'group', 'repeat'] }, at).map((a) => [a.kind, a.recipients, a.key])).toEqual([
      ['urgent', [{ role: '领导' }], '7:urgent::'],
      ['group', [{ role: '领导' }], '7:group::'],
    ]);
    expect(registrationAlerts({ id: 7, flags: ['repeat', 'low-confidence'] }, at)).toEqual([]);
    const urgent = registrationAlerts({ id: 7, flags: ['urgent'] }, at)[0]!;
    expect([leader, deputy, handler, clerk].map((a) => isRecipient(a, urgent))).toEqual([true, true, false, false]);
    // The terminal reads every alert.
    expect(isRecipient({ name: '管理员（终端）' }, urgent)).toBe(true);
  });

  it('tells the handler and the instructing leader of a deadline N days before it and once it has passed', () => {
    const instructed = { id: 3, workflow: { ...EMPTY_WORKFLOW, instruction: { leader: '张主任', text: '请处理', handler: '李文', at: at.toISOString(), due: '2026-11-20' } } };
    const due = (days: number) => ({ kind: 'handle' as const, date: '2026-11-20', days });
    expect(deadlineAlert(instructed, due(4), 3, at)).toBeNull();
    const soon = deadlineAlert(instructed, due(3), 3, at)!;
    expect(soon).toMatchObject({ kind: 'due-soon', deadline: 'handle', dueDate: '2026-11-20', key: '3:due-soon:handle:2026-11-20', recipients: [{ user: '李文' }, { user: '张主任' }] });
    expect(deadlineAlert(instructed, due(0), 3, at)!.kind).toBe('due-soon');
    expect(deadlineAlert(instructed, due(-1), 3, at)).toMatchObject({ kind: 'overdue', key: '3:overdue:handle:2026-11-20' });
    expect([handler, leader, deputy, clerk].map((a) => isRecipient(a, soon))).toEqual([true, true, false, false]);
    // With 0 days before, only the day itself.
    expect(deadlineAlert(instructed, due(1), 0, at)).toBeNull();
    // No deadline running (replied, closed): nothing.
    expect(deadlineAlert(instructed, null, 3, at)).toBeNull();
    // Before any instruction, the notify deadline goes to every leader.
    const registered = { id: 4, workflow: EMPTY_WORKFLOW };
    expect(deadlineAlert(registered, { kind: 'notify', date: '2026-11-18', days: 2 }, 3, at)!.recipients).toEqual([{ role: '领导' }]);
  });
});

describe('the alert service on a real registry', () => {
  let office: Office | undefined;
  afterEach(async () => {
    await office?.alerts.idle();
    await office?.close();
    office = undefined;
  });

  async function open(alerts: Record<string, unknown> = {}) {
    const root = await makeWorkspace({ workflow: { blankSheets: false }, alerts: { daysBeforeDue: 3, ...alerts } });
    const time = testClock('2026-11-03');
    const logged: { level: string; fields: object; message: string }[] = [];
    const log = { info: (fields: object, message: string) => logged.push({ level: 'info', fields, message }), warn: (fields: object, message: string) => logged.push({ level: 'warn', fields, message }), error: (fields: object, message: string) => logged.push({ level: 'error', fields, message }) };
    office = await officeAt(root, { clock: time.clock, log });
    return { office, time, logged };
  }

  it('raises an urgent letter to every leader at registration; each marks it read for themselves', async () => {
    const { office, logged } = await open();
    const c = await office.cases.register(clerk, { channel: '来访', matter: '小区拆迁补偿不到位，再不解决我们就去区政府门口静坐。', fields: { name: '王秀兰' } });
    expect(c.flags).toContain('urgent');
    const mine = await office.alerts.list(leader, { unreadOnly: true });
    expect(mine.total).toBe(1);
    expect(mine.alerts[0]).toMatchObject({ kind: 'urgent', caseId: c.id, case: { number: c.number, name: '王秀兰', urgentWords: ['静坐'] } });
    expect((await office.alerts.list(deputy, { unreadOnly: true })).total).toBe(1);
    expect((await office.alerts.list(handler)).total).toBe(0);
    expect(logged.find((l) => l.message === 'alert raised')?.fields).toMatchObject({ kind: 'urgent', case: c.number });

    const before = await office.alerts.mark(leader);
    await office.alerts.markRead(leader, mine.alerts[0]!.id);
    expect(await office.alerts.mark(leader)).not.toBe(before);
    expect((await office.alerts.list(leader, { unreadOnly: true })).total).toBe(0);
    expect((await office.alerts.list(deputy, { unreadOnly: true })).total).toBe(1);
    // Reading it again changes nothing; someone it is not for is told there is no such alert.
    await office.alerts.markRead(leader, mine.alerts[0]!.id);
    await expect(office.alerts.markRead(handler, mine.alerts[0]!.id)).rejects.toMatchObject({ code: 'unknown-alert' });

    // An ordinary visit raises nothing.
    await office.cases.register(clerk, { channel: '来访', matter: '楼道灯坏了，请物业修理。', fields: {} });
    expect((await office.alerts.list(leader)).total).toBe(1);
  });

  it('raises a group petition and keeps it first until someone takes charge, in the alert and in the history', async () => {
    const { office } = await open();
    const c = await office.cases.register(clerk, { channel: '来访', matter: '十二户居民联名反映小区电梯停运一个月。', fields: { signatories: '12' } });
    expect(c.flags).toContain('group');
    const [alert] = (await office.alerts.awaitingCharge(deputy)).alerts;
    expect(alert).toMatchObject({ kind: 'group', charge: null });
    await expect(office.alerts.takeCharge(leader, alert!.id, { person: '  ' })).rejects.toMatchObject({ code: 'no-charge-person' });
    await expect(office.alerts.takeCharge(handler, alert!.id, { person: '李文' })).rejects.toMatchObject({ code: 'unknown-alert' });
    const taken = await office.alerts.takeCharge(leader, alert!.id, { person: '王副主任', note: '已约谈物业公司' });
    expect(taken.taken).toBe(true);
    expect(taken.alert.charge).toMatchObject({ person: '王副主任', note: '已约谈物业公司', by: '张主任', at: '2026-11-03T02:00:00.000Z' });
    expect((await office.alerts.awaitingCharge(deputy)).total).toBe(0);
    // The first record stands.
    expect((await office.alerts.takeCharge(deputy, alert!.id, { person: '别人' })).taken).toBe(false);
    const history = (await office.cases.find(c.number)).history;
    expect(history.filter((h) => h.action === 'took-charge').map((h) => [h.actor, h.detail])).toEqual([['张主任', '集体访/联名信提醒：由王副主任负责处置；已约谈物业公司']]);
  });

  it('tells the handler and the leader N days before the due date and once overdue, each alert once', async () => {
    const { office, time } = await open();
    const c = await office.cases.register(clerk, { channel: '来访', matter: '小区门口人行道被工棚占用，请协调拆除。', fields: { name: '赵春燕' } });
    await office.workflow.instruct(leader, c, { leader: '张主任', text: '请李文核实处理', handler: '李文', due: '2026-11-20' });
    // The notify deadline (15 days after receipt: 11-18) and the due date are far off: nothing yet, however often checked.
    expect(await office.alerts.check()).toEqual([]);
    time.at('2026-11-14');
    expect(await office.alerts.check()).toEqual([]);
    time.at('2026-11-15');
    const soon = await office.alerts.check();
    expect(soon.map((a) => [a.kind, a.deadline, a.dueDate])).toEqual([['due-soon', 'notify', '2026-11-18']]);
    expect(await office.alerts.check()).toEqual([]);
    expect((await office.alerts.list(handler)).alerts.map((a) => a.kind)).toEqual(['due-soon']);
    expect((await office.alerts.list(leader)).alerts.map((a) => a.kind)).toEqual(['due-soon']);
    expect((await office.alerts.list(deputy)).total).toBe(0);
    // Accepting starts the handling deadline, the leader's due date (11-20), told 3 days before.
    await office.workflow.accept(handler, await office.cases.find(c.number));
    time.at('2026-11-16');
    expect(await office.alerts.check()).toEqual([]);
    time.at('2026-11-17');
    expect((await office.alerts.check()).map((a) => [a.kind, a.deadline, a.dueDate])).toEqual([['due-soon', 'handle', '2026-11-20']]);
    time.at('2026-11-21');
    expect((await office.alerts.check()).map((a) => [a.kind, a.deadline])).toEqual([['overdue', 'handle']]);
    expect(await office.alerts.check()).toEqual([]);
    expect((await office.alerts.list(handler)).alerts.map((a) => a.kind)).toEqual(['overdue', 'due-soon', 'due-soon']);
  });

  it('works out the deadline alert right after a workflow step', async () => {
    const { office, time } = await open();
    const c = await office.cases.register(clerk, { channel: '来访', matter: '小区路灯坏了很多盏，请尽快维修。', fields: { name: '黄振国' } });
    time.at('2026-11-10');
    await office.workflow.instruct(leader, c, { leader: '张主任', text: '请尽快修复', handler: '李文', due: '2026-11-19' });
    expect((await office.alerts.list(handler)).total).toBe(0);
    time.at('2026-11-16');
    await office.workflow.accept(handler, await office.cases.find(c.number));
    // No check has run: the step itself raised it.
    expect((await office.alerts.list(handler)).alerts.map((a) => [a.kind, a.deadline, a.dueDate])).toEqual([['due-soon', 'handle', '2026-11-19']]);
  });

  it('checks at once when the periodic check starts, and its stop waits for that check', async () => {
    const { office, time } = await open();
    await office.cases.register(clerk, { channel: '来访', matter: '小区垃圾无人清运，请督促物业。', fields: {} });
    time.at('2026-11-16');
    const stop = office.alerts.checkPeriodically();
    await stop();
    expect((await office.alerts.list(leader)).alerts.map((a) => [a.kind, a.deadline, a.dueDate])).toEqual([['due-soon', 'notify', '2026-11-18']]);
  });

  it('catches up an urgent letter registered without its alert (a stop between the commit and the alert)', async () => {
    const { office } = await open();
    const c = await office.cases.register(clerk, { channel: '来访', matter: '拖欠工资半年，不解决就去北京上访。', fields: {} });
    expect(c.flags).toContain('urgent');
    // As if the process had stopped before raising: the alert is not there; the check raises it once.
    const store = office.store as unknown as { db: { prepare(sql: string): { run(): void } } };
    store.db.prepare('DELETE FROM alert_recipients').run();
    store.db.prepare('DELETE FROM alerts').run();
    expect((await office.alerts.check()).map((a) => [a.kind, a.caseId])).toEqual([['urgent', c.id]]);
    expect(await office.alerts.check()).toEqual([]);
  });

  it('registers and raises even when the hook command cannot run, and logs the failure', async () => {
    const { office, logged } = await open({ command: ['/nonexistent/xinfang-hook', '--to', '主任'] });
    const c = await office.cases.register(clerk, { channel: '来访', matter: '邻居扬言报复，请社区尽快调解。', fields: {} });
    expect((await office.cases.find(c.number)).status).toBe('registered');
    expect((await office.alerts.list(leader)).total).toBe(1);
    await office.alerts.idle();
    const failed = logged.find((l) => l.message === 'alert hook failed');
    expect(failed?.level).toBe('error');
    expect(failed?.fields).toMatchObject({ ok: false, command: ['/nonexistent/xinfang-hook', '--to', '主任'] });
    expect(String((failed?.fields as { error?: string }).error)).toContain('ENOENT');
  });
});
