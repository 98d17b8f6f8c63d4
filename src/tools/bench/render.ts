/**
 * npm run bench:render — the register book of BENCH_CASES cases (default 10,000), PDF and DOCX,
 * each in a fresh process so its time and peak memory are its own. Median of BENCH_ROUNDS (3).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBookDocx } from '../../adapters/docx/book-docx.js';
import { issuedDocx } from '../../adapters/docx/issued-docx.js';
import { packageRoot } from '../../adapters/files/workspace.js';
import { defaultFaces } from '../../adapters/fonts/font-files.js';
import { writeBookPdf } from '../../adapters/pdfkit/book-pdf.js';
import { issuedPdf } from '../../adapters/pdfkit/issued-pdf.js';
import { loadSettings } from '../../adapters/settings/settings-file.js';
import { fillTemplate } from '../../adapters/templates/templates.js';
import { bookRow, type BookRow } from '../../domain/book.js';
import type { Case } from '../../domain/case.js';
import { EMPTY_WORKFLOW } from '../../domain/workflow.js';
import { peakMB } from './measure.js';

const here = fileURLToPath(import.meta.url);
const NAMES = ['郑丽华', '黄振国', '何春燕', '林永强', '王秀兰', '李桂英', '赵立新', '陈志强'];
const PLACES = ['南湖小区4号楼1单元302室', '东风里小区', '西坝河小区南侧', '光明新村5号楼2单元101室', '朝阳花园6号楼'];
const SUMMARIES = [
  '请社区协调有关部门尽快拆除工棚，恢复人行道通行',
  '请社区督促物业公司履行合同，或者组织业主重新选聘物业',
  '请社区帮助我向单位反映，依法为我补缴社会保险',
  '我们请求社区联系生态环境部门检查处理，责令其停止露天喷漆',
  '楼下烧烤店每天晚上油烟噪音扰民，老人孩子无法休息，请社区尽快处理，如果再不处理我们将联名向上级反映',
];

async function* rows(count: number): AsyncGenerator<BookRow> {
  const settings = loadSettings(path.join(packageRoot(), 'pipeline', 'settings.yaml'));
  for (let i = 0; i < count; i++) {
    const c = {
      number: `八宝信〔2026〕${i + 1}号`,
      receivedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_000_000).toISOString(),
      channel: i % 7 === 0 ? '来访' : '来信',
      flags: i % 13 === 0 ? ['group'] : [],
      repeatOf: null,
      transfer: null,
      status: 'registered',
      workflow: EMPTY_WORKFLOW,
      binding: null,
      fields: {
        name: NAMES[i % NAMES.length]!,
        phone: `139${String(10_000_000 + i).padStart(8, '0')}`,
        idNumber: i % 3 === 0 ? '110108198801011235' : null,
        address: PLACES[i % PLACES.length]!,
        letterDate: '2026-11-03',
        signatories: i % 13 === 0 ? 6 : 1,
        summary: SUMMARIES[i % SUMMARIES.length]!,
        category: '城乡建设',
        handlingType: '申诉求决类',
      },
    } as unknown as Case;
    yield bookRow(c, i + 1, settings);
  }
}

async function child(format: string, count: number, file: string): Promise<void> {
  const info = { office: '八宝社区居民委员会', period: '2026年', total: count, byChannel: [['来信', count]] as [string, number][], printedOn: '2026年11月25日' };
  const start = performance.now();
  if (format === 'pdf') await writeBookPdf(() => rows(count), info, defaultFaces(), file);
  else await writeBookDocx(() => rows(count), info, defaultFaces(), file);
  const seconds = (performance.now() - start) / 1000;
  process.stdout.write(`${JSON.stringify({ seconds, peakMB: peakMB(), bytes: statSync(file).size })}\n`);
}

function run(format: string, count: number, file: string): Promise<{ seconds: number; peakMB: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [here, 'child', format, String(count), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`render child failed (${code})`))));
  });
}

/** One formal reply, timed after a first one has warmed up the fonts: what a clerk waits for. */
async function replyLetterTimes(times: number): Promise<number[]> {
  const filled = fillTemplate(path.join(packageRoot(), 'templates'), '信访处理意见书', {
    信访人: '王秀兰', 信访人等: '王秀兰', 人称: '你', 来信日期: '2026年11月3日', 渠道: '来信', 信访请求: '请求责令烧烤店安装油烟净化设施。',
    查明事实: '经现场核查，该店未安装油烟净化设施。', 处理意见: '予以支持', 处理依据: '《中华人民共和国大气污染防治法》第八十一条', 复查机关: '八宝街道办事处',
  });
  const head = { issuer: '八宝社区居民委员会', docNumber: '八宝信〔2026〕7号', date: '2026年11月25日', form: false };
  const faces = defaultFaces();
  await issuedPdf(filled, head, faces, new Date());
  const result: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await issuedPdf(filled, head, faces, new Date());
    await issuedDocx(filled, head);
    result.push(performance.now() - start);
  }
  return result;
}

async function main(): Promise<void> {
  const [mode, format, count, file] = process.argv.slice(2);
  if (mode === 'child') return child(format!, Number(count), file!);
  const cases = Number(process.env.BENCH_CASES ?? 10_000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xinfang-render-'));
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const lines = [`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? ''}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`];
  for (const fmt of ['pdf', 'docx']) {
    const results = [];
    for (let r = 0; r < rounds; r++) results.push(await run(fmt, cases, path.join(dir, `book-${r}.${fmt}`)));
    lines.push(
      `register book, ${cases} cases, ${fmt.toUpperCase()}: median ${median(results.map((x) => x.seconds)).toFixed(1)} s, peak ${median(results.map((x) => x.peakMB))} MB, ${(median(results.map((x) => x.bytes)) / 2 ** 20).toFixed(1)} MB file (target: < 20 s, < 500 MB)`,
    );
  }
  const replies = await replyLetterTimes(20);
  lines.push(`one formal reply letter, PDF + DOCX, after start-up: median ${median(replies).toFixed(0)} ms over ${replies.length} (target: < 300 ms)`);
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
