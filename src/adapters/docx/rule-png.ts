import { deflateSync } from 'node:zlib';

const RED = [0xe6, 0x00, 0x12] as const;
/** Rows per point: the picture is stretched to its size on the page, so only its rows matter. */
const ROWS_PER_POINT = 8;
const WIDTH = 4;

interface RuleWeights {
  ruleThick: number;
  ruleThin: number;
  ruleSpace: number;
}

/**
 * A red double rule as a PNG a few pixels wide (Word stretches it to 170 mm): the two lines opaque
 * red, the space between them transparent so nothing under it is hidden.
 */
export function doubleRulePng(order: 'thick-over-thin' | 'thin-over-thick', w: RuleWeights): Buffer {
  const [first, second] = order === 'thick-over-thin' ? [w.ruleThick, w.ruleThin] : [w.ruleThin, w.ruleThick];
  const rows = (points: number) => Math.max(1, Math.round(points * ROWS_PER_POINT));
  const bands = [
    { rows: rows(first), on: true },
    { rows: rows(w.ruleSpace), on: false },
    { rows: rows(second), on: true },
  ];
  const height = bands.reduce((a, b) => a + b.rows, 0);
  const raw = Buffer.alloc(height * (1 + WIDTH * 4));
  let y = 0;
  for (const band of bands) {
    for (let r = 0; r < band.rows; r++, y++) {
      const row = y * (1 + WIDTH * 4);
      for (let x = 0; x < WIDTH; x++) {
        const at = row + 1 + x * 4;
        raw[at] = RED[0];
        raw[at + 1] = RED[1];
        raw[at + 2] = RED[2];
        raw[at + 3] = band.on ? 255 : 0;
      }
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(WIDTH, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

let table: Uint32Array | null = null;

function crc32(bytes: Buffer): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of bytes) crc = table[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
