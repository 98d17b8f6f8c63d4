/**
 * The office's words: labels of statuses, steps, fields and documents, and each problem as a
 * plain Chinese sentence that names no command or flag. Set-aside notes, logs and web pages use
 * these; the CLI says some problems its own way (interfaces/cli/words.ts).
 */
import type { Alert, AlertKind } from './alerts.js';
import type { DocumentRole, ReviewReason } from './case.js';
import type { DeadlineKind } from './deadlines.js';
import { chineseDate } from './calendar.js';
import type { FieldName } from './fields.js';
import type { TemplateIssue } from './template-check.js';
import { isScanProblem, type BindingNeed, type Problem, type SettingsIssue, type StepInput } from './problems.js';
import type { CaseStatus, HistoryAction, Refusal, Step } from './workflow.js';

export const STATUS_LABEL: Record<CaseStatus, string> = {
  registered: '已登记',
  instructed: '已批示',
  accepted: '已受理',
  declined: '不予受理',
  extended: '已延期',
  replied: '已答复',
  closed: '已办结',
};

export const STEP_LABEL: Record<Step, string> = {
  sign: '签收',
  return: '退回',
  instruct: '批示',
  accept: '受理',
  decline: '不予受理',
  extend: '延期',
  reply: '答复',
  report: '报送办结报告',
  close: '办结',
  supervise: '督办',
  answer: '督办反馈',
  urge: '催办',
  visit: '回访',
  'request-review': '登记复查（复核）申请',
  'decide-review': '登记复查（复核）结论',
};

export const ACTION_LABEL: Record<HistoryAction, string> = {
  registered: '登记',
  instructed: '领导批示',
  accepted: '受理',
  declined: '不予受理',
  extended: '延期',
  replied: '答复',
  reported: '报送办结报告',
  closed: '办结',
  'paper-filed': '纸质文书归档',
  bound: '立卷归档',
  corrected: '更正登记内容',
  'lines-corrected': '更正识别文字',
  'took-charge': '确定负责人',
  signed: '签收转办件',
  returned: '退回交办单位',
  supervised: '督办',
  'supervision-answered': '督办反馈',
  urged: '催办',
  'leader-took-case': '领导包案',
  visited: '回访',
  'review-requested': '申请复查（复核）',
  'review-decided': '复查（复核）结论',
};

export const FIELD_LABELS: Record<FieldName, string> = {
  name: '信访人',
  phone: '联系电话',
  idNumber: '身份证号',
  address: '住址',
  letterDate: '来信日期',
  signatories: '人数',
  summary: '反映问题摘要',
  category: '类别',
  handlingType: '办理类型',
};

export const DOCUMENT_ROLE_LABEL: Record<DocumentRole, string> = {
  original: '原件',
  searchable: '可检索副本',
  issued: '生成文书',
  returned: '收回的纸质件',
  received: '收到的材料',
  volume: '案卷',
  manifest: '文件清单',
};

export const REVIEW_REASON_LABEL: Record<ReviewReason, string> = { 'low-confidence': '识别可信度低', 'text-unread': '页面上有文字没有读出或读错', 'id-checksum': '身份证号校验不对', 'category-unsure': '类别判断没有把握' };

/** What has to be done by a deadline. */
export const DEADLINE_LABEL: Record<DeadlineKind, string> = { notify: '告知是否受理', handle: '办结并答复', return: '决定是否退回（转送交办件）' };

export const STEP_INPUT_LABEL: Record<StepInput, string> = {
  leader: '批示领导',
  instruction: '批示内容',
  'decline-reason': '不予受理的理由',
  'extension-reason': '延期理由',
  facts: '查明的事实和理由',
  'return-reason': '退回的理由',
  'supervision-demand': '督办要求',
  'supervision-answer': '反馈内容',
  'visit-by': '回访人',
  'review-body': '复查（复核）机关',
};

/** What a step that must come first is called, when it is named as the thing to do. */
const FIRST_STEP_TEXT: Partial<Record<Step, string>> = { instruct: '录入领导批示', accept: '受理', reply: '答复信访人' };

/** 还剩 3 天 / 今天到期 / 已超期 2 天 */
export function daysText(days: number): string {
  if (days > 0) return `还剩 ${days} 天`;
  if (days === 0) return '今天到期';
  return `已超期 ${-days} 天`;
}

/** What must be done first, for a refusal of the kind needs-first: 须先受理并答复，或决定不予受理. */
export function firstStepsText(first: readonly Step[]): string {
  if (first.includes('accept') && first.includes('decline')) return '受理并答复，或决定不予受理';
  return first.map((s) => FIRST_STEP_TEXT[s] ?? STEP_LABEL[s]).join('或');
}

/**
 * Why a step is refused, in plain words; `hint` may add, where the sentence says what to do
 * first, how to do it in the face that shows it (the CLI's command).
 */
