import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function fontFile(pkg: string, weight: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), weight, file);
}

/** The Chinese sans-serif font shipped on npm, so nothing depends on the fonts of the PC. */
export function defaultSansFont(): string {
  return fontFile('@expo-google-fonts/noto-sans-sc', '400Regular', 'NotoSansSC_400Regular.ttf');
}

/**
 * The faces of GB/T 9704 and the free fonts that stand in for them in PDFs. DOCX files name the
 * standard fonts themselves, so Word or WPS on the office's PCs sets them in the real faces.
 */
export interface FontFaces {
  /** 仿宋 (body) */
  body: string;
  /** 小标宋 (titles) */
  title: string;
  /** 黑体 (first-level headings, table heads) */
  heading: string;
  /** 楷体 (second-level headings); no free 楷体 ships on npm as one file, so 仿宋's stand-in is used unless the office names one. */
  kai: string;
}

export function defaultFaces(): FontFaces {
  return {
    body: fontFile('@expo-google-fonts/noto-serif-sc', '400Regular', 'NotoSerifSC_400Regular.ttf'),
    title: fontFile('@expo-google-fonts/noto-serif-sc', '700Bold', 'NotoSerifSC_700Bold.ttf'),
    heading: fontFile('@expo-google-fonts/noto-sans-sc', '700Bold', 'NotoSansSC_700Bold.ttf'),
    kai: fontFile('@expo-google-fonts/noto-serif-sc', '400Regular', 'NotoSerifSC_400Regular.ttf'),
  };
}

/** The names Word and WPS know the standard faces by. */
export const DOCX_FONT_NAMES = { body: '仿宋_GB2312', title: '方正小标宋简体', heading: '黑体', kai: '楷体_GB2312' } as const;

const loaded = new Map<string, Buffer>();

/** A font file's bytes, read once per process: fonts are megabytes and every PDF needs them. */
export function fontBytes(file: string): Buffer {
  let bytes = loaded.get(file);
  if (!bytes) {
    bytes = readFileSync(file);
    loaded.set(file, bytes);
  }
  return bytes;
}
