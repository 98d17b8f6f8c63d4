import { describe, expect, it } from 'vitest';
import { followUpLines, nextReviewStage, reviewAnswerDue, reviewWindow, unsatisfiedAdvice, type Review, type ReviewRules } from '../../src/domain/follow-up.js';
import { missingForBinding } from '../../src/domain/binding.js';
import type { CaseDetail } from '../../src/domain/case.js';
import { EMPTY_WORKFLOW, refusal, type CaseStatus, type StepContext, type Workflow } from '../../src/domain/workflow.js';
import { bindingNeedText, refusalText } from '../../src/domain/words.js';
import { cliText } from '../../src/interfaces/cli/words.js';

const tz = 'Asia/Shanghai';
const rules: ReviewRules = { requestDays: 30, answerDays: 30, unit: '自然日' };
// Replied on 2026-11-03 local (10:00 in Beijing): day 30 after it is 2026-12-03.
const replied: Workflow = { ...EMPTY_WORKFLOW, instruction: { leader: '张主任', text: '请处理', handler: '李文', at: '2026-10-20T02:00:00Z', due: null }, acceptedAt: '2026-10-21T02:00:00Z', outcome: '不予支持', facts: '……', repliedAt: '2026-11-03T02:00:00Z' };
const firstReview = (decidedOn: string | null): Review => ({ stage: '复查', requestedOn: '2026-11-20', body: '八宝街道办事处', answerDue: '2026-12-20', decision: decidedOn ? '维持' : null, decidedOn, recordedBy: '刘芳', recordedAt: '2026-11-20T02:00:00Z' });
const caseWith = (workflow: Workflow, status: CaseStatus = 'closed') => ({ number: '八宝信〔2026〕7号', status, channel: '来信', transfer: null, workflow });

/** The refusal of a request made on `on`, with its window, or null when it is taken. */
function requestOn(w: Workflow, on: string) {
  const window = reviewWindow(w, rules, tz);
  const at: StepContext = { today: '2027-03-01', returnDue: null, review: window ? { requestedOn: on, ...window } : null };
  return refusal('request-review', caseWith(w), at);
}

describe('复查 and 复核 (条例 §35, §36): 30 days to ask', () => {
  it('takes a 复查 asked on day 30 after the reply and refuses one on day 31, saying what is wrong and what to do', () => {
    expect(reviewWindow(replied, rules, tz)).toEqual({ stage: '复查', from: '2026-11-03', due: '2026-12-03' });
    expect(requestOn(replied, '2026-12-03')).toBeNull();
    const late = requestOn(replied, '2026-12-04');
    expect(late).toEqual({ kind: 'review-late', stage: '复查', from: '2026-11-03', due: '2026-12-03', requestedOn: '2026-12-04' });
    const words = refusalText('request-review', '八宝信〔2026〕7号', 'closed', late!);
    expect(words).toContain('已超过期限');
    expect(words).toContain('2026年12月3日');
    expect(words).toContain('请核对申请日期');
  });

  it('counts the 复核 from the 复查 decision: day 30 taken, day 31 refused', () => {
    const w = { ...replied, reviews: [firstReview('2026-12-10')] };
    expect(nextReviewStage(w.reviews)).toBe('复核');
    expect(reviewWindow(w, rules, tz)).toEqual({ stage: '复核', from: '2026-12-10', due: '2027-01-09' });
    expect(requestOn(w, '2027-01-09')).toBeNull();
    expect(requestOn(w, '2027-01-10')).toMatchObject({ kind: 'review-late', stage: '复核', due: '2027-01-09' });
  });

  it('counts working days when the settings say so, on the holiday table', () => {
    const working: ReviewRules = { ...rules, requestDays: 5, unit: '工作日' };
    // 2026-11-03 is a Tuesday: five working days on is Tuesday 2026-11-10.
    expect(reviewWindow(replied, working, tz)?.due).toBe('2026-11-10');
    expect(reviewAnswerDue('2026-11-20', rules)).toBe('2026-12-20');
  });

  it('refuses a second request while one waits for its decision, any after the 复核, and a decision with no request', () => {
    const open = { ...replied, reviews: [firstReview(null)] };
    expect(refusal('request-review', caseWith(open))).toMatchObject({ kind: 'review-open', stage: '复查' });
    expect(refusal('decide-review', caseWith(open))).toBeNull();
    expect(refusal('decide-review', caseWith(replied))).toEqual({ kind: 'no-open-review' });
    const ended = { ...replied, reviews: [firstReview('2026-12-10'), { ...firstReview('2027-01-05'), stage: '复核' as const }] };
    expect(refusal('request-review', caseWith(ended))).toEqual({ kind: 'reviews-ended' });
    expect(refusalText('request-review', '八宝信〔2026〕7号', 'closed', { kind: 'reviews-ended' })).toContain('最终意见');
  });

  it('takes the visit and the review only after a written reply, a closed case too', () => {
    expect(refusal('visit', caseWith(replied, 'replied'))).toBeNull();
    expect(refusal('visit', caseWith(replied, 'closed'))).toBeNull();
    expect(refusal('visit', caseWith({ ...EMPTY_WORKFLOW, declinedAt: '2026-11-03T02:00:00Z' }, 'closed'))).toEqual({ kind: 'not-replied' });
    expect(refusal('request-review', caseWith(EMPTY_WORKFLOW, 'accepted'))).toEqual({ kind: 'needs-first', first: ['reply'] });
    expect(cliText({ code: 'step-refused', step: 'decide-review', caseNumber: '八宝信〔2026〕7号', status: 'closed', refusal: { kind: 'no-open-review' } })).toContain('xinfang appeal request');
  });
});