export function refusalText(step: Step, caseNumber: string, status: CaseStatus, r: Refusal, hint: (s: Step) => string = () => ''): string {
  const n = caseNumber;
  const now = `${n} 现在的状态是“${STATUS_LABEL[status]}”`;
  switch (r.kind) {
    case 'closed':
      return `${n} 已办结，不能再${STEP_LABEL[step]}。`;
    case 'not-transfer':
      return step === 'report' ? `${n} 不是转办件，不需要报送办结报告。` : `${n} 不是转办件，不需要${STEP_LABEL[step]}。`;
    case 'already-signed':
      return `${n} 已经${r.by ? `由${r.by}` : ''}签收过了。`;
    case 'sign-first':
      return `${n} 还没有签收，须先签收${hint('sign')}，才能退回。`;
    case 'return-late':
      return `${n} 的退回期限（${chineseDate(r.due)}）已过：依《信访工作条例》第二十三条，须在收到后的期限内提出异议，现在应按本单位的事项办理。`;
    case 'already-reported':
      return `${n} 的办结报告已经报送过了。`;
    case 'report-first':
      return `${n} 是${r.office ?? '上级'}转办的案件，须先向交办单位报送办结报告${hint('report')}，才能办结。`;
    case 'supervised-open':
      return `${n} 正在督办（${r.by}，${chineseDate(r.due)} 前反馈），经办人反馈之前不能再次督办。`;
    case 'no-supervision':
      return `${n} 没有督办，不需要${STEP_LABEL[step]}。`;
    case 'supervision-answered':
      return `${n} 的督办已经反馈过了，不需要${STEP_LABEL[step]}。`;
    case 'not-late':
      return `${n} 的督办期限是 ${chineseDate(r.due)}，还没有到期，到期未反馈才能催办。`;
    case 'not-replied':
      return `${n} 没有书面答复（信访处理意见书），不能${STEP_LABEL[step]}：回访和复查、复核都在答复之后。`;
    case 'review-open':
      return `${n} 已申请${r.stage}（${r.body}，应于 ${chineseDate(r.answerDue)} 前作出意见），须先登记${r.stage}结论${hint('decide-review')}，才能再申请。`;
    case 'no-open-review':
      return `${n} 没有等待结论的复查或复核申请，请先登记申请${hint('request-review')}。`;
    case 'reviews-ended':
      return `${n} 已经复核；依《信访工作条例》第三十六条，复核意见为最终意见，不再受理复查、复核申请。`;
    case 'review-late':
      return `${n} 的${r.stage}申请日期 ${chineseDate(r.requestedOn)} 已超过期限：应自 ${chineseDate(r.from)}${r.stage === '复查' ? '书面答复' : '收到复查意见'}之日起 30 日内（${chineseDate(r.due)} 前）提出。逾期的申请不予登记；请核对申请日期，确已逾期的请告知信访人。`;
    case 'needs-first':
      return `${now}，须先${firstStepsText(r.first)}${hint(r.first[0]!)}。`;
    case 'past':
      return pastText(step, n, status, now, r.instructedBy, hint);
  }
}

function pastText(step: Step, n: string, status: CaseStatus, now: string, leader: string | null, hint: (s: Step) => string): string {
  switch (step) {
    case 'instruct':
      return `${now}，已有领导批示（${leader ?? ''}），不能再次批示。`;
    case 'accept':
    case 'decline':
      return `${now}，是否受理已经决定，不能再${STEP_LABEL[step]}。`;
    case 'extend':
      if (status === 'extended') return `${n} 已经延期过一次；依《信访工作条例》只能延期一次。`;
      if (status === 'declined') return `${n} 不予受理，没有办理期限可以延长。`;
      return `${now}，已经答复，不能再延期。`;
    case 'reply':
      if (status === 'declined') return `${n} 不予受理，已用不予受理告知书答复，可直接办结${hint('close')}。`;
      return `${n} 已经答复过了。`;
    case 'report':
      return `${n} 不予受理，不需要报送办结报告。`;
    case 'sign':
      return `${now}，不能再签收。`;
    case 'supervise':
    case 'answer':
    case 'urge':
      return `${now}，已经答复或办结，不能再${STEP_LABEL[step]}。`;
    case 'return':
      return `${now}，已经决定是否受理，不能再退回。`;
    case 'close':
      return `${now}，不能办结。`;
    case 'visit':
    case 'request-review':
    case 'decide-review':
      return `${now}，不能${STEP_LABEL[step]}。`;
  }
}

const CHOICE_LABEL = { 'visit-method': '回访方式', satisfaction: '满意度评价', 'review-decision': '复查（复核）结论' } as const;
const FOLLOW_UP_DATE_LABEL = { visit: '回访日期', 'review-request': '申请日期', 'review-decision': '结论日期' } as const;

export function bindingNeedText(need: BindingNeed): string {
  if (need.need === 'closed') return `办结（现在是“${STATUS_LABEL[need.status]}”）`;
  if (need.need === 'review-decision') return `${need.stage}结论（${chineseDate(need.requestedOn)}已向${need.body}申请${need.stage}，应于 ${chineseDate(need.answerDue)} 前作出意见；结论登记后才能立卷）`;
  return need.need === 'instruction' ? '领导批示' : '答复（信访处理意见书）';
}

