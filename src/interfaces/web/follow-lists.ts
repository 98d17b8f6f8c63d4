/**
 * The lists that head a person's work: open 督办 (on the desk and over the case list) and the 复查 /
 * 复核 waiting for the higher body's decision (on the desk), each only with the cases the person may see.
 */
import type { Actor } from '../../domain/case.js';
import { chineseDate, localDate } from '../../domain/calendar.js';
import type { Office } from '../../app.js';

export interface SupervisedRow {
  ref: string;
  number: string;
  by: string;
  demand: string;
  due: string;
  late: boolean;
  urges: number;
}

export async function supervisedRows(office: Office, me: Actor, handler?: string): Promise<SupervisedRow[]> {
  const today = localDate(office.clock(), office.settings.office.timezone);
  return (await office.workflow.supervised(me))
    .filter((c) => handler === undefined || c.workflow.instruction?.handler === handler)
    .map((c) => ({
      ref: `${c.year}-${c.seq}`,
      number: c.number,
      by: c.workflow.supervision!.by,
      demand: c.workflow.supervision!.demand,
      due: chineseDate(c.workflow.supervision!.due),
      late: c.workflow.supervision!.due < today,
      urges: c.workflow.supervision!.urges,
    }));
}

export interface ReviewRow {
  ref: string;
  number: string;
  name: string;
  stage: string;
  body: string;
  requested: string;
  due: string;
  daysLeft: number;
  late: boolean;
}

export async function reviewRows(office: Office, me: Actor): Promise<ReviewRow[]> {
  const waiting = await office.workflow.underReview(me);
  return Promise.all(
    waiting.map(async (r) => {
      const c = await office.cases.find(r.number);
      return {
        ref: `${c.year}-${c.seq}`,
        number: r.number,
        name: r.name ?? '',
        stage: r.review.stage,
        body: r.review.body,
        requested: chineseDate(r.review.requestedOn),
        due: chineseDate(r.review.answerDue),
        daysLeft: r.daysLeft,
        late: r.daysLeft < 0,
      };
    }),
  );
}
