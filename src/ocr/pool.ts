import os from 'node:os';
import type { GrayImage } from '../decode/image.js';
import type { OcrEngine, OcrLine } from './engine.js';
import { PaddleEngine } from './paddle.js';
import { TesseractEngine } from './tesseract.js';

export interface OcrPoolOptions {
  engine: 'paddle' | 'tesseract';
  workers: number | 'auto';
  tesseractLanguages: readonly string[];
}

/**
 * A fixed set of engines shared by the pipeline. Workers and threads are sized so that together
 * they use the cores once: never more threads than cores.
 */
export class OcrPool {
  private readonly idle: OcrEngine[];
  private readonly waiting: ((engine: OcrEngine) => void)[] = [];

  private constructor(private readonly engines: OcrEngine[]) {
    this.idle = [...engines];
  }

  static async create(options: OcrPoolOptions): Promise<OcrPool> {
    const cores = Math.max(1, os.availableParallelism());
    const workers = options.workers === 'auto' ? defaultWorkers(options.engine, cores) : options.workers;
    const threads = Math.max(1, Math.floor(cores / workers));
    const engines: OcrEngine[] = [];
    for (let i = 0; i < workers; i++) {
      engines.push(options.engine === 'paddle' ? await PaddleEngine.create(threads) : await TesseractEngine.create(options.tesseractLanguages));
    }
    return new OcrPool(engines);
  }

  get size(): number {
    return this.engines.length;
  }

  get engineName(): string {
    return this.engines[0]!.name;
  }

  async recognize(page: GrayImage): Promise<OcrLine[]> {
    const engine = this.idle.pop() ?? (await new Promise<OcrEngine>((resolve) => this.waiting.push(resolve)));
    try {
      return await engine.recognize(page);
    } finally {
      const next = this.waiting.shift();
      if (next) next(engine);
      else this.idle.push(engine);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.engines.map((e) => e.close()));
  }
}

/** Paddle runs its own threads inside one engine; tesseract.js is single-threaded per worker. */
function defaultWorkers(engine: 'paddle' | 'tesseract', cores: number): number {
  return engine === 'paddle' ? 1 : cores;
}
