import type { Settings } from '../settings.js';
import { localDate } from '../calendar.js';
import type { Case } from '../case.js';
import { caseDeadlines } from '../deadlines.js';
import { STATUS_LABEL } from '../words.js';
import { inPeriod, localDater, type Period } from './periods.js';

/** One line of the dispute screening ledger (矛盾纠纷排查台账). */
export interface LedgerRow {
  checkedOn: string;
  area: string;
  checkedBy: string;
  type: string;
  parties: string;
  situation: string;
  /** 高, 中 or 低 (an informant's level of the settings' list is put as one of these). */
  risk: string;
  responsible: string;
  measures: string;
  deadline: string;
  result: string;
  caseNumber: string;
}

export const LEDGER_COLUMNS: { key: keyof LedgerRow; title: string; share: number }[] = [
  { key: 'checkedOn', title: '排查日期', share: 10 },
  { key: 'area', title: '区域或单位', share: 11 },
  { key: 'checkedBy', title: '排查人', share: 6 },
  { key: 'type', title: '纠纷类型', share: 8 },
  { key: 'parties', title: '当事人', share: 8 },
  { key: 'situation', title: '基本情况', share: 18 },
  { key: 'risk', title: '风险等级', share: 5 },
  { key: 'responsible', title: '责任人或包案领导', share: 9 },
  { key: 'measures', title: '化解措施', share: 12 },
  { key: 'deadline', title: '化解时限', share: 10 },
  { key: 'result', title: '化解结果', share: 8 },
];

/**
 * The month's disputes found in the petitions received: cases of the dispute categories the
 * settings name, and any case marked urgent or group whatever its category. Risk: urgent words
 * high; group petitions and repeats medium; the rest low.
 */
export function ledgerRows(all: Case[], period: Period, settings: Settings): LedgerRow[] {
  const tz = settings.office.timezone;
  const dayOf = localDater(tz);
  const disputes = new Set(settings.stats.disputeCategories);
  return all
    .filter((c) => inPeriod(dayOf(c.receivedAt), period))
    .filter((c) => disputes.has(c.fields.category ?? '') || c.flags.includes('urgent') || c.flags.includes('group'))
    .map((c) => {
      const w = c.workflow;
      const due = caseDeadlines(c, settings);
      const risk = c.flags.includes('urgent') ? '高' : c.flags.includes('group') || c.repeatOf ? '中' : '低';
      return {
        checkedOn: localDate(c.receivedAt, tz),
        area: c.fields.address ?? '',
        checkedBy: c.workflow.instruction?.handler ?? settings.workflow.handlingUnit,
        type: c.fields.category ?? '其他',
        parties: [c.fields.name, c.fields.signatories && c.fields.signatories > 1 ? `等${c.fields.signatories}人` : ''].filter(Boolean).join(''),
        situation: c.fields.summary ?? c.ocrText.slice(0, 60),
        risk,
        responsible: [c.caseLeader ? `包案领导 ${c.caseLeader.leader}` : '', w.instruction?.leader, w.instruction?.handler].filter(Boolean).join('／'),
        measures: w.instruction?.text ?? '',
        deadline: due.handle ?? due.notify,
        result: c.status === 'closed' ? `已化解（${w.outcome ?? '不予受理'}）` : STATUS_LABEL[c.status],
        caseNumber: c.number,
      } satisfies LedgerRow;
    });
}