const TYPE_NAME: Record<string, string> = { string: '文字', number: '数字', boolean: 'true 或 false', array: '列表', object: '一组设置' };

export function settingsIssueText(issue: SettingsIssue): string {
  const key = issue.key || '（整个文件）';
  switch (issue.kind) {
    case 'one-of':
      return `${key}：只能填 ${issue.values.join('、')} 之一。`;
    case 'missing':
      return `${key}：缺少这一项，请补上。`;
    case 'type':
      return `${key}：应填${TYPE_NAME[issue.expected] ?? issue.expected}。`;
    case 'too-small':
      return `${key}：不能小于 ${issue.limit}${issue.text ? ' 个字' : ''}。`;
    case 'too-big':
      return `${key}：不能大于 ${issue.limit}${issue.text ? ' 个字' : ''}。`;
    case 'unknown-keys':
      return `${issue.key ? `${issue.key} 下` : ''}有不认识的设置项 ${issue.keys.join('、')}，请检查拼写或删除。`;
    case 'workers':
      return `${key}：应填 auto 或 1 到 64 之间的整数。`;
    case 'letters-and-digits':
      return `${key}：只能用英文字母和数字。`;
    case 'folder-name':
      return `${key}：格式不对（不能含有 / 或 \\，也不能以点开头）。`;
    case 'time-zone':
      return `${key}：不是有效的时区名称，例如 Asia/Shanghai。`;
    case 'other':
      return `${key}：填写有误。`;
    case 'date':
      return key.startsWith('duties.') ? `${key}：日期格式应如 2026-10-01。` : `${key}：应写成年份（例如 2025）下的日期，格式如 2025-10-01。`;
    case 'period-order':
      return `${key}：结束日期（to）不能早于开始日期（from）。`;
    case 'unsatisfied-missing':
      return `${key}：满意度等级中至少要有一项不算满意（例如 不满意），否则无法列出不满意的案件。`;
    case 'community-code':
      return `${key}：社区代码只能用小写英文字母和数字，以字母开头，最多 20 个字符，例如 babao。`;
    case 'community-twice':
      return `${key}：社区代码“${issue.community}”出现了两次，请删去一个。`;
    case 'district-only':
      return `${key}：这一项只能写在街道（区）的设置文件里，社区的设置文件不能写，请删去（数据库和社区名单由街道统一设置）。`;
    case 'district-needs-postgres':
      return `${key}：设置了 district（多个社区）时，必须在 store.postgres 写明街道（区）共用的 PostgreSQL 数据库。`;
    case 'connection-string':
      return `${key}：应为 PostgreSQL 数据库的连接地址，写明数据库名，例如 postgresql://xinfang:密码@192.168.1.10/xinfang，本机可写 postgresql:///xinfang?host=/var/run/postgresql。`;
  }
}

const FORMAT_LABEL: Record<string, string> = { jpeg: 'JPEG 图片', png: 'PNG 图片', tiff: 'TIFF 图片', webp: 'WebP 图片', bmp: 'BMP 图片', pdf: 'PDF 文件' };

const FIELD_RULE_TEXT = {
  phone: '应为 11 位手机号，或带区号的座机号，如 010-62345678。',
  'id-number': '应为 18 位，最后一位可以是 X。',
  date: '应写成 2026-11-03 或 2026年11月3日。',
  signatories: '应为 1 以上的整数。',
  'summary-length': '摘要不能超过 60 个字。',
} as const;

const SIGN_MISSING_LABEL = { place: '地点', people: '涉及人员', matter: '苗头情况（正在酝酿什么）', reporter: '报告人', outcome: '处理情况（做了什么）' } as const;
const SIGN_STATUS_WORD = { case: '已转为信访案件', closed: '已办结' } as const;
const ROSTER_MISSING_LABEL = { person: '值班人员', name: '姓名', post: '职务', phone: '联系电话' } as const;
const DUTY_MISSING_LABEL = { leader: '接访领导', place: '接访地点', time: '接访时间', cadre: '干部姓名', unit: '挂钩单位或企业', situation: '排查发现的基本情况' } as const;

/** The face-neutral sentence for a problem: what is wrong and what to do, naming no command. */
/** One problem of an edited template, for the administrator who wrote it. */
export function templateIssueText(i: TemplateIssue): string {
  switch (i.kind) {
    case 'unknown':
      return `没有“{{${i.name}}}”这项内容${i.suggestion ? `，是不是“{{${i.suggestion}}}”？` : '（可用的名称见下面的列表）'}`;
    case 'unbalanced':
      return `花括号不成对：“${i.near}”附近，占位符要写成 {{名称}}`;
    case 'required-removed':
      return `这种文书必须有“{{${i.name}}}”，不能删去`;
    case 'unclosed-block':
      return `{{#${i.name} …}} 没有对应的 {{/${i.name}}}`;
    case 'unopened-block':
      return `{{/${i.name}}} 前面没有对应的 {{#${i.name} …}}`;
    case 'unsupported':
      return `“${i.tag}”的写法不支持，只能用 {{名称}}、{{#if 名称}}…{{/if}}`;
    case 'header':
      return `开头 --- 之间的标题部分格式有误${i.line ? `（第 ${i.line} 行）` : ''}，请检查冒号和引号`;
    case 'render':
      return `模板写法有误：${i.detail}`;
  }
}

