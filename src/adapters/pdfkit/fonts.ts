import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';

const parsed = new Map<string, Font>();

/**
 * A font, read and parsed once per process. The CJK fonts are megabytes; parsing one again for
 * every PDF cost more than laying out the PDF itself. pdfkit takes the parsed font as it is and
 * makes each document its own subset of it.
 */
export function fontFace(file: string): PDFKit.Mixins.PDFFontSource {
  // pdfkit 0.20 accepts a fontkit font where its types only list bytes and paths.
  return parsedFont(file) as unknown as PDFKit.Mixins.PDFFontSource;
}

/**
 * Text widths in points as set in the bundled (or the office's) faces, for documents laid out by
 * another program (DOCX): the free fonts' Latin figures are wider than a GB2312 face's half-width
 * ones and their Chinese characters as wide, so a width that fits them fits Word's 仿宋_GB2312.
 */
export function fontMeasure(faces: { body: string; heading: string }): (text: string, face: 'body' | 'heading', size: number) => number {
  return (text, face, size) => {
    const font = parsedFont(faces[face]);
    return (font.layout(text).advanceWidth / font.unitsPerEm) * size;
  };
}

function parsedFont(file: string): Font {
  let font = parsed.get(file);
  if (!font) {
    const made = fontkit.create(readFileSync(file));
    // An office's own font may be a collection (.ttc, such as simsun.ttc): its first face is the one meant.
    font = 'layout' in made ? made : made.fonts[0]!;
    parsed.set(file, font);
  }
  return font;
}
