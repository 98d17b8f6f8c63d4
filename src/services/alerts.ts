/**
 * Alerts, the only way in: raised when a case is registered (urgent letter, group petition) and
 * when its deadline nears or passes (after each workflow step, at start-up and periodically);
 * listed for a person, marked read, taken charge of. Each new alert also goes to the log and to
 * the site's hook command, one at a time and never waited for by whoever raised it: a hook that
 * fails or hangs is logged and changes nothing else.
 */
import { CHARGE_KINDS, deadlineAlert, isReadBy, isRecipient, ON_DUTY_KINDS, registrationAlerts, signAlert, type Alert, type NewAlert } from '../domain/alerts.js';
import { localDate } from '../domain/calendar.js';
import { onDutyOn, type OnDuty } from '../domain/roster.js';
import type { SignReport } from '../domain/signs.js';
import type { Actor, Case } from '../domain/case.js';
import { dueState } from '../domain/deadlines.js';
import { describeError, fail } from '../domain/problems.js';
import { ALERT_KIND_LABEL, alertText } from '../domain/words.js';
import type { RunCommand } from '../ports/command.js';
import type { ServiceContext } from './context.js';

/** What the other services tell the alerts of; a failure here is logged, never passed to them. */
export interface AlertNotifier {
  registered(c: Case): Promise<void>;
  stepTaken(c: Case): Promise<void>;
  /** An informant's report of an early sign was recorded. */
  signReported(sign: SignReport): Promise<void>;
}

export interface AlertList {
  alerts: Alert[];
  total: number;
}