export function problemText(p: Problem): string {
  if (isScanProblem(p) && p.file) return `文件夹中的“${p.file}”无法读取：${problemText({ ...p, file: undefined })}`;
  switch (p.code) {
    case 'empty':
      return '文件是空的（0 字节），可能扫描或复制没有完成。请重新扫描后再放入收件箱。';
    case 'unsupported':
      return '不是能识别的扫描件格式。请保存为 JPEG、PNG、TIFF、PDF、BMP 或 WebP 后再放入收件箱。';
    case 'corrupt':
      return `文件已损坏或不完整，无法读取（${FORMAT_LABEL[p.format] ?? p.format}）。请重新扫描或重新复制后再放入收件箱。`;
    case 'encrypted':
      return 'PDF 文件设了密码，无法打开。请去掉密码后重新放入收件箱。';
    case 'no-pages':
      return p.in === 'folder' ? '文件夹里没有可以读取的扫描件。请把扫描件放进文件夹后再放入收件箱。' : '文件里没有任何页面。请检查扫描件后重新放入。';
    case 'too-many-pages':
      return p.pages === null
        ? `这封信超过 ${p.max} 页的上限。请分开扫描，或请管理员调大 intake.maxPages。`
        : `文件有 ${p.pages} 页，超过设置的上限 ${p.max} 页。如确是一封信，请管理员调大 intake.maxPages；否则请分开扫描。`;
    case 'too-many-pixels':
      return p.width !== null && p.height !== null && p.maxMegapixels !== null
        ? `页面 ${p.width}×${p.height} 像素，超过上限（每页 ${p.maxMegapixels} 百万像素），可能是异常文件。请用 300 dpi 以下重新扫描。`
        : '页面像素数超过上限，可能是异常文件。请用 300 dpi 以下重新扫描。';
    case 'too-large':
      return `文件大小 ${p.megabytes} MB，超过上限 ${p.max} MB。请降低扫描分辨率或分开扫描；如确需登记，请管理员调大 intake.maxFileMegabytes。`;
    case 'unknown-paper-case':
      return `扫描件上的二维码指向案件“${p.caseNumber}”（${p.kind}），但登记簿中没有这个案件，无法归档。请核对是否为本单位的文书；如是其他单位的，请退回。`;
    case 'duplicate':
      return `与已登记的 ${p.of}（原文件“${p.sourceName}”）内容完全相同，是重复件，没有重复登记。如确是新来信，请重新扫描。`;
    case 'duplicate-paper':
      return `与已归入 ${p.of} 的收回文书完全相同，是重复件，没有重复归档。`;
    case 'internal-error':
      return `程序连续 ${p.attempts} 次处理此文件时出错，已停止重试。请把此文件和 archive/logs/xinfang.log 交给技术人员；问题解决后把文件放回收件箱即可。`;
    case 'settings-missing':
      return `找不到设置文件 ${p.file}。请新建工作区，或指向已有的工作区。`;
    case 'settings-syntax':
      return `设置文件 ${p.file}${p.line ? ` 第 ${p.line} 行` : ''}格式有误（YAML 语法），请检查缩进和冒号。`;
    case 'settings-invalid':
      return `设置文件 ${p.file} 有 ${p.issues.length} 处填写有误：\n${p.issues.map((i) => `  · ${settingsIssueText(i)}`).join('\n')}\n请改正后重新启动。`;
    case 'settings-number-format':
      return `设置文件 ${p.file} 中的 numbering.format 填写有误：必须含有 {year} 和 {seq}（或 {seq4}），只能使用 {short}、{year}、{seq}、{seq4}。当前为“${p.format}”。`;
    case 'settings-sign-number-format':
      return `设置文件 ${p.file} 中的 signs.numberFormat 填写有误：必须含有 {year} 和 {seq}（或 {seq4}），只能使用 {short}、{year}、{seq}、{seq4}，并且不能与信访编号格式相同。当前为“${p.format}”。`;
    case 'settings-risk-twice':
      return `设置文件 ${p.file} 中 signs.riskLevels 的“${p.level}”出现了两次，请删去一个。`;
    case 'settings-category-twice':
      return `设置文件 ${p.file} 中 categories 的类别“${p.category}”出现了两次，请合并。`;
    case 'settings-no-other-category':
      return `设置文件 ${p.file} 中 categories 必须有“其他”一类，用于无法归类的来信。`;
    case 'font-missing':
      return `设置 fonts.${p.key} 指定的字体文件“${p.file}”不存在。请检查路径，或留空使用随程序安装的字体。`;
    case 'not-a-workspace':
      return `“${p.root}”不是信访工作区（缺少 pipeline/settings.yaml）。`;
    case 'workspace-exists':
      return `“${p.root}”已经是工作区（已有 pipeline/settings.yaml），没有改动任何文件。`;
    case 'registry-damaged':
      return `登记簿文件 ${p.file} 已损坏，或不是登记簿文件，无法打开。请不要删除或覆盖它；请技术人员从备份恢复（archive/ 里的案件文件夹和原件不受影响）。`;
    case 'registry-unreachable':
      return `连不上设置 store.postgres 指定的数据库 ${p.server}（${p.reason}）。请确认数据库服务器已经启动、网络畅通、用户名和密码正确；案件文件不受影响。`;
    case 'migrate-no-registry':
      return `“${p.root}”里没有社区的登记簿文件（archive/registry.sqlite），没有可搬的内容。请确认源工作区的文件夹是否写对。`;
    case 'migrate-schema-mismatch':
      return p.step < p.expected
        ? `源工作区“${p.root}”的登记簿是旧版程序的（第 ${p.step} 步，本版是第 ${p.expected} 步），没有搬动任何内容。请先用本版程序打开它一次，再搬。`
        : `源工作区“${p.root}”的登记簿来自更新版的程序（第 ${p.step} 步，本版只到第 ${p.expected} 步），没有搬动任何内容。请用那个版本的程序来搬。`;
    case 'migrate-schema-differs':
      return `源登记簿和数据库的表“${p.table}”不一致，没有搬动任何内容。请把情况交给技术人员。`;
    case 'migrate-target-not-postgres':
      return `目标工作区“${p.root}”的登记簿不在 PostgreSQL 数据库里，没有可搬进的地方。请先在它的 pipeline/settings.yaml 里写上 store.postgres（数据库的连接地址），再搬。`;
    case 'migrate-check-failed':
      return `搬迁后的核对有 ${p.count} 项不一致（见上面的清单）。请不要在新登记簿上继续登记，把这份清单和 archive/logs/xinfang.log 交给技术人员。`;
    case 'migrate-source-busy':
      return `源工作区“${p.root}”还有程序正在写文件，没有搬动任何内容。请先停下在该工作区运行的程序（收件箱监视、网页），再搬。`;
    case 'migrate-source-not-clean':
      return `源工作区“${p.root}”的档案核验有 ${p.problems} 个问题，没有搬动任何内容。请先核验该工作区的档案，按提示处理后再搬。`;
    case 'migrate-target-not-empty':
      return `数据库里已经有别的登记内容（表“${p.table}”），与这个社区的登记簿不一致，没有搬动任何内容。只能搬进空的数据库，或搬进已经完整搬过这个社区的数据库。`;
    case 'migrate-conflict':
      return `数据库里已有同样编号而内容不同的案件：${p.numbers.slice(0, 10).join('、')}${p.numbers.length > 10 ? ` 等 ${p.numbers.length} 件` : ''}，没有搬动任何内容。请确认是否搬错了社区或数据库，并交给技术人员核对。`;
    case 'migrate-file-conflict':
      return `目标档案文件夹里已有同名而内容不同的文件 ${p.path}，没有搬动任何内容。请确认是否搬错了文件夹，把这个文件挪开后再搬。`;
    case 'template-missing':
      return `找不到文书模板 ${p.file}。请从程序自带的 templates 文件夹复制一份到 ${p.folder}。`;
    case 'template-field-missing':
      return `文书“${p.type}”需要“${p.field}”，但没有这项内容，文书没有生成。请填写这一项，或先在案件中补全。`;
    case 'template-invalid':
      return `文书模板 ${p.file} 写法有误：${p.detail}。请检查 {{ }} 是否成对。`;
    case 'template-problems':
      return `模板“${p.type}”有 ${p.issues.length} 处问题，没有保存：${p.issues.map(templateIssueText).join('；')}。`;
    case 'unknown-case':
      return `找不到案件“${p.reference}”。请核对编号。`;
    case 'bad-channel':
      return `渠道只能是 ${['来信', '来访', '电话', '网上', '转办'].join('、')} 之一。`;
    case 'bad-time':
      return `收到时间“${p.given}”看不懂，请写成 2026-11-03 09:30。`;
    case 'no-matter':
      return '请写明反映的问题。';
    case 'no-transfer':
      return '转办件须写明来自哪个单位和该单位的编号。';
    case 'bad-field': {
      const what =
        p.rule === 'category'
          ? `只能是 ${p.allowed.join('、')} 之一（可在设置 categories 中增加）。`
          : p.rule === 'handling-type'
            ? `只能是 ${p.allowed.join('、')} 之一。`
            : FIELD_RULE_TEXT[p.rule];
      return `${FIELD_LABELS[p.field]}“${p.value}”不对：${what}`;
    }
    case 'nothing-to-edit':
      return '没有给出要更正的字段。';
    case 'unknown-page':
      return p.pages ? `${p.caseNumber} 只有 ${p.pages} 页扫描件，没有第 ${p.page} 页。` : `${p.caseNumber} 没有扫描件，没有可更正的识别文字。`;
    case 'unknown-line':
      return `${p.caseNumber} 第 ${p.page} 页识别出 ${p.lines} 行文字，没有第 ${p.line} 行。`;
    case 'line-too-long':
      return `第 ${p.page} 页第 ${p.line} 行的更正太长（最多 ${p.max} 个字）：一行只写这一行上的字。`;
    case 'no-line-change':
      return '没有改动任何一行识别文字。';
    case 'query-too-short':
      return '请至少输入两个字或数字再查找。';
    case 'bad-year':
      return `年度“${p.given}”不对，请写成 2026 这样的四位数。`;
    case 'bad-month':
      return p.form === 'number' ? `月份“${p.given}”不对，请写 1 到 12。` : `月份“${p.given}”不对，请写成 2026-11 这样。`;
    case 'bad-range':
      return p.reason === 'order' ? `结束日期 ${p.to} 早于开始日期 ${p.from}。` : '日期要写成 2026-03-01 这样（开始和结束日期都要写）。';
    case 'bad-document-type':
      return `文书类型只能是 ${p.allowed.join('、')} 之一。`;
    case 'step-refused':
      return refusalText(p.step, p.caseNumber, p.status, p.refusal);
    case 'step-raced':
      return `${p.caseNumber} 刚被别人改为“${STATUS_LABEL[p.status]}”，本次${STEP_LABEL[p.step]}没有记录。请查看最新情况后再操作。`;
    case 'missing-input':
      return `缺少${STEP_INPUT_LABEL[p.input]}，请写明。`;
    case 'no-handler':
      return '受理须有经办人（一包到底），请指定经办人。';
    case 'bad-extension':
      return `延期天数“${p.given}”不行：只能延期一次，最多 ${p.max} 天（《信访工作条例》），请写 1 到 ${p.max} 之间的整数。`;
    case 'bad-outcome':
      return `${p.given ? `“${p.given}”不是规定的处理意见。` : '答复没有写明处理意见。'}处理意见须是 ${p.allowed.join('、')} 之一。`;
    case 'bad-choice':
      return `${p.given ? `“${p.given}”不在设置的${CHOICE_LABEL[p.what]}中。` : `没有写明${CHOICE_LABEL[p.what]}。`}请写 ${p.allowed.join('、')} 之一（可在设置 followUp 中修改）。`;
    case 'bad-follow-up-date':
      return `${FOLLOW_UP_DATE_LABEL[p.what]} ${chineseDate(p.date)} 不对：应在 ${chineseDate(p.from)} 和今天 ${chineseDate(p.today)} 之间。`;
    case 'bad-review-paper':
      return p.reason === 'type' ? `材料“${p.file}”不能归入案卷：只收 PDF、JPEG 或 PNG 文件，请扫描成这几种格式再上传。` : `材料“${p.file}”打不开或已损坏，请重新扫描后再上传。`;
    case 'bad-sign-date':
      return `签收日期 ${chineseDate(p.date)} 不对：应在收到日期 ${chineseDate(p.received)} 和今天 ${chineseDate(p.today)} 之间。`;
    case 'bad-date':
      return `办理时限“${p.given}”看不懂，请写成 2026-12-20 或 2026年12月20日。`;
    case 'date-in-past':
      return `办理时限 ${chineseDate(p.date)} 已经过去（今天是 ${chineseDate(p.today)}），请给一个今天或以后的日期。`;
    case 'date-too-late':
      return `办理时限 ${chineseDate(p.date)} 超出规定：收到后 ${p.notifyDays} 日内受理、受理后 ${p.handleDays} 日内办结，最迟 ${chineseDate(p.latest)}。需要更长时间时，受理后办理延期。`;
    case 'not-bindable':
      return `${p.caseNumber} 还不能立卷：缺少${p.missing.map(bindingNeedText).join('、')}。`;
    case 'already-bound':
      return `${p.caseNumber} 已于 ${chineseDate(p.boundOn)} 立卷，档号 ${p.ref}。如需按现有材料重新生成案卷，可重新立卷（档号不变）。`;
    case 'nothing-to-bind':
      return `${p.year} 年还没有可以装订的案件（须先办结并立卷）。`;
    case 'export-exists':
      return `目标文件夹“${p.dir}”已存在且不是空的。请换一个新的文件夹名。`;
    case 'export-target-refused':
      if (p.reason === 'empty') return '请写明导出到哪个文件夹（例如 导出/2026年档案）。';
      if (p.reason === 'reserved') return `不能导出到“${p.dir}”：它在档案、收件箱、设置或模板的文件夹里。请换一个文件夹。`;
      return `不能导出到“${p.dir}”：只能写在工作目录下的文件夹（例如 导出/2026年档案），或设置 archive.exportFolders 列出的文件夹之下。`;
    case 'export-empty':
      return `${p.year} 年没有登记任何案件，没有可导出的内容。`;
    case 'export-changed':
      return p.what === 'volume' ? `年度案卷 ${p.path} 与登记的指纹不符，导出已停止。请先核验档案。` : `文件 ${p.path} 与登记的指纹不符，导出已停止。请先核验档案查明原因。`;
    case 'verify-failed':
      return `档案核验未通过（${p.count} 处问题）。`;
    case 'other-community':
      return `您是${p.community}的用户，不能查看或办理${p.asked}的案件和资料。如确需办理，请联系${p.asked}或街道（区）信访办。`;
    case 'district-only':
      return `跨社区的统计、查找和核验只有街道（区）信访办的用户能用；您是${p.community}的用户，请在本社区内查看。`;
    case 'unknown-community':
      return `没有代码为“${p.given}”的社区。${p.known.length ? `现有社区：${p.known.join('、')}。` : '还没有添加任何社区。'}`;
    case 'community-exists':
      return `社区代码“${p.community}”已经有了（${p.name}），没有改动任何内容。请换一个代码。`;
    case 'bad-community-code':
      return `社区代码“${p.given}”不行：只能用小写英文字母和数字，以字母开头，最多 20 个字符，例如 babao。`;
    case 'bad-community-name':
      return `社区名称“${p.given}”不行：请写 1 到 40 个字的名称，例如 八宝社区。`;
    case 'not-a-district':
      return `“${p.root}”不是街道（区）的工作区：它的设置文件里没有 district 一节。要由它统一管理多个社区，请在它的 pipeline/settings.yaml 里写上共用数据库的连接地址（store.postgres）和一行 district: { communities: [] }。`;
    case 'district-root':
      return `“${p.root}”是街道（区）的工作区，这项工作要在某个社区里办${p.communities.length ? `（现有社区：${p.communities.join('、')}）` : ''}。`;
    case 'not-allowed':
      return `您的身份（${p.role}）不能${p.action}。如确需办理，请联系有权限的同事或管理员。`;
    case 'bad-role':
      return `角色“${p.given}”不对，只能是 ${p.allowed.join('、')} 之一。`;
    case 'user-exists':
      return `用户“${p.name}”已经存在。`;
    case 'unknown-user':
      return `没有用户“${p.name}”。`;
    case 'weak-password':
      return `密码太短，至少要 ${p.min} 个字符。`;
    case 'bad-user-name':
      return `用户名“${p.given}”不行：请用 1 到 32 个字的姓名，不要带空格。`;
    case 'sign-in-failed':
      return '用户名或密码不对，请重新输入。';
    case 'sign-in-throttled':
      return `密码错误次数过多，请 ${p.seconds} 秒后再试。`;
    case 'last-administrator':
      return '这是最后一位管理员，不能停用或改为其他角色。';
    case 'unknown-alert':
      return `没有第 ${p.id} 号提醒，或这条提醒不是给您的。`;
    case 'no-charge-person':
      return '请写明由谁负责处置。';
    case 'not-a-charge-alert':
      return `第 ${p.id} 号提醒是办理期限提醒，不需要确定负责人。`;
    case 'bad-duty-day':
      return `日期“${p.given}”看不懂，请写成 2026-12-10 或 2026年12月10日。`;
    case 'duty-missing':
      return `请写明${DUTY_MISSING_LABEL[p.what]}。`;
    case 'bad-duty-kind':
      return `“${p.given}”不对：挂钩的只能是 ${p.allowed.join('、')} 之一。`;
    case 'bad-risk':
      return `风险等级${p.given ? `“${p.given}”` : ''}不对：只能是 ${p.allowed.join('、')} 之一；没有发现问题的，请报零报告。`;
    case 'unknown-reception-day':
      return `接访日安排中没有第 ${p.id} 条。`;
    case 'unknown-duty-link':
      return `${p.cadre} 没有挂钩“${p.unit}”。请先由管理员登记挂钩单位。`;
    case 'unknown-duty-link-id':
      return '没有这个挂钩单位（可能刚被取消挂钩），请刷新页面后重新选择。';
    case 'reception-not-visit':
      return `接访领导只用于来访登记（这件是${p.channel}）。`;
    case 'unknown-sign':
      return `没有苗头信息“${p.reference}”，或您无权查看。`;
    case 'sign-missing':
      return `请写明${SIGN_MISSING_LABEL[p.what]}。`;
    case 'bad-sign-risk':
      return `风险等级${p.given ? `“${p.given}”` : ''}不对：只能是 ${p.allowed.join('、')} 之一。`;
    case 'bad-sign-time':
      return `报告时间“${p.given}”看不懂，请写成 2026-12-02 09:30。`;
    case 'sign-not-open':
      return `${p.number} ${SIGN_STATUS_WORD[p.status]}${p.caseNumber ? `（${p.caseNumber}）` : ''}，不能再转为案件或办结。`;
    case 'roster-missing':
      return `请写明${ROSTER_MISSING_LABEL[p.what]}。`;
    case 'unknown-roster-entry':
      return `值班表中没有第 ${p.id} 条。`;
    case 'unknown-contact':
      return `通讯录中没有“${p.name}”。`;
    case 'sheets-failed':
      return `${p.failed.length} 个案件的空白批办单没有生成：${p.failed.map((f) => `${f.number}（${f.error}）`).join('；')}。其他案件不受影响；请检查模板和字体设置。`;
  }
}

