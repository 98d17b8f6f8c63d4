import sharp from 'sharp';
import { renderPdfPages } from '../../src/adapters/pdfjs/render-pages.js';

/**
 * "Signs" a printed instruction sheet and "scans" it: the PDF's first page rendered at 200 dpi, a
 * pen stroke in the instruction box, turned a little as a sheet on a scanner glass is, and saved
 * as a scanner's JPEG.
 */
export async function signedScan(sheetPdf: Buffer, turnDegrees = 1.2): Promise<Buffer> {
  const [page] = await renderPdfPages(sheetPdf, { maxPages: 5, longSide: 2339 });
  const { width, height } = page!;
  const pen = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
       <path d="M 400 1100 C 520 1000, 640 1180, 760 1080 S 1000 1000, 1120 1120" stroke="#1a237e" stroke-width="7" fill="none"/>
       <path d="M 1000 1300 l 120 -60 l -40 110 l 160 -90" stroke="#1a237e" stroke-width="6" fill="none"/>
     </svg>`,
  );
  return sharp(page!.data, { raw: { width, height, channels: 1 } })
    .composite([{ input: pen }])
    .rotate(turnDegrees, { background: '#ffffff' })
    .jpeg({ quality: 80 })
    .toBuffer();
}
