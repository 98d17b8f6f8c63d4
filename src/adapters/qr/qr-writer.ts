import QRCode from 'qrcode';

/** The dark modules of a QR code, row by row, for drawing as vector squares. */
export interface QrMatrix {
  size: number;
  dark(x: number, y: number): boolean;
}

/** Error correction Q: a code half covered by a stamp or a signature still reads. */
export function qrMatrix(text: string): QrMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'Q' });
  return { size: modules.size, dark: (x, y) => Boolean(modules.get(y, x)) };
}

/** The code as a PNG, for documents (DOCX) that place images rather than draw. */
export function qrPng(text: string, pixelsPerModule = 8): Promise<Buffer> {
  return QRCode.toBuffer(text, { errorCorrectionLevel: 'Q', margin: 0, scale: pixelsPerModule });
}
