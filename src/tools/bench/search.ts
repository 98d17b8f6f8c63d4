/**
 * npm run bench:search — search latency on a registry of BENCH_CASES cases (default 100,000).
 * Builds the registry from generated petitions (names, places and matters combined at random),
 * then times BENCH_QUERIES searches of every kind a clerk types: a name, a phone number, a place,
 * two common characters, a phrase from a letter. Prints the median and the 99th percentile.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../adapters/files/workspace.js';
import { loadSettings } from '../../adapters/settings/settings-file.js';
import { openSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { extractFields } from '../../domain/extract/letter-fields.js';
import { extractRules, registryOptions } from '../../domain/settings.js';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const GIVEN = '秀兰丽华振国春燕永强淑芬文斌小梅建军彭丽明亮志刚桂英海燕玉兰德才红梅国庆秋菊晓东金花';
const PLACES = ['南湖小区', '东风里小区', '西坝河小区', '幸福家园', '和平里', '光明新村', '朝阳花园', '胜利大院', '团结湖', '望京西园', '北苑家园', '育新花园'];
const MATTERS = [
  '小区东门外的人行道被临时工棚占用，居民出行只能走机动车道，请社区协调尽快拆除。',
  '物业公司不再清运垃圾，楼道里堆满杂物，请社区督促物业履行合同。',
  '单位一直没有给我缴纳社会保险，请社区帮助我向单位反映，依法补缴。',
  '南侧汽修店长期露天喷漆，刺鼻气味飘进居民家中，请联系生态环境部门检查处理。',
  '楼下烧烤店每天晚上油烟噪音扰民，老人孩子无法休息，请社区尽快处理。',
  '家中老人生活困难，申请低保一直没有结果，请社区帮助了解办理进度。',
  '楼上住户装修漏水，多次协商没有结果，请社区出面调解邻里纠纷。',
  '孩子入学遇到困难，户籍所在学校不接收，请社区协调教育部门。',
  '小区电梯经常停运，物业维修不及时，请社区督促维修。',
  '有人在小区内私搭乱建，占用公共绿地，请社区依法处理违章建筑。',
];

function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length]!;
}

function person(i: number): { name: string; phone: string } {
  const name = pick([...SURNAMES], i * 7) + pick([...GIVEN], i * 13) + (i % 3 === 0 ? pick([...GIVEN], i * 5) : '');
  return { name, phone: `13${String(100_000_000 + ((i * 7_919) % 900_000_000)).padStart(9, '0')}` };
}

function letterText(i: number): string {
  const p = person(i);
  const place = pick(PLACES, i * 3);
  return `尊敬的社区领导：\n我是${place}${(i % 20) + 1}号楼的居民。${pick(MATTERS, i * 11)}\n此致\n敬礼！\n来信人：${p.name}\n联系电话：${p.phone}\n2026年${(i % 12) + 1}月${(i % 28) + 1}日`;
}

async function main(): Promise<void> {
  const cases = Number(process.env.BENCH_CASES ?? 100_000);
  const queries = Number(process.env.BENCH_QUERIES ?? 300);
  const settings = loadSettings(path.join(packageRoot(), 'pipeline', 'settings.yaml'));
  const rules = extractRules(settings);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xinfang-search-'));
  const file = path.join(dir, 'registry.sqlite');
  const registry = openSqliteStore(file, registryOptions(settings));
  const build = performance.now();
  const batch = 5_000;
  for (let start = 0; start < cases; start += batch) {
    const petitions = [];
    for (let i = start; i < Math.min(cases, start + batch); i++) {
      const text = letterText(i);
      const extraction = extractFields(text, rules);
      petitions.push({ channel: '来信' as const, receivedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000), year: 2026, text, extraction, flags: extraction.flags, pages: [], ocrEngine: 'bench', documents: [] });
    }
    await registry.registerMany(petitions, (year, number) => `archive/${year}/${number}`);
  }
  const buildSeconds = (performance.now() - build) / 1000;

  const kinds: ((i: number) => string)[] = [
    (i) => person(i * 37).name,
    (i) => person(i * 53).phone,
    (i) => pick(PLACES, i),
    (i) => pick(['物业', '噪音', '低保', '漏水', '工棚', '电梯', '社保', '喷漆'], i),
    (i) => pick(MATTERS, i).slice(4, 12),
    (i) => `${pick(PLACES, i)}${(i % 20) + 1}号楼`,
  ];
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < queries; i++) {
    const query = kinds[i % kinds.length]!(i);
    const t = performance.now();
    hits += (await registry.search(query, 20)).length;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  const sizeMB = statSync(file).size / 2 ** 20;
  await registry.close();
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  const lines = [
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? ''}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`,
    `registry: ${cases} cases, built in ${buildSeconds.toFixed(1)} s, ${sizeMB.toFixed(0)} MB`,
    `${queries} searches (names, phones, places, two common characters, phrases), top 20 each, ${hits} hits in all`,
    `latency: median ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms (target: median < 50 ms)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