/** How a registration is recorded in the history. */
export function registrationText(channel: string, sourceName: string | null, pages = 0): string {
  if (sourceName) return `${channel}扫描件“${sourceName}”自动登记${pages ? `，共 ${pages} 页` : ''}`;
  return `${channel}，人工登记`;
}

/** A petitioner's name for a list: a letter whose name was not read says so; a visitor or caller who gave none, that none was given. */
export function petitionerName(c: { channel: string; fields: { name: string | null } }): string {
  return c.fields.name ?? (c.channel === '来信' ? '（姓名未识别）' : '（未留姓名）');
}

/** Free text on one line of a list: line breaks and runs of spaces become one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A finding of verification in a case's history, for any face. */
export function chainProblemText(p: { number: string; seq: number; kind: 'changed' | 'removed' | 'head' | 'status' }): string {
  if (p.kind === 'changed') return `${p.number}：第 ${p.seq} 条办理记录被改动过。`;
  if (p.kind === 'removed') return `${p.number}：第 ${p.seq} 条办理记录被删除了。`;
  if (p.kind === 'status') return `${p.number}：登记库中的办理状态与办理记录不符（状态被直接改动过）。`;
  return `${p.number}：办理记录与案件登记不一致（最后一条记录被改动或删除）。`;
}

/** A finding of verification about a file, for any face. */
export function fileProblemText(p: { kind: 'changed' | 'missing' | 'unknown'; path: string }): string {
  const what = { changed: '内容被改动过（指纹不符）', missing: '缺失', unknown: '不在登记库中，来历不明' }[p.kind];
  return `${p.path}：${what}`;
}

