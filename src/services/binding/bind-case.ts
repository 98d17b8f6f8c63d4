import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Settings } from '../../domain/settings.js';
import { chineseDate, localDate } from '../../domain/calendar.js';
import { XinfangError } from '../../domain/problems.js';
import { writeFileAtomic } from '../../adapters/files/fs-safe.js';
import { sha256 } from '../../adapters/files/hash.js';
import type { CaseDetail, DocumentRecord, Registry } from '../../adapters/sqlite/registry.js';
import { facesFrom } from '../../adapters/pdfkit/faces.js';
import { STATUS_LABEL } from '../../domain/workflow.js';
import type { Workspace } from '../../adapters/files/workspace.js';
import { composeVolume, loadPdf, type VolumePart } from '../../adapters/pdf-lib/compose.js';
import { casePapers, type Paper } from '../../domain/binding/papers.js';
import { archiveRef, eightDigitDate, RETENTION_LABEL, retentionFor } from '../../domain/binding/reference.js';
import { backMatter, frontMatter, registrationRecord } from '../../adapters/pdfkit/volume-pages.js';

export interface BindContext {
  ws: Workspace;
  settings: Settings;
  registry: Registry;
  now: Date;
  actor: string;
}

export interface BoundCase {
  number: string;
  ref: string;
  path: string;
  pages: number;
  papers: number;
  bytes: number;
  /** Scanned images in the volume and their bytes after compression. */
  scanPages: number;
  scanBytes: number;
}

export const MANIFEST_NAME = '文件清单.txt';

/** What a case still lacks before it can be bound; empty when it can. */
export function missingForBinding(c: CaseDetail): string[] {
  const missing: string[] = [];
  if (c.status !== 'closed') missing.push(`办结（现在是“${STATUS_LABEL[c.status]}”）`);
  if (!c.workflow.instruction) missing.push('领导批示');
  if (!c.workflow.repliedAt && !c.workflow.declinedAt) missing.push('答复（信访处理意见书）');
  return missing;
}

/**
 * Binds a closed case into its volume (PDF/A-2b): cover, contents list, its papers in the order
 * the settings give, each starting on a front page with the filing stamp on its first page and a
 * page number on every page, the record sheet, bookmarks. The archival reference is drawn once and
 * never changes; the case folder then gets a manifest of every file with its size and SHA-256.
 */
