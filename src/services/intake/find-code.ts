import type { ScanPage } from './decode.js';
import { grayFromEncoded } from '../../adapters/sharp/image.js';
import { parsePaperCode, type PaperCode } from '../../domain/paper-code.js';
import { readQrCodes } from '../../adapters/qr/qr-reader.js';

/**
 * Our QR code on a scanned page, if there is one. The reading image is tried first; only when a
 * code is seen there but cannot be read is the full-resolution scan decoded and tried again, so
 * ordinary letters cost one quick pass.
 */
export async function findPaperCode(page: ScanPage): Promise<PaperCode | null> {
  const first = await readQrCodes(page.image);
  const ours = pick(first.texts);
  if (ours || first.unreadable === 0) return ours;
  const full = await readQrCodes(await grayFromEncoded(page.kept.jpeg));
  return pick(full.texts);
}

function pick(texts: string[]): PaperCode | null {
  for (const t of texts) {
    const code = parsePaperCode(t);
    if (code) return code;
  }
  return null;
}