export const ALERT_KIND_LABEL: Record<AlertKind, string> = { urgent: '紧急来信', group: '集体访/联名信', 'due-soon': '期限将到', overdue: '已超期', sign: '苗头信息' };

/** An alert as one sentence, for the banner, the log's hook and the terminal; an urgent one names who is on duty. */
export function alertText(a: Pick<Alert, 'kind' | 'deadline' | 'dueDate' | 'case'> & { sign?: Alert['sign']; onDuty?: Alert['onDuty'] }): string {
  const duty = a.onDuty?.length ? `今日值班：${a.onDuty.map((p) => (p.phone ? `${p.name}（${p.phone}）` : p.name)).join('、')}。` : '';
  return `${alertSentence(a)}${duty}`;
}

function alertSentence(a: Pick<Alert, 'kind' | 'deadline' | 'dueDate' | 'case'> & { sign?: Alert['sign'] }): string {
  const who = a.case.name ? `（${a.case.name}）` : '';
  switch (a.kind) {
    case 'sign':
      return `${a.case.number}：${a.sign ? `${a.sign.place}，` : ''}${a.case.summary ?? ''}${a.sign ? `（涉及 ${a.sign.people}；风险${a.sign.risk}；信息员 ${a.sign.reporter} 报告）` : ''}，请研判处置。`;
    case 'urgent':
      return `${a.case.number}${who}含紧急情况用语${a.case.urgentWords.length ? `“${a.case.urgentWords.join('、')}”` : ''}，请立即处置并报告主要领导。`;
    case 'group':
      return `${a.case.number}${who}是集体访/联名信${a.case.signatories ? `（${a.case.signatories} 人）` : ''}，请立即处置并报告主要领导。`;
    case 'due-soon':
      return `${a.case.number}${who}须于 ${a.dueDate ? chineseDate(a.dueDate) : ''}前${a.deadline ? DEADLINE_LABEL[a.deadline] : '办理'}，期限将到。`;
    case 'overdue':
      return `${a.case.number}${who}${a.deadline ? DEADLINE_LABEL[a.deadline] : '办理'}的期限 ${a.dueDate ? chineseDate(a.dueDate) : ''}已过，已超期。`;
  }
}

/**
 * The warning shown while the holiday table lacks a year a working-day count may reach; null when
 * it covers them. Such a count then skips only weekends.
 */
export function calendarWarning(missing: readonly number[]): string | null {
  if (!missing.length) return null;
  const years = missing.map((y) => `${y}年`).join('、');
  return `提醒：设置 pipeline/settings.yaml 的 calendar.holidays 中还没有 ${years} 的法定节假日和调休上班日，按工作日计算的期限（如转办件退回期限）暂时只跳过周末。请按国务院办公厅的放假安排通知补填。`;
}