describe('binding waits for the review', () => {
  it('names the open review as what the volume lacks', () => {
    const c = { status: 'closed', workflow: { ...replied, closedAt: '2026-11-04T02:00:00Z', reviews: [firstReview(null)] } } as unknown as CaseDetail;
    const missing = missingForBinding(c);
    expect(missing).toEqual([{ need: 'review-decision', stage: '复查', body: '八宝街道办事处', requestedOn: '2026-11-20', answerDue: '2026-12-20' }]);
    expect(bindingNeedText(missing[0]!)).toContain('复查结论');
    expect(missingForBinding({ ...c, workflow: { ...c.workflow, reviews: [firstReview('2026-12-10')] } } as CaseDetail)).toEqual([]);
  });
});

describe('the follow-up lines and the next step of an unsatisfied petitioner', () => {
  it('shows the visit, each review with its answer date, and the last day to ask while it is open', () => {
    const w = { ...replied, returnVisit: { on: '2026-11-10', how: '电话', by: '刘芳', result: '不满意', note: null, recordedBy: '刘芳', recordedAt: '' }, reviews: [] };
    expect(followUpLines(w, rules, tz, {}, '2026-11-10')).toEqual(['回访：2026年11月10日 电话回访（刘芳），信访人评价：不满意', '可申请复查：至 2026年12月3日（书面答复之日起 30 日内）']);
    expect(followUpLines({ ...w, reviews: [firstReview(null)] }, rules, tz, {}, '2026-12-21')[1]).toBe('复查：2026年11月20日 向八宝街道办事处申请，应于 2026年12月20日 前作出复查意见；结论：尚未作出，已超过答复期限');
    expect(unsatisfiedAdvice('可自收到书面答复之日起{天数}日内（{期限}前）向{复查机关}请求复查', { days: 30, due: '2026-12-03', body: '八宝街道办事处' })).toBe('可自收到书面答复之日起30日内（2026年12月3日前）向八宝街道办事处请求复查');
  });
});

describe('the follow-up settings', () => {
  it('default for an older settings file, and refuse a satisfied word not on the scale or a scale with nothing unsatisfied', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const YAML = (await import('yaml')).default;
    const { parseSettings } = await import('../../src/domain/settings.js');
    const { problemText } = await import('../../src/domain/words.js');
    const { isXinfangError } = await import('../../src/domain/problems.js');
    const raw = YAML.parse(readFileSync(path.join(import.meta.dirname, '..', '..', 'pipeline', 'settings.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
    delete raw.followUp;
    delete raw.workflow!.reviewRequestDays;
    delete (raw.workflow!.dayUnits as Record<string, unknown>).review;
    const s = parseSettings(raw);
    expect(s.followUp.satisfaction).toEqual(['满意', '基本满意', '不满意']);
    expect([s.workflow.reviewRequestDays, s.workflow.reviewAnswerDays, s.workflow.dayUnits.review]).toEqual([30, 30, '自然日']);
    const wording = (followUp: Record<string, unknown>) => {
      try {
        parseSettings({ ...raw, followUp });
        return null;
      } catch (e) {
        return isXinfangError(e) ? problemText(e.problem) : String(e);
      }
    };
    expect(wording({ satisfaction: ['好', '差'], satisfied: ['满意'] })).toContain('followUp.satisfied：只能填 好、差 之一');
    expect(wording({ satisfaction: ['好', '差'], satisfied: ['好', '差'] })).toContain('至少要有一项不算满意');
  });
});
