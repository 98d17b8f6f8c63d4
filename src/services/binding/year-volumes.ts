import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { localDate } from '../../domain/calendar.js';
import { XinfangError } from '../../domain/problems.js';
import { writeFileAtomic } from '../../adapters/files/fs-safe.js';
import { sha256 } from '../../adapters/files/hash.js';
import type { CaseDetail, DocumentRecord, VolumeRecord } from '../../adapters/sqlite/registry.js';
import { facesFrom } from '../../adapters/pdfkit/faces.js';
import { bindCase, volumeTitle, type BindContext, type BoundCase } from './bind-case.js';
import { concatenate } from '../../adapters/pdf-lib/compose.js';
import { eightDigitDate, RETENTION_LABEL } from '../../domain/binding/reference.js';
import { frontMatter } from '../../adapters/pdfkit/volume-pages.js';

export interface YearBinding {
  year: number;
  bound: BoundCase[];
  skipped: string[];
  cases: number;
  volumes: VolumeRecord[];
}

/** Sheets kept for a shelf volume's own cover and contents list when filling it with cases. */
const FRONT_SHEETS = 3;

/**
 * The year's shelf volumes: every closed case of the year bound (those not yet bound are bound
 * now), in number order, split into volumes of at most the set number of sheets, each with its
 * own cover and contents list (归档文件目录). A case is never split between volumes.
 */
export async function bindYear(ctx: BindContext, year: number): Promise<YearBinding> {
  const { registry, settings, ws } = ctx;
  const bound: BoundCase[] = [];
  const skipped: string[] = [];
  const cases: { c: CaseDetail; volume: DocumentRecord }[] = [];
  for (const row of [...registry.casesOfYear(year)]) {
    if (row.status !== 'closed') {
      skipped.push(`${row.number}：尚未办结`);
      continue;
    }
    let detail = registry.caseDetailById(row.id);
    // A case with its reference but no volume was stopped while binding: bind it again, same reference.
    if (!(detail.archive && detail.documents.some((d) => d.role === 'volume'))) {
      try {
        bound.push(await bindCase(ctx, detail, { rebuild: Boolean(detail.archive) }));
        detail = registry.caseDetailById(row.id);
      } catch (e) {
        if (!(e instanceof XinfangError)) throw e;
        skipped.push(e.userMessage);
        continue;
      }
    }
    cases.push({ c: detail, volume: detail.documents.find((d) => d.role === 'volume')! });
  }
  if (cases.length === 0) throw new XinfangError('nothing-to-bind', `${year} 年还没有可以装订的案件（须先办结并立卷）。`, 1);

  const limit = Math.max(1, settings.archive.sheetsPerVolume - FRONT_SHEETS);
  const groups: (typeof cases)[] = [];
  let sheets = 0;
  for (const x of cases) {
    const caseSheets = Math.ceil(x.volume.pages / 2);
    if (groups.length === 0 || (sheets + caseSheets > limit && sheets > 0)) {
      groups.push([]);
      sheets = 0;
    }
    groups[groups.length - 1]!.push(x);
    sheets += caseSheets;
  }

  const faces = facesFrom(settings, ws.root);
  const dir = path.join(ws.archive, String(year), '年度案卷');
  await fs.mkdir(dir, { recursive: true });
  const old = registry.volumes(year);
  const volumes: VolumeRecord[] = [];
  const tz = settings.office.timezone;
  for (const [i, group] of groups.entries()) {
    const n = i + 1;
    const first = group[0]!.c.archive!.ref;
    const last = group[group.length - 1]!.c.archive!.ref;
    const retentions = [...new Set(group.map((x) => RETENTION_LABEL[x.c.archive!.retention] ?? x.c.archive!.retention))];
    const pages = group.reduce((a, x) => a + x.volume.pages, 0);
    const title = `${settings.archive.fondsName}${year}年信访档案 第${n}册`;
    const front = await frontMatter(
      {
        heading: '信访档案',
        fields: [
          ['全宗名称', settings.archive.fondsName],
          ['年度', `${year} 年`],
          ['册次', `第 ${n} 册，共 ${groups.length} 册`],
          ['档号', first === last ? first : `${first} 至 ${last}`],
          ['件数', `${group.length} 件，共 ${pages} 页`],
          ['保管期限', retentions.join('、')],
        ],
      },
      {
        title: '归档文件目录',
        subtitle: `${year} 年  第 ${n} 册`,
        columns: [
          { title: '序号', share: 5 },
          { title: '档号', share: 18 },
          { title: '文号', share: 14 },
          { title: '责任者', share: 9 },
          { title: '题名', share: 26 },
          { title: '日期', share: 10 },
          { title: '密级', share: 5 },
          { title: '页数', share: 6 },
          { title: '备注', share: 7 },
        ],
        rows: group.map((x, k) => ({
          cells: [
            String(k + 1),
            x.c.archive!.ref,
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
      ctx.now,
    );
    const whole = await concatenate(
      front,
      group.map((x) => ({ pdf: readFileSync(ws.absolute(x.volume.path)), bookmark: `${x.c.archive!.ref} ${volumeTitle(x.c)}` })),
    );
    const file = path.join(dir, `${year}年信访档案_第${n}册.pdf`);
    await writeFileAtomic(file, whole.bytes);
    volumes.push({ year, volume: n, path: ws.relative(file), sha256: sha256(whole.bytes), bytes: whole.bytes.length, pages: whole.pages, cases: group.map((x) => x.c.number), madeAt: ctx.now.toISOString() });
  }
  registry.replaceYearVolumes(year, volumes);
  // Volumes of an earlier, longer binding that are no longer part of the year: ours, derived, safe to remove.
  for (const v of old) if (!volumes.some((n) => n.path === v.path)) await fs.rm(ws.absolute(v.path), { force: true });
  return { year, bound, skipped, cases: cases.length, volumes };
}
