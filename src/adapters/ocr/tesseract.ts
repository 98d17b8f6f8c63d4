import { createRequire } from 'node:module';
import path from 'node:path';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { encodePng } from '../sharp/image.js';
import type { GrayImage } from '../../ports/image.js';
import type { OcrEngine, OcrLine } from '../../ports/ocr.js';

const require = createRequire(import.meta.url);

/** Folder of the LSTM ("best_int") traineddata shipped by @tesseract.js-data/<lang>. */
function langPathFor(language: string): string {
  const pkg = path.dirname(require.resolve(`@tesseract.js-data/${language}/package.json`));
  return path.join(pkg, '4.0.0_best_int');
}

/** tesseract.js, fully offline: data from npm, nothing cached beside the user's files. */
export class TesseractEngine implements OcrEngine {
  readonly name = 'tesseract-lstm';

  private constructor(private readonly worker: Worker) {}

  static async create(languages: readonly string[]): Promise<TesseractEngine> {
    // All languages' data must sit in one folder for tesseract.js; the first package's folder is used
    // when there is one language, which is the shipped default.
    const worker = await createWorker([...languages], OEM.LSTM_ONLY, {
      langPath: langPathFor(languages[0]!),
      cacheMethod: 'none',
      gzip: true,
      logger: () => {},
      errorHandler: () => {},
    });
    // Pages are scaled to about 150 dpi before reading; saying so stops tesseract guessing from the PNG.
    await worker.setParameters({ preserve_interword_spaces: '1', user_defined_dpi: '150' });
    return new TesseractEngine(worker);
  }

  async recognize(page: GrayImage): Promise<OcrLine[]> {
    const { data } = await this.worker.recognize(await encodePng(page), {}, { blocks: true, text: false });
    const lines: OcrLine[] = [];
    for (const block of data.blocks ?? []) {
      for (const paragraph of block.paragraphs) {
        for (const line of paragraph.lines) {
          const text = line.text.replace(/\s+$/u, '');
          if (text.trim() === '') continue;
          const { x0, y0, x1, y1 } = line.bbox;
          lines.push({ text, confidence: line.confidence / 100, box: [x0, y0, x1, y1] });
        }
      }
    }
    return lines;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
