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
