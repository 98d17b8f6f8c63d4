import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { GrayImage } from '../../ports/image.js';

let prepared = false;

/**
 * zxing-wasm fetches its .wasm from the internet unless handed the file; the machine has no
 * network, so the module is prepared once with the copy inside the package.
 */
function prepare(): void {
  if (prepared) return;
  const require = createRequire(import.meta.url);
  const bytes = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
  prepareZXingModule({ overrides: { wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer }, fireImmediately: true });
  prepared = true;
}

/**
 * The texts of the QR codes on a page image, in any orientation, and how many more were seen
 * but could not be read (too small or blurred at this resolution).
 */
export async function readQrCodes(image: GrayImage): Promise<{ texts: string[]; unreadable: number }> {
  prepare();
  const { width, height, data } = image;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < width * height; i++, j += 4) {
    const v = data[i]!;
    rgba[j] = v;
    rgba[j + 1] = v;
    rgba[j + 2] = v;
    rgba[j + 3] = 255;
  }
  const found = await readBarcodes({ data: rgba, width, height, colorSpace: 'srgb' } as ImageData, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 4, returnErrors: true });
  return { texts: found.filter((b) => b.isValid).map((b) => b.text), unreadable: found.filter((b) => !b.isValid).length };
}
