import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Settings } from '../../domain/settings.js';
import { localDate } from '../../domain/calendar.js';
import { XinfangError } from '../../domain/problems.js';
import { copyFileDurable, exists, writeFileAtomic } from '../../adapters/files/fs-safe.js';
import { sha256, sha256File } from '../../adapters/files/hash.js';
import type { Registry } from '../../adapters/sqlite/registry.js';
import type { Workspace } from '../../adapters/files/workspace.js';

export interface ExportedBag {
  dir: string;
  files: number;
  bytes: number;
  cases: number;
}

/**
 * A year of the archive as a BagIt 1.0 bag (RFC 8493) another office can check with any BagIt
 * tool: data/ holds every case folder of the year, the year's shelf volumes and the registry's
 * records of those cases as JSON; manifest-sha256.txt lists every payload file, bag-info.txt says
 * whose it is. Each file is checked against the registry as it is copied; the bag is built beside
 * its final name and renamed into place, so a half-made bag never looks finished.
 */
export async function exportYear(ws: Workspace, settings: Settings, registry: Registry, year: number, target: string, now: Date, version: string): Promise<ExportedBag> {
  const dir = path.resolve(target);
  if ((await exists(dir)) && (await fs.readdir(dir)).length > 0) throw new XinfangError('export-exists', `目标文件夹“${dir}”已存在且不是空的。请换一个新的文件夹名。`, 2);
  const cases = [...registry.casesOfYear(year)];
  if (cases.length === 0) throw new XinfangError('export-empty', `${year} 年没有登记任何案件，没有可导出的内容。`, 1);
  const building = `${dir}.partial-${process.pid}`;
  await fs.rm(building, { recursive: true, force: true });
  const manifest: string[] = [];
  let bytes = 0;
  const add = async (relative: string, sha: string, size: number) => {
    manifest.push(`${sha}  ${encodePath(`data/${relative.split(path.sep).join('/')}`)}`);
    bytes += size;
  };
  try {
    for (const c of cases) {
      const detail = registry.caseDetailById(c.id);
      for (const d of detail.documents) {
        const inArchive = path.relative(ws.archive, ws.absolute(d.path));
        const dest = path.join(building, 'data', inArchive);
        await fs.mkdir(path.dirname(dest), { recursive: true });
        await copyFileDurable(ws.absolute(d.path), dest);
        const copied = await sha256File(dest);
        if (copied !== d.sha256) throw new XinfangError('export-changed', `文件 ${d.path} 与登记的指纹不符，导出已停止。请先运行 xinfang verify 查明原因。`, 1);
        await add(inArchive, copied, (await fs.stat(dest)).size);
      }
    }
    for (const v of registry.volumes(year)) {
      const inArchive = path.relative(ws.archive, ws.absolute(v.path));
      const dest = path.join(building, 'data', inArchive);
      await fs.mkdir(path.dirname(dest), { recursive: true });
      await copyFileDurable(ws.absolute(v.path), dest);
      if ((await sha256File(dest)) !== v.sha256) throw new XinfangError('export-changed', `年度案卷 ${v.path} 与登记的指纹不符，导出已停止。请先运行 xinfang verify。`, 1);
      await add(inArchive, v.sha256, v.bytes);
    }
    // The registry's records of the year, so the bag can be read without this program.
    const records = cases.map((c) => {
      const { pages: _pages, ...rest } = registry.caseDetailById(c.id);
      return rest;
    });
    const recordsText = `${JSON.stringify({ office: settings.office.name, year, exportedAt: now.toISOString(), cases: records }, null, 2)}\n`;
    const recordsName = `${year}/登记库_${year}.json`;
    await fs.mkdir(path.join(building, 'data', String(year)), { recursive: true });
    await writeFileAtomic(path.join(building, 'data', recordsName), recordsText);
    await add(recordsName, sha256(recordsText), Buffer.byteLength(recordsText));

    const tags: [string, string][] = [
      ['bagit.txt', 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n'],
      ['manifest-sha256.txt', `${manifest.sort((a, b) => a.slice(66).localeCompare(b.slice(66))).join('\n')}\n`],
      [
        'bag-info.txt',
        [
          `Source-Organization: ${settings.office.name}`,
          `External-Identifier: ${settings.archive.fondsCode}-${settings.archive.classCode}·${year}`,
          `External-Description: ${settings.archive.fondsName}${year}年信访档案（${cases.length} 件）`,
          `Bagging-Date: ${localDate(now, settings.office.timezone)}`,
          `Payload-Oxum: ${bytes}.${manifest.length}`,
          `Bag-Size: ${(bytes / 1048576).toFixed(1)} MB`,
          `Bag-Software-Agent: xinfang ${version}`,
          '',
        ].join('\n'),
      ],
    ];
    for (const [name, text] of tags) await writeFileAtomic(path.join(building, name), text);
    const tagManifest = tags.map(([name, text]) => `${sha256(text)}  ${name}`).join('\n');
    await writeFileAtomic(path.join(building, 'tagmanifest-sha256.txt'), `${tagManifest}\n`);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rename(building, dir);
  } catch (e) {
    await fs.rm(building, { recursive: true, force: true });
    throw e;
  }
  return { dir, files: manifest.length, bytes, cases: cases.length };
}

/** BagIt paths: a percent sign, carriage return or line feed in a name is percent-encoded. */
function encodePath(p: string): string {
  return p.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
