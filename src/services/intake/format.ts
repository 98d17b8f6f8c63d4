export type ScanFormat = 'jpeg' | 'png' | 'tiff' | 'webp' | 'bmp' | 'pdf';

/** Recognises a scan by its first bytes, not its name: clerks' file names are not to be trusted. */
export function detectFormat(head: Buffer): ScanFormat | undefined {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  const four = head.subarray(0, 4).toString('latin1');
  if (four === 'II*\0' || four === 'MM\0*') return 'tiff';
  if (four === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  if (head.subarray(0, 2).toString('latin1') === 'BM') return 'bmp';
  if (head.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  return undefined;
}
