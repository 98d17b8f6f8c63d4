/** The font files documents are set in: the office's own where the settings name them, else the free Chinese fonts from npm. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fail } from '../../domain/problems.js';
import type { Settings } from '../../domain/settings.js';

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

/** The font files to embed: the office's own where the settings name them, else the npm fonts. */
export function facesFrom(settings: Settings, root: string): FontFaces {
  const faces = defaultFaces();
  for (const key of ['body', 'title', 'heading', 'kai'] as const) {
    const configured = settings.fonts[key].trim();
    if (!configured) continue;
    const file = path.resolve(root, configured);
    if (!existsSync(file)) fail({ code: 'font-missing', key, file: configured });
    faces[key] = file;
  }
  return faces;
}
