import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedPageJpegs } from '../../src/adapters/pdf-lib/embedded-jpegs.js';
import { uprightJpeg } from '../../src/adapters/sharp/page-image.js';
import type { Office } from '../../src/app.js';
import type { CaseDetail } from '../../src/domain/case.js';
import { PageImageService, pageImageWidth } from '../../src/services/page-images.js';
import { ingestInbox, makeWorkspace, officeAt, scan, type IngestedWorkspace } from '../helpers/workspace.js';

/** Mean difference of two images' gray pixels, both scaled to one small size. */
async function difference(a: Buffer, b: Buffer): Promise<number> {
  const gray = (image: Buffer) => sharp(image).grayscale().resize(240, 320, { fit: 'fill' }).raw().toBuffer();
  const [x, y] = await Promise.all([gray(a), gray(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

describe('page images for the case page', () => {
  let run: IngestedWorkspace;
  let office: Office;
  let c: CaseDetail;
  let service: PageImageService;

  beforeAll(async () => {
    // No blank sheet: nothing runs in the background while the test looks at the files.
    const root = await makeWorkspace({ workflow: { blankSheets: false } });
    // S02.jpg is upright; turned over it is a letter the intake must turn by 180°.
    writeFileSync(path.join(root, 'inbox', 'upside-down.jpg'), await sharp(scan('S02.jpg')).rotate(180).jpeg({ quality: 90 }).toBuffer());
    run = await ingestInbox(root);
    office = await officeAt(root);
    c = await office.cases.find('1');
    service = new PageImageService({ settings: office.settings, paths: office.paths, store: office.store, clock: office.clock, log: office.log, owner: 'test' });
  });

  afterAll(async () => {
    await run?.close();
    await office?.close();
  });

  it('maps any width to one of the few it makes', () => {
    expect([1, 480, 481, 900, 960, 1200, 1600, 5000].map(pageImageWidth)).toEqual([480, 480, 960, 960, 960, 1600, 1600, 1600]);
  });

  it('gives an upright JPEG of the page at the width, cached so the second call decodes nothing', async () => {
    expect(c.pages).toHaveLength(1);
    expect(c.pages[0]!.rotation).toBe(180);
    const image = await service.pageImage(c, 1, 900);
    expect(image).not.toBeNull();
    const meta = await sharp(image!).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBe(960);
    expect(meta.height! / meta.width!).toBeGreaterThan(1.2);

    const doc = c.documents.find((d) => d.role === 'searchable')!;
    const cached = path.join(office.paths.pageCache, `${doc.sha256}-1-960.jpg`);
    expect(readdirSync(office.paths.pageCache)).toEqual([path.basename(cached)]);
    const before = statSync(cached).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20)); // so a rewrite would show in the mtime
    const again = await service.pageImage(c, 1, 960);
    expect(again!.equals(image!)).toBe(true);
    expect(statSync(cached).mtimeMs).toBe(before);

    // Turned by the page's own rotation, as the searchable PDF shows it…
    const [embedded] = (await embeddedPageJpegs(readFileSync(office.paths.absolute(doc.path))))!;
    const expected = await uprightJpeg(embedded!.jpeg, 180, c.pages[0]!.skew, 960);
    expect(await difference(image!, expected)).toBeLessThan(2);
    // …and so upright: like the letter as written, unlike it turned over.
    const upright = await sharp(scan('S02.jpg')).rotate(c.pages[0]!.skew, { background: '#fff' }).jpeg().toBuffer();
    const same = await difference(image!, upright);
    const flipped = await difference(image!, await sharp(upright).rotate(180).jpeg().toBuffer());
    expect(same).toBeLessThan(6);
    expect(flipped).toBeGreaterThan(same * 3);
  });

  it('gives null for a page the letter does not have, or a case with no searchable PDF', async () => {
    expect(await service.pageImage(c, 2, 960)).toBeNull();
    expect(await service.pageImage(c, 0, 960)).toBeNull();
    expect(await service.pageImage({ ...c, documents: c.documents.filter((d) => d.role !== 'searchable') }, 1, 960)).toBeNull();
  });
});
