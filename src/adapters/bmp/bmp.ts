import bmp from 'bmp-js';

/** A BMP's size, read from its header before decoding, so a forged header is caught first. */
export function bmpSize(bytes: Buffer): { width: number; height: number } {
  return { width: Math.abs(bytes.readInt32LE(18)), height: Math.abs(bytes.readInt32LE(22)) };
}

/** A BMP's pixels as RGB. */
export function decodeBmp(bytes: Buffer): { rgb: Buffer; width: number; height: number } {
  const decoded = bmp.decode(bytes); // ABGR pixels
  const rgb = Buffer.alloc(decoded.width * decoded.height * 3);
  for (let i = 0, j = 0; i < decoded.data.length; i += 4, j += 3) {
    rgb[j] = decoded.data[i + 3]!;
    rgb[j + 1] = decoded.data[i + 2]!;
    rgb[j + 2] = decoded.data[i + 1]!;
  }
  return { rgb, width: decoded.width, height: decoded.height };
}
