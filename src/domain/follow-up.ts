/**
 * After the reply: the return visit with the petitioner's evaluation (回访, 满意度, 条例 §21), and
 * the petitioner's request for review by the higher body (复查, §35) and a second review (复核, §36),
 * each asked within its days of the answer before it and answered within its own. Pure rules.
 */
import { localDate } from './calendar.js';
import { countDays, type DayUnit } from './deadlines.js';
import type { HolidayTable } from './workdays.js';

/** A return visit or call: when (local day), how (a setting's word), by whom, the petitioner's evaluation (the office's scale). */
export interface ReturnVisit {
  on: string;
  how: string;
  by: string;
  result: string;
  note: string | null;
  recordedBy: string;
  recordedAt: string;
}

export const REVIEW_STAGES = ['复查', '复核'] as const;
export type ReviewStage = (typeof REVIEW_STAGES)[number];

/** A request for review (复查) or second review (复核): asked on (local day), of which body, answered by when; the body's decision once known. */
export interface Review {
  stage: ReviewStage;
  requestedOn: string;
  body: string;
  /** The day the body's answer is expected by. */
  answerDue: string;
  decision: string | null;
  decidedOn: string | null;
  recordedBy: string;
  recordedAt: string;
}

/** The day limits of review, from the settings. */
export interface ReviewRules {
  /** Days the petitioner has to ask, counted from the day after the answer before (the reply, or the 复查's decision). */
  requestDays: number;
  /** Days the body has to answer, counted from the day after the request. */
  answerDays: number;
  unit: DayUnit;
}

/** The review waiting for the body's decision, if any. */
export function openReview(reviews: readonly Review[]): Review | null {
  const last = reviews.at(-1);
  return last && !last.decidedOn ? last : null;
}

/** The stage a new request would be: 复查 first, 复核 after the 复查's decision; null when the 复核 was asked already or a review is open. */
export function nextReviewStage(reviews: readonly Review[]): ReviewStage | null {
  if (openReview(reviews)) return null;
  if (reviews.length === 0) return '复查';
  return reviews.at(-1)!.stage === '复查' ? '复核' : null;
}

/** The window a request may be made in: from the answer before (local day) to the last day. Null when no request is possible now. */
export function reviewWindow(
  w: { repliedAt: string | null; reviews: readonly Review[] },
  rules: ReviewRules,
  timeZone: string,
  holidays: HolidayTable = {},
): { stage: ReviewStage; from: string; due: string } | null {
  const stage = nextReviewStage(w.reviews);
  if (!stage || !w.repliedAt) return null;
  const from = stage === '复查' ? localDate(w.repliedAt, timeZone) : w.reviews.at(-1)!.decidedOn!;
  return { stage, from, due: countDays(from, rules.requestDays, rules.unit, holidays) };
}

/** When the body's answer is due, counted from the request. */
export function reviewAnswerDue(requestedOn: string, rules: ReviewRules, holidays: HolidayTable = {}): string {
  return countDays(requestedOn, rules.answerDays, rules.unit, holidays);
}

/** Whether an evaluation counts as satisfied, on the office's scale (the settings name the words that count). */
export function isSatisfied(result: string, satisfied: readonly string[]): boolean {
  return satisfied.includes(result);
}

/** 2026年12月5日 without importing the words (they import the workflow, which imports this). */
function day(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/**
 * The return visit and the reviews of a case as lines for `show` and the case page: the visit
 * with its evaluation, each review with its body, answer date and decision, and while a request
 * may still be made, its last day.
 */
export function followUpLines(
  w: { repliedAt: string | null; returnVisit: ReturnVisit | null; reviews: readonly Review[] },
  rules: ReviewRules,
  timeZone: string,
  holidays: HolidayTable,
  today: string,
): string[] {
  const lines: string[] = [];
  const v = w.returnVisit;
  if (v) lines.push(`回访：${day(v.on)} ${v.how}回访（${v.by}），信访人评价：${v.result}${v.note ? `；${v.note}` : ''}`);
  for (const r of w.reviews) {
    const answer = r.decidedOn ? `结论：${r.decision}（${day(r.decidedOn)}）` : `结论：尚未作出${today > r.answerDue ? '，已超过答复期限' : ''}`;
    lines.push(`${r.stage}：${day(r.requestedOn)} 向${r.body}申请，应于 ${day(r.answerDue)} 前作出${r.stage}意见；${answer}`);
  }
  const window = reviewWindow(w, rules, timeZone, holidays);
  if (window && today <= window.due) lines.push(`可申请${window.stage}：至 ${day(window.due)}（${window.stage === '复查' ? '书面答复' : '复查意见'}之日起 ${rules.requestDays} 日内）`);
  return lines;
}

/** What an unsatisfied petitioner may do next, from the settings' wording: {天数}, {期限}, {复查机关} filled in. */
export function unsatisfiedAdvice(template: string, values: { days: number; due: string | null; body: string }): string {
  return template
    .replaceAll('{天数}', String(values.days))
    .replaceAll('{期限}', values.due ? day(values.due) : '')
    .replaceAll('{复查机关}', values.body);
}

/** The review day limits as the settings give them. */
export function reviewRules(settings: { workflow: { reviewRequestDays: number; reviewAnswerDays: number; dayUnits: { review: DayUnit } } }): ReviewRules {
  const w = settings.workflow;
  return { requestDays: w.reviewRequestDays, answerDays: w.reviewAnswerDays, unit: w.dayUnits.review };
}
