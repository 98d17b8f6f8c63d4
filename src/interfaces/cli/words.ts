/**
 * How the command line says a problem: the office's sentence, with the command or option that
 * fixes it where there is one, and the exit code (2 for what was typed wrong, 1 otherwise).
 */
import type { Problem, ProblemCode, StepInput } from '../../domain/problems.js';
import { OUTCOMES, type Step } from '../../domain/workflow.js';
import { chineseDate } from '../../domain/calendar.js';
import { problemText, refusalText, STATUS_LABEL, STEP_INPUT_LABEL, STEP_LABEL } from '../../domain/words.js';

/** What was typed or asked for wrongly: the command can be run again right. */
const USAGE: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'bad-channel',
  'bad-time',
  'no-matter',
  'no-transfer',
  'bad-field',
  'nothing-to-edit',
  'unknown-line',
  'line-too-long',
  'no-line-change',
  'query-too-short',
  'bad-year',
  'bad-month',
  'bad-range',
  'bad-document-type',
  'missing-input',
  'no-handler',
  'bad-extension',
  'bad-outcome',
  'bad-date',
  'bad-sign-date',
  'bad-choice',
  'bad-follow-up-date',
  'bad-review-paper',
  'date-in-past',
  'date-too-late',
  'export-exists',
  'export-target-refused',
  'bad-role',
  'weak-password',
  'bad-user-name',
  'bad-duty-day',
  'duty-missing',
  'bad-duty-kind',
  'bad-risk',
  'reception-not-visit',
  'sign-missing',
  'bad-sign-risk',
  'bad-sign-time',
  'roster-missing',
]);

export function exitCodeOf(p: Problem): 1 | 2 {
  return USAGE.has(p.code) ? 2 : 1;
}

const INPUT_EXAMPLE: Record<StepInput, string> = {
  leader: '--leader 王主任',
  instruction: '--text "请综治办核实处理"',
  'decline-reason': '--reason "该事项已进入诉讼程序"',
  'extension-reason': '--reason "需委托第三方检测"',
  facts: '--facts "……" 或 --facts-file 文件',
  'return-reason': '--reason "该事项属于区人社局职责范围"',
  'supervision-demand': '--demand "请于本周内约谈企业负责人"',
  'supervision-answer': '--answer "已约谈企业负责人，承诺月底前支付"',
  'visit-by': '--by 刘芳',
  'review-body': '--body "区人民政府信访工作机构"',
};

/** The problem as the CLI prints it after 错误：. */
export function cliText(p: Problem): string {
  switch (p.code) {
    case 'step-refused':
      return refusalText(p.step, p.caseNumber, p.status, p.refusal, (s: Step) =>
        s === 'report' || s === 'sign' || s === 'close' ? `（xinfang ${s} ${p.caseNumber}）` : s === 'request-review' ? `（xinfang appeal request ${p.caseNumber} …）` : s === 'decide-review' ? `（xinfang appeal decide ${p.caseNumber} --decision …）` : `（xinfang ${s} ${p.caseNumber} …）`,
      );
    case 'step-raced':
      return `${p.caseNumber} 刚被别人改为“${STATUS_LABEL[p.status]}”，本次${STEP_LABEL[p.step]}没有记录。请用 xinfang show ${p.caseNumber} 查看后再操作。`;
    case 'missing-input':
      return `缺少${STEP_INPUT_LABEL[p.input]}，请写明，例如 ${INPUT_EXAMPLE[p.input]}。`;
    case 'no-handler':
      return `受理须有经办人（一包到底）：请用 --handler 姓名 指定，例如 xinfang accept ${p.caseNumber} --handler 李文。`;
    case 'bad-outcome':
      return `${p.given ? `“${p.given}”不是规定的处理意见。` : '答复没有写明处理意见。'}请用 --outcome 写明 ${OUTCOMES.join('、')} 之一。`;
    case 'date-too-late':
      return `办理时限 ${chineseDate(p.date)} 超出规定：收到后 ${p.notifyDays} 日内受理、受理后 ${p.handleDays} 日内办结，最迟 ${chineseDate(p.latest)}。需要更长时间时，受理后用 xinfang extend 延期。`;
    case 'already-bound':
      return `${p.caseNumber} 已于 ${chineseDate(p.boundOn)} 立卷，档号 ${p.ref}。如需按现有材料重新生成案卷，加 --rebuild（档号不变）。`;
    case 'export-changed':
      return p.what === 'volume' ? `年度案卷 ${p.path} 与登记的指纹不符，导出已停止。请先运行 xinfang verify。` : `文件 ${p.path} 与登记的指纹不符，导出已停止。请先运行 xinfang verify 查明原因。`;
    case 'no-matter':
      return '请用 --matter 写明反映的问题。';
    case 'no-transfer':
      return '转办件须写明来自哪个单位（--from-office）和该单位的编号（--from-number）。';
    case 'unknown-case':
      return `找不到案件“${p.reference}”。请用 \`xinfang cases\` 查看已有的编号。`;
    case 'nothing-to-edit':
      return '没有给出要更正的字段，例如 --name 王秀兰；核对无误时加 --checked。运行 xinfang edit --help 查看全部字段。';
    case 'bad-range':
      return p.reason === 'form' ? '日期要写成 2026-03-01 这样（--from 和 --to 都要写）。' : problemText(p);
    case 'settings-missing':
      return `找不到设置文件 ${p.file}。请用 \`xinfang init 文件夹\` 新建工作区，或用 --root 指向已有的工作区。`;
    case 'migrate-schema-mismatch':
      return p.step < p.expected ? problemText(p).replace('打开它一次，', `打开它一次（例如运行 xinfang --root ${p.root} cases），`) : problemText(p);
    case 'migrate-source-not-clean':
      return problemText(p).replace('请先核验该工作区的档案，', `请先运行 xinfang --root ${p.root} verify，`);
    case 'district-root':
      return `${problemText(p)}请用 --root ${p.root}/communities/社区代码 运行${p.communities.length ? `，例如 --root ${p.root}/communities/${p.communities[0]}` : '；先用 xinfang community add 代码 名称 添加社区'}。`;
    case 'not-a-workspace':
      return `${problemText(p)}请在工作区里运行，或用 --root 指定，或先用 \`xinfang init 文件夹\` 新建。`;
    case 'template-field-missing':
      return `文书“${p.type}”需要“${p.field}”，但没有这项内容，文书没有生成。请用 --set ${p.field}=… 给出，或先在案件中补全。`;
    case 'sheets-failed':
      return `${p.failed.length} 个案件的空白批办单没有生成：${p.failed.map((f) => `${f.number}（${f.error}）`).join('；')}。其他案件不受影响；请检查模板和字体设置后再运行 xinfang sheets。`;
    default:
      return problemText(p);
  }
}
