import PDFDocument from 'pdfkit';

export interface PdfaInfo {
  Title: string;
  Author?: string;
  CreationDate: Date;
}

/**
 * A pdfkit document set up the way every PDF of ours is kept: PDF/A-2b, PDF 1.7, Chinese as its
 * language. Returns the document to draw on and the bytes once it is ended.
 */
export function pdfaDocument(options: PDFKit.PDFDocumentOptions, info: PdfaInfo): { doc: PDFKit.PDFDocument; bytes: Promise<Buffer> } {
  const doc = new PDFDocument({
    ...options,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    lang: 'zh-CN',
    info: { ...info, Creator: 'xinfang', Producer: 'xinfang', ModDate: info.CreationDate },
  } as PDFKit.PDFDocumentOptions);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, bytes };
}
