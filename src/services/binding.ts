/**
 * Binding (立卷): a closed case into its volume (PDF/A-2b) with its archival reference, and a
 * year's bound cases into shelf volumes. Files are written through the file journal, so a stop
 * while binding leaves either the old binding or the new one, never a mix.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { sha256 } from '../adapters/files/hash.js';
import { archiveRef, CASE_CONTENTS_COLUMNS, casePapers, eightDigitDate, missingForBinding, RETENTION_LABEL, retentionFor, volumeTitle, YEAR_CONTENTS_COLUMNS, type Paper } from '../domain/binding.js';
import type { Actor, CaseDetail, DocumentRecord, VolumeRecord } from '../domain/case.js';
import { chineseDate, localDate } from '../domain/calendar.js';
import { fail, isXinfangError, type Problem } from '../domain/problems.js';
import { can } from '../domain/roles.js';
import type { ServiceContext } from './context.js';
import { FileBatch, type WrittenFile } from './files.js';

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

export interface YearBinding {
  year: number;
  bound: BoundCase[];
  /** Cases not bound, each with why. */
  skipped: ({ number: string; problem: Problem } | { number: string; open: true })[];
  cases: number;
  /** The volumes this binding made: the next ones after those already bound, or a new edition of all. */
  volumes: VolumeRecord[];
  /** The year's volumes bound before and left as they were. */
  kept: VolumeRecord[];
}

export const MANIFEST_NAME = '文件清单.txt';

/** Sheets kept for a shelf volume's own cover and contents list when filling it with cases. */
const FRONT_SHEETS = 3;