export async function bindCase(ctx: BindContext, c: CaseDetail, options: { rebuild?: boolean } = {}): Promise<BoundCase> {
  const missing = missingForBinding(c);
  if (missing.length) throw new XinfangError('not-bindable', `${c.number} 还不能立卷：缺少${missing.join('、')}。`, 1);
  if (c.archive && !options.rebuild) {
    throw new XinfangError('already-bound', `${c.number} 已于 ${chineseDate(localDate(c.archive.boundAt, ctx.settings.office.timezone))} 立卷，档号 ${c.archive.ref}。如需按现有材料重新生成案卷，加 --rebuild（档号不变）。`, 1);
  }
  const { settings, ws } = ctx;
  const tz = settings.office.timezone;
  const day = (iso: string) => localDate(iso, tz);
  const retention = c.archive?.retention ?? retentionFor(c.fields.category, settings);
  const bound = ctx.registry.assignArchiveRef(c.id, retention, ctx.now, (item) => archiveRef(settings, c.year, retention, item));
  const archive = bound.archive!;
  const faces = facesFrom(settings, ws.root);
  const office = settings.office.name;
  const papers = casePapers(c, office, settings.archive.paperOrder, day);
  const title = volumeTitle(c);

  const paperPdfs = await Promise.all(papers.map(async (p) => loadPdf(await paperPdf(ctx, c, p, faces))));
  const pageCounts = paperPdfs.map((d) => d.getPageCount());
  const totalPages = pageCounts.reduce((a, b) => a + b, 0);
  const dates = papers.map((p) => p.date).sort();
  // Page numbers in the contents list: papers are numbered through, blank backs are not.
  let next = 1;
  const rows = papers.map((p, i) => {
    const from = next;
    next += pageCounts[i]!;
    return { cells: [String(i + 1), p.docNumber, p.author, p.title, eightDigitDate(p.date), pageCounts[i]! > 1 ? `${from}-${next - 1}` : String(from), p.note] };
  });
  const front = await frontMatter(
    {
      heading: '信访案卷',
      fields: [
        ['全宗名称', settings.archive.fondsName],
        ['类目', c.fields.category ?? '其他'],
        ['案卷题名', title],
        ['起止日期', `${eightDigitDate(dates[0]!)}—${eightDigitDate(dates[dates.length - 1]!)}`],
        ['件数', `${papers.length} 件，共 ${totalPages} 页`],
        ['保管期限', RETENTION_LABEL[retention] ?? retention],
        ['档号', archive.ref],
      ],
    },
    {
      title: '卷内目录',
      subtitle: `档号：${archive.ref}`,
      columns: [
        { title: '序号', share: 5 },
        { title: '文号', share: 15 },
        { title: '责任者', share: 13 },
        { title: '题名', share: 30 },
        { title: '日期', share: 11 },
        { title: '页号', share: 8 },
        { title: '备注', share: 12 },
      ],
      rows,
    },
    faces,
    title,
    ctx.now,
  );
  const back = await backMatter(
    {
      notes: [
        `本卷共 ${papers.length} 件 ${totalPages} 页，按${settings.archive.paperOrder.join('、')}的顺序排列。`,
        ...papers.filter((p) => p.note !== '系统生成' && p.note !== '原件扫描').map((p) => `${p.title}：${p.note}。`),
        ...papers.filter((p) => p.note === '系统生成').map((p) => `${p.title}为本系统生成件，未收回签批或盖章的纸质件。`),
        `办理经过：${c.history.filter((h) => h.action !== 'paper-filed').map((h) => `${day(h.at)} ${h.detail.split('；')[0]}`).join('；')}。`,
      ],
      compiler: ctx.actor,
      compiledOn: chineseDate(day(ctx.now.toISOString())),
    },
    faces,
    title,
    ctx.now,
  );
  const stampFor = (pages: number): VolumePart['stamp'] => [settings.archive.fondsCode, String(c.year), String(archive.item).padStart(4, '0'), settings.archive.unitCode, RETENTION_LABEL[retention] ?? retention, String(pages)];
  const parts: VolumePart[] = [
    { pdf: await loadPdf(front), bookmark: '封面与卷内目录', paper: false },
    ...papers.map((p, i) => ({ pdf: paperPdfs[i]!, bookmark: `${i + 1}. ${p.title}`, paper: true, stamp: stampFor(pageCounts[i]!) })),
    { pdf: await loadPdf(back), bookmark: '备考表', paper: false },
  ];
  const volume = await composeVolume(parts, faces, { longSide: settings.archive.scanLongSide, quality: settings.archive.scanJpegQuality });

  const folder = ws.absolute(c.folder);
  const volumeFile = path.join(folder, `案卷_${archive.ref}.pdf`);
  await writeFileAtomic(volumeFile, volume.bytes);
  const manifestText = manifest(folder, c.number, archive.ref, ctx.now);
  const manifestFile = path.join(folder, MANIFEST_NAME);
  await writeFileAtomic(manifestFile, manifestText);
  const documents: DocumentRecord[] = [
    { role: 'volume', kind: '案卷', path: ws.relative(volumeFile), sha256: sha256(volume.bytes), pages: volume.pages, bytes: volume.bytes.length },
    { role: 'manifest', kind: '文件清单', path: ws.relative(manifestFile), sha256: sha256(Buffer.from(manifestText)), pages: 0, bytes: Buffer.byteLength(manifestText) },
  ];
  ctx.registry.recordBinding(c.id, documents, {
    at: ctx.now.toISOString(),
    actor: ctx.actor,
    action: 'bound',
    detail: `${options.rebuild ? '重新' : ''}立卷，档号 ${archive.ref}，${papers.length} 件 ${volume.numberedPages} 页`,
  });
  return { number: c.number, ref: archive.ref, path: ws.relative(volumeFile), pages: volume.pages, papers: papers.length, bytes: volume.bytes.length, scanPages: volume.scanPages, scanBytes: volume.scanBytes };
}

/** 王秀兰关于楼下烧烤店油烟噪音扰民的来信 */
export function volumeTitle(c: CaseDetail): string {
  const matter = (c.fields.summary ?? '').replace(/[。；，,.;\s]+$/u, '').replace(/^(关于|反映)/u, '');
  const what = c.channel === '来信' ? '来信' : c.channel === '转办' ? '信访事项（转办）' : `${c.channel}`;
  return `${c.fields.name ?? '信访人'}关于${matter || '信访事项'}的${what}`;
}

async function paperPdf(ctx: BindContext, c: CaseDetail, p: Paper, faces: ReturnType<typeof facesFrom>): Promise<Buffer> {
  if (p.path) return readFileSync(ctx.ws.absolute(p.path));
  const tz = ctx.settings.office.timezone;
  const f = c.fields;
  return registrationRecord(
    `信访事项登记表（${c.channel}）`,
    [
      ['编号', c.number],
      ['收到时间', chineseDate(localDate(c.receivedAt, tz))],
      ['信访人', f.name ?? ''],
      ['联系电话', f.phone ?? ''],
      ['住址', f.address ?? ''],
      ...(c.transfer ? ([['交办单位', `${c.transfer.office}（${c.transfer.number}）`]] as [string, string][]) : []),
      ['反映问题', c.ocrText],
      ['登记人', c.history[0]?.actor ?? ''],
    ],
    faces,
    ctx.now,
  );
}

/** Every file of the case folder (but the manifest itself) with its SHA-256 and size, one per line. */
function manifest(folder: string, caseNumber: string, ref: string, at: Date): string {
  const lines = [`# ${caseNumber} 文件清单（档号 ${ref}，${at.toISOString()}）`, '# SHA-256  字节数  文件名'];
  for (const name of readdirSync(folder).sort()) {
    if (name === MANIFEST_NAME || name.startsWith('.')) continue;
    const file = path.join(folder, name);
    const stat = statSync(file);
    if (!stat.isFile()) continue;
    lines.push(`${sha256(readFileSync(file))}  ${stat.size}  ${name}`);
  }
  return `${lines.join('\n')}\n`;
}