export class AlertService implements AlertNotifier {
  /** The hook runs one alert after another: a burst of alerts never starts a burst of programs. */
  private hooks: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly run: RunCommand,
  ) {}

  /** Raises the alerts of a case just registered; never throws (the case is committed already). */
  async registered(c: Case): Promise<void> {
    await this.quietly('registration', c, () => this.raise([...registrationAlerts(c, this.ctx.clock()), ...this.deadlineAlerts([c])]));
  }

  /** Tells every leader of an informant's report just recorded; never throws (the report is committed already). */
  async signReported(sign: SignReport): Promise<void> {
    try {
      await this.raise([signAlert(sign, this.ctx.clock())]);
    } catch (e) {
      this.ctx.log.error({ sign: sign.number, err: describeError(e) }, 'alerts: raising failed');
    }
  }

  /** Who is on duty today, from the roster (and the contact list for a phone not written on it). */
  async onDutyToday(): Promise<OnDuty[]> {
    const day = localDate(this.ctx.clock(), this.ctx.settings.office.timezone);
    const [shifts, contacts] = await Promise.all([this.ctx.store.dutyShifts(day, day), this.ctx.store.contacts()]);
    return onDutyOn(day, shifts, contacts);
  }

  /** A step may start, move or end a deadline: the case's deadline alert is worked out again. */
  async stepTaken(c: Case): Promise<void> {
    await this.quietly('step', c, () => this.raise(this.deadlineAlerts([c])));
  }

  /**
   * Every open case's deadline, and any urgent letter, group petition or informant's report still
   * open without its alert (a stop between the commit and the alert); alerts on record are not raised again.
   */
  async check(): Promise<Alert[]> {
    const open = await this.ctx.store.openCases();
    // An informant's report still open whose alert a stop cut off is told now, like an urgent letter.
    const signs = (await this.ctx.store.signReports()).filter((s) => s.status === 'open');
    const now = this.ctx.clock();
    return this.raise([...open.flatMap((c) => registrationAlerts(c, now)), ...signs.map((s) => signAlert(s, now)), ...this.deadlineAlerts(open)]);
  }

  /** Checks now and then every `checkMinutes` until stopped; the stop waits for a check under way (not for hooks: a hung one must not hold the program). */
  checkPeriodically(): () => Promise<void> {
    let running: Promise<unknown> = Promise.resolve();
    const once = () => {
      running = this.check().catch((e: unknown) => this.ctx.log.error({ err: describeError(e) }, 'alerts: deadline check failed'));
    };
    once();
    const timer = setInterval(once, this.ctx.settings.alerts.checkMinutes * 60_000);
    return async () => {
      clearInterval(timer);
      await running;
    };
  }

  /** The person's alerts, latest first; with unreadOnly the ones they have not marked read. */
  async list(actor: Actor, options: { unreadOnly?: boolean; limit?: number } = {}): Promise<AlertList> {
    return this.ctx.store.alertsFor(actor, { unreadOnly: options.unreadOnly, limit: options.limit ?? 200 });
  }

  /** Urgent letters and group petitions told to this person that no one has taken charge of yet. */
  async awaitingCharge(actor: Actor, limit = 50): Promise<AlertList> {
    return this.ctx.store.alertsFor(actor, { awaitingCharge: true, limit });
  }

  /** Changes when the person's unread alerts may have changed: what a polling page asks first. */
  mark(actor: Actor): Promise<string> {
    return this.ctx.store.alertMark(actor.name);
  }

  async markRead(actor: Actor, id: string | number): Promise<Alert> {
    const alert = await this.mine(actor, id);
    if (!isReadBy(alert, actor.name)) await this.ctx.store.markAlertRead(alert.id, actor.name, this.ctx.clock());
    return (await this.ctx.store.alertById(alert.id))!;
  }

  /**
   * Records who takes charge of an urgent letter or group petition, and what was done, with who
   * wrote it down and when, in the alert and in the case's history. The first record stands.
   */
  async takeCharge(actor: Actor, id: string | number, input: { person?: string; note?: string }): Promise<{ taken: boolean; alert: Alert }> {
    const alert = await this.mine(actor, id);
    if (!CHARGE_KINDS.includes(alert.kind)) fail({ code: 'not-a-charge-alert', id: alert.id });
    const person = (input.person ?? '').trim();
    if (!person) fail({ code: 'no-charge-person' });
    const note = (input.note ?? '').trim();
    const at = this.ctx.clock().toISOString();
    const detail = `${ALERT_KIND_LABEL[alert.kind]}提醒：由${person}负责处置${note ? `；${note}` : ''}`;
    const result = await this.ctx.store.takeCharge(alert.id, { person, note, by: actor.name, at }, { at, actor: actor.name, action: 'took-charge', detail });
    if (result.taken) this.ctx.log.info({ alert: alert.id, case: alert.case.number, person, by: actor.name }, 'alert taken charge of');
    return result;
  }

  /** Resolves when every hook started so far has ended (tests, and a process about to stop). */
  idle(): Promise<void> {
    return this.hooks;
  }

  private async mine(actor: Actor, id: string | number): Promise<Alert> {
    const n = Number(id);
    const alert = Number.isSafeInteger(n) && n > 0 ? await this.ctx.store.alertById(n) : undefined;
    // Someone else's alert is as good as none: its existence is not told.
    if (!alert || !isRecipient(actor, alert)) fail({ code: 'unknown-alert', id: String(id) });
    return alert;
  }

  private deadlineAlerts(cases: Case[]): NewAlert[] {
    const now = this.ctx.clock();
    const days = this.ctx.settings.alerts.daysBeforeDue;
    return cases.flatMap((c) => deadlineAlert(c, dueState(c, this.ctx.settings, now), days, now) ?? []);
  }

  private async raise(given: NewAlert[]): Promise<Alert[]> {
    if (given.length === 0) return [];
    // What a leader must act on at once names who is on duty that day (值班), in the banner, the log and the hook.
    const onDuty = given.some((a) => ON_DUTY_KINDS.includes(a.kind)) ? await this.onDutyToday() : [];
    const alerts = given.map((a) => (ON_DUTY_KINDS.includes(a.kind) && onDuty.length ? { ...a, onDuty } : a));
    const raised = await this.ctx.store.addAlerts(alerts);
    for (const a of raised.reverse()) {
      this.ctx.log.info({ alert: a.id, kind: a.kind, case: a.caseId !== null ? a.case.number : null, sign: a.sign ? a.case.number : null, onDuty: a.onDuty, deadline: a.deadline, dueDate: a.dueDate, recipients: a.recipients }, 'alert raised');
      this.hook(a);
    }
    return raised;
  }

  private hook(a: Alert): void {
    const { command, commandTimeoutSeconds } = this.ctx.settings.alerts;
    if (command.length === 0) return;
    const input = {
      id: a.id,
      kind: a.kind,
      label: ALERT_KIND_LABEL[a.kind],
      text: alertText(a),
      case: a.caseId !== null ? { number: a.case.number, ref: `${a.case.year}-${a.case.seq}`, name: a.case.name, summary: a.case.summary } : null,
      sign: a.sign ? { number: a.case.number, ref: `${a.case.year}-${a.case.seq}`, place: a.sign.place, people: a.sign.people, matter: a.case.summary, risk: a.sign.risk, reporter: a.sign.reporter } : null,
      onDuty: a.onDuty,
      deadline: a.deadline,
      dueDate: a.dueDate,
      recipients: a.recipients,
      createdAt: a.createdAt,
      office: this.ctx.settings.office.name,
    };
    const env = { XINFANG_ALERT_ID: String(a.id), XINFANG_ALERT_KIND: a.kind, XINFANG_ALERT_CASE: a.case.number, XINFANG_ALERT_TEXT: input.text, XINFANG_ALERT_ON_DUTY: a.onDuty.map((p) => p.name).join('、') };
    this.hooks = this.hooks.then(async () => {
      try {
        const outcome = await this.run({ command, stdin: `${JSON.stringify(input)}\n`, env, timeoutMs: commandTimeoutSeconds * 1000, cwd: this.ctx.paths.root });
        if (outcome.ok) this.ctx.log.info({ alert: a.id, ms: outcome.ms }, 'alert hook ran');
        else this.ctx.log.error({ alert: a.id, command, ...outcome }, 'alert hook failed');
      } catch (e) {
        this.ctx.log.error({ alert: a.id, command, err: describeError(e) }, 'alert hook failed');
      }
    });
  }

  /** Raising an alert never undoes or fails what was done already (a case registered, a step taken). */
  private async quietly(when: string, c: Case, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (e) {
      this.ctx.log.error({ case: c.number, when, err: describeError(e) }, 'alerts: raising failed');
    }
  }
}