export class BindingService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Binds a closed case into its volume: cover, contents list, its papers in the order the
   * settings give, each starting on a front page with the filing stamp on its first page and a
   * page number on every page, the record sheet, bookmarks. The archival reference is drawn once
   * and never changes; the case folder then gets a manifest of every file with its size and SHA-256.
   */
  async bindCase(actor: Actor, c: CaseDetail, options: { rebuild?: boolean } = {}): Promise<BoundCase> {
    const { settings, paths, store } = this.ctx;
    if (!can(actor, 'bind')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '立卷' });
    const missing = missingForBinding(c);
    if (missing.length) fail({ code: 'not-bindable', caseNumber: c.number, missing });
    const tz = settings.office.timezone;
    if (c.binding && !options.rebuild) fail({ code: 'already-bound', caseNumber: c.number, boundOn: localDate(c.binding.boundAt, tz), ref: c.binding.ref });
    const now = this.ctx.clock();
    const [{ facesFrom }, { composeVolume, loadPdf }, { backMatter, frontMatter, registrationRecord }] = await Promise.all([
      import('../adapters/fonts/font-files.js'),
      import('../adapters/pdf-lib/compose.js'),
      import('../adapters/pdfkit/volume-pages.js'),
    ]);
    const day = (iso: string) => localDate(iso, tz);
    const retention = c.binding?.retention ?? retentionFor(c.fields.category, settings);
    const bound = await store.assignReference(c.id, retention, now, (item) => archiveRef(settings, c.year, retention, item));
    const binding = bound.binding!;
    const faces = facesFrom(settings, paths.root);
    const papers = casePapers(c, settings.office.name, settings.archive.paperOrder, day);
    const title = volumeTitle(c);

    const paperPdf = async (p: Paper): Promise<Buffer> => {
      if (p.path) return readFileSync(paths.absolute(p.path));
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
        now,
      );
    };
    const paperPdfs = await Promise.all(papers.map(async (p) => loadPdf(await paperPdf(p))));
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
          ['档号', binding.ref],
        ],
      },
      {
        title: '卷内目录',
        subtitle: `档号：${binding.ref}`,
        columns: CASE_CONTENTS_COLUMNS,
        rows,
      },
      faces,
      title,
      now,
    );
    const back = await backMatter(
      {
        notes: [
          `本卷共 ${papers.length} 件 ${totalPages} 页，按${settings.archive.paperOrder.join('、')}的顺序排列。`,
          ...papers.filter((p) => p.note !== '系统生成' && p.note !== '原件扫描').map((p) => `${p.title}：${p.note}。`),
          ...papers.filter((p) => p.note === '系统生成').map((p) => `${p.title}为本系统生成件，未收回签批或盖章的纸质件。`),
          `办理经过：${c.history.filter((h) => h.action !== 'paper-filed').map((h) => `${day(h.at)} ${h.detail.split('；')[0]}`).join('；')}。`,
        ],
        compiler: actor.name,
        compiledOn: chineseDate(day(now.toISOString())),
      },
      faces,
      title,
      now,
    );
    const stampFor = (pages: number): [string, string, string, string, string, string] => [settings.archive.fondsCode, String(c.year), String(binding.item).padStart(4, '0'), settings.archive.unitCode, RETENTION_LABEL[retention] ?? retention, String(pages)];
    const parts = [
      { pdf: await loadPdf(front), bookmark: '封面与卷内目录', paper: false },
      ...papers.map((p, i) => ({ pdf: paperPdfs[i]!, bookmark: `${i + 1}. ${p.title}`, paper: true, stamp: stampFor(pageCounts[i]!) })),
      { pdf: await loadPdf(back), bookmark: '备考表', paper: false },
    ];
    const volume = await composeVolume(parts, faces, { longSide: settings.archive.scanLongSide, quality: settings.archive.scanJpegQuality });

    const batch = new FileBatch(this.ctx);
    const { volumeFile, manifestFile } = await batch.writing(async () => {
      const volumeFile = await batch.write(`${c.folder}/案卷_${binding.ref}.pdf`, volume.bytes);
      const manifestFile = await batch.write(`${c.folder}/${MANIFEST_NAME}`, manifest(paths.absolute(c.folder), volumeFile, c.number, binding.ref, now));
      return { volumeFile, manifestFile };
    });
    const documents: DocumentRecord[] = [
      { role: 'volume', kind: '案卷', path: volumeFile.path, sha256: volumeFile.sha256, pages: volume.pages, bytes: volumeFile.bytes },
      { role: 'manifest', kind: '文件清单', path: manifestFile.path, sha256: manifestFile.sha256, pages: 0, bytes: manifestFile.bytes },
    ];
    // A volume of an earlier binding under another name is replaced by this one.
    for (const old of c.documents.filter((d) => (d.role === 'volume' || d.role === 'manifest') && !documents.some((n) => n.path === d.path))) await batch.removeAfter(old.path);
    await batch.commit(() =>
      store.recordBinding(c.id, documents, {
        at: now.toISOString(),
        actor: actor.name,
        action: 'bound',
        detail: `${options.rebuild ? '重新' : ''}立卷，档号 ${binding.ref}，${papers.length} 件 ${volume.numberedPages} 页`,
      }),
    );
    return { number: c.number, ref: binding.ref, path: volumeFile.path, pages: volume.pages, papers: papers.length, bytes: volumeFile.bytes, scanPages: volume.scanPages, scanBytes: volume.scanBytes };
  }

  /**
   * The year's shelf volumes: every closed case of the year bound (those not yet bound are bound
   * now), in number order, split into volumes of at most the set number of sheets, each with its
   * own cover and contents list (归档文件目录). A case is never split between volumes.
   */
  /** The year volumes on record, superseded editions included (their files are kept). */
  async volumes(year?: number): Promise<VolumeRecord[]> {
    return this.ctx.store.volumes(year);
  }

  /**
   * Binds the year's closed cases into shelf volumes. A volume once bound is never replaced: cases
   * closed since go into the next volumes; `rebuild` makes a new edition of every volume, the
   * earlier files kept and marked superseded. Each case's history says which volume holds it.
   */
  async bindYear(actor: Actor, year: number, options: { rebuild?: boolean } = {}): Promise<YearBinding> {
    const { store, settings, paths } = this.ctx;
    if (!can(actor, 'bind')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '装订年度案卷' });
    const bound: BoundCase[] = [];
    const skipped: YearBinding['skipped'] = [];
    const cases: { c: CaseDetail; volume: DocumentRecord }[] = [];
    for await (const row of store.casesOfYear(year)) {
      if (row.status !== 'closed') {
        skipped.push({ number: row.number, open: true });
        continue;
      }
      let detail = await store.detail(row.id);
      // A case with its reference but no volume was stopped while binding: bind it again, same reference.
      if (!(detail.binding && detail.documents.some((d) => d.role === 'volume'))) {
        try {
          bound.push(await this.bindCase(actor, detail, { rebuild: Boolean(detail.binding) }));
          detail = await store.detail(row.id);
        } catch (e) {
          if (!isXinfangError(e)) throw e;
          skipped.push({ number: row.number, problem: e.problem });
          continue;
        }
      }
      cases.push({ c: detail, volume: detail.documents.find((d) => d.role === 'volume')! });
    }
    if (cases.length === 0) fail({ code: 'nothing-to-bind', year });

    const onRecord = await store.volumes(year);
    const kept = options.rebuild ? [] : onRecord.filter((v) => v.supersededAt === null);
    const inVolume = new Set(kept.flatMap((v) => v.cases));
    const toPlace = cases.filter((x) => !inVolume.has(x.c.number));
    const firstVolume = 1 + Math.max(0, ...kept.map((v) => v.volume));
    const edition = options.rebuild ? 1 + Math.max(0, ...onRecord.map((v) => v.edition)) : 1;
    if (toPlace.length === 0) return { year, bound, skipped, cases: cases.length, volumes: [], kept };

    const limit = Math.max(1, settings.archive.sheetsPerVolume - FRONT_SHEETS);
    const groups: (typeof cases)[] = [];
    let sheets = 0;
    for (const x of toPlace) {
      const caseSheets = Math.ceil(x.volume.pages / 2);
      if (groups.length === 0 || (sheets + caseSheets > limit && sheets > 0)) {
        groups.push([]);
        sheets = 0;
      }
      groups[groups.length - 1]!.push(x);
      sheets += caseSheets;
    }

    const now = this.ctx.clock();
    const [{ facesFrom }, { concatenate }, { frontMatter }] = await Promise.all([
      import('../adapters/fonts/font-files.js'),
      import('../adapters/pdf-lib/compose.js'),
      import('../adapters/pdfkit/volume-pages.js'),
    ]);
    const faces = facesFrom(settings, paths.root);
    const dir = paths.relative(paths.yearVolumes(year));
    const volumes: VolumeRecord[] = [];
    const tz = settings.office.timezone;
    const batch = new FileBatch(this.ctx);
    for (const [i, group] of groups.entries()) {
      const n = firstVolume + i;
      const named = `第${n}册${edition > 1 ? `（第${edition}版）` : ''}`;
      const first = group[0]!.c.binding!.ref;
      const last = group[group.length - 1]!.c.binding!.ref;
      const retentions = [...new Set(group.map((x) => RETENTION_LABEL[x.c.binding!.retention] ?? x.c.binding!.retention))];
      const pages = group.reduce((a, x) => a + x.volume.pages, 0);
      const title = `${settings.archive.fondsName}${year}年信访档案 ${named}`;
      const front = await frontMatter(
        {
          heading: '信访档案',
          fields: [
            ['全宗名称', settings.archive.fondsName],
            ['年度', `${year} 年`],
            ['册次', named],
            ['档号', first === last ? first : `${first} 至 ${last}`],
            ['件数', `${group.length} 件，共 ${pages} 页`],
            ['保管期限', retentions.join('、')],
          ],
        },
        {
          title: '归档文件目录',
          subtitle: `${year} 年  ${named}`,
          columns: YEAR_CONTENTS_COLUMNS,
          rows: group.map((x, k) => ({
            cells: [
              String(k + 1),
              x.c.binding!.ref,
              x.c.number,
              x.c.fields.name ?? '',
              volumeTitle(x.c),
              eightDigitDate(localDate(x.c.receivedAt, tz)),
              '',
              String(x.volume.pages),
              x.c.channel === '来信' ? '' : x.c.channel,
            ],
          })),
        },
        faces,
        title,
        now,
      );
      const whole = await concatenate(
        front,
        group.map((x) => ({ pdf: readFileSync(paths.absolute(x.volume.path)), bookmark: `${x.c.binding!.ref} ${volumeTitle(x.c)}` })),
      );
      const file = await batch.writing(() => batch.write(`${dir}/${year}年信访档案_第${n}册${edition > 1 ? `_第${edition}版` : ''}.pdf`, whole.bytes));
      volumes.push({ year, volume: n, edition, path: file.path, sha256: file.sha256, bytes: file.bytes, pages: whole.pages, cases: group.map((x) => x.c.number), madeAt: now.toISOString(), supersededAt: null });
    }
    const at = now.toISOString();
    await batch.commit(() =>
      store.addYearVolumes(year, volumes, {
        supersede: Boolean(options.rebuild),
        entry: (v) => ({
          at,
          actor: actor.name,
          action: 'bound',
          detail: `装入${year}年信访档案第${v.volume}册${v.edition > 1 ? `（第${v.edition}版，此前各版仍保留）` : ''}，文件 ${path.posix.basename(v.path)}`,
        }),
      }),
    );
    return { year, bound, skipped, cases: cases.length, volumes, kept };
  }
}

/**
 * Every file of the case folder (but the manifest itself and writes in progress) with its SHA-256
 * and size, one per line; the new volume, not yet in place, counted as it will be.
 */
function manifest(folder: string, volume: WrittenFile, caseNumber: string, ref: string, at: Date): string {
  const lines = [`# ${caseNumber} 文件清单（档号 ${ref}，${at.toISOString()}）`, '# SHA-256  字节数  文件名'];
  const volumeName = path.posix.basename(volume.path);
  const names = new Set(readdirSync(folder).filter((name) => name !== MANIFEST_NAME && !name.startsWith('.')));
  names.add(volumeName);
  for (const name of [...names].sort()) {
    if (name === volumeName) {
      lines.push(`${volume.sha256}  ${volume.bytes}  ${name}`);
      continue;
    }
    const file = path.join(folder, name);
    const stat = statSync(file);
    if (!stat.isFile()) continue;
    lines.push(`${sha256(readFileSync(file))}  ${stat.size}  ${name}`);
  }
  return `${lines.join('\n')}\n`;
}
