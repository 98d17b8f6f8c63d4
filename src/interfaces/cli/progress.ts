import cliProgress from 'cli-progress';
import { problemText } from '../../domain/words.js';
import type { IntakeResult } from '../../services/intake/ingest.js';
import type { IntakeNotice, IntakeReporter } from '../../services/intake/reporter.js';

export function describeResult(r: IntakeResult): string {
  switch (r.kind) {
    case 'registered':
      return `已登记 ${r.case.number} ← ${r.item}（${r.pages} 页，识别可信度 ${Math.round(r.confidence * 100)}%${r.lowConfidence ? '，有页面需人工核对' : ''}）`;
    case 'filed':
      return `已归档 ${r.item} → ${r.case.number} 的${r.paperKind}（收回的纸质件，${r.pages} 页）`;
    case 'duplicate':
      return `重复件 ${r.item}：与 ${r.of.number} 完全相同，未重复登记，已移到 inbox/${r.movedTo}`;
    case 'set-aside':
      return `未能登记 ${r.item}：${problemText(r.problem)}（已移到 inbox/${r.movedTo}，旁边附有原因说明）`;
    case 'taken-elsewhere':
      return `${r.item} 已登记为 ${r.case.number}`;
    case 'gone':
      return `${r.item} 在处理前已被移走`;
    case 'failed':
      return `出错 ${r.item}：${failedText(r)}`;
  }
}

/** Why an item stays in the inbox for another try. */
export function failedText(r: Extract<IntakeResult, { kind: 'failed' }>): string {
  if (r.reason === 'disk-full') return '存档所在的磁盘空间不足，没有登记，文件留在收件箱。请清理磁盘或请管理员扩容，之后会自动重试。';
  return `处理时出错（第 ${r.attempts} 次），文件留在收件箱，稍后自动重试。`;
}

export function noticeText(n: IntakeNotice): string {
  if (n.kind === 'still-writing') return `有 ${n.count} 个文件仍在写入，本次先不处理，请稍后再运行。`;
  return `处理收件箱时出错：${n.error}。稍后会自动重试。`;
}

export function summarize(results: IntakeResult[]): string {
  const count = (kind: IntakeResult['kind']) => results.filter((r) => r.kind === kind).length;
  const filed = count('filed');
  return `本批共 ${results.length} 件：登记 ${count('registered')} 件，${filed ? `收回文书归档 ${filed} 件，` : ''}重复 ${count('duplicate')} 件，未能登记 ${count('set-aside')} 件。`;
}

export function createReporter(options: { tty: boolean; quiet?: boolean; write?: (line: string) => void }): IntakeReporter {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  if (options.quiet) return { batchStarted() {}, itemDone() {}, batchDone() {}, note() {} };
  if (!options.tty) {
    return {
      batchStarted: (total) => write(`开始处理 ${total} 件`),
      itemDone: (r) => write(describeResult(r)),
      batchDone: (results) => write(summarize(results)),
      note: (n) => write(noticeText(n)),
    };
  }
  let bars: cliProgress.MultiBar | undefined;
  let bar: cliProgress.SingleBar | undefined;
  return {
    batchStarted(total) {
      bars = new cliProgress.MultiBar(
        { format: '处理进度 [{bar}] {value}/{total} 件 | 已用 {duration_formatted}', hideCursor: true, clearOnComplete: true, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      );
      bar = bars.create(total, 0);
    },
    itemDone(r) {
      bars?.log(`${describeResult(r)}\n`);
      bar?.increment();
    },
    batchDone(results) {
      bars?.update(); // a redraw writes out lines logged since the last one
      bars?.stop();
      bars = undefined;
      write(summarize(results));
    },
    note: (n) => (bars ? bars.log(`${noticeText(n)}\n`) : write(noticeText(n))),
  };
}
