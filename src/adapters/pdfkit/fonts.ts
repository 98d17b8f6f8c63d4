import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';

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

const parsed = new Map<string, Font>();

/**
 * A font, read and parsed once per process. The CJK fonts are megabytes; parsing one again for
 * every PDF cost more than laying out the PDF itself. pdfkit takes the parsed font as it is and
 * makes each document its own subset of it.
 */
export function fontFace(file: string): PDFKit.Mixins.PDFFontSource {
  let font = parsed.get(file);
  if (!font) {
    const made = fontkit.create(readFileSync(file));
    // An office's own font may be a collection (.ttc, such as simsun.ttc): its first face is the one meant.
    font = 'layout' in made ? made : made.fonts[0]!;
    parsed.set(file, font);
  }
  // pdfkit 0.20 accepts a fontkit font where its types only list bytes and paths.
  return font as unknown as PDFKit.Mixins.PDFFontSource;
}
