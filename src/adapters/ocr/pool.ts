import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { GrayImage } from '../../ports/image.js';
import type { LineBox, LineSteps, OcrLine, PageReader } from '../../ports/ocr.js';
import type { WorkerOptions, WorkerReply, WorkerRequest } from './worker.js';

export interface OcrPoolOptions {
  engine: 'paddle' | 'tesseract';
  workers: number | 'auto';
  tesseractLanguages: readonly string[];
}

/** One engine in its own thread, answering one page at a time. */
class EngineThread {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (e: Error) => void }>();

  private constructor(private readonly worker: Worker, readonly name: string, readonly hasSteps: boolean) {
    worker.on('message', (reply: WorkerReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.error) waiter.reject(new Error(reply.error));
      else waiter.resolve(reply);
    });
    worker.on('error', (e) => this.failAll(e));
    worker.on('exit', () => this.failAll(new Error('OCR worker stopped')));
  }

  static start(options: WorkerOptions): Promise<EngineThread> {
    // The worker is compiled JavaScript beside this file. Under vitest this file runs from src/,
    // and the worker is taken from dist/, which `npm test` builds first.
    const fromSource = import.meta.url.endsWith('.ts');
    const url = new URL(fromSource ? '../../../dist/adapters/ocr/worker.js' : './worker.js', import.meta.url);
    const worker = new Worker(url, { workerData: options });
    return new Promise((resolve, reject) => {
      worker.once('message', (reply: WorkerReply) => (reply.ready ? resolve(new EngineThread(worker, reply.ready, reply.steps ?? false)) : reject(new Error(reply.error))));
      worker.once('error', reject);
    });
  }

  async recognize(page: GrayImage): Promise<OcrLine[]> {
    return (await this.ask({ id: 0, page })).lines ?? [];
  }

  async detect(page: GrayImage): Promise<LineBox[]> {
    return (await this.ask({ id: 0, page, detect: true })).boxes ?? [];
  }

  async readLines(page: GrayImage, boxes: LineBox[], turned: boolean): Promise<OcrLine[]> {
    return (await this.ask({ id: 0, page, boxes, turned })).lines ?? [];
  }

  private ask(request: Extract<WorkerRequest, { page: GrayImage }>): Promise<WorkerReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    const id = this.nextId++;
    const closed = new Promise<void>((resolve) => this.pending.set(id, { resolve: () => resolve(), reject: () => resolve() }));
    this.worker.postMessage({ id, close: true } satisfies WorkerRequest);
    await closed;
    await this.worker.terminate();
  }

  private failAll(e: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(e);
    this.pending.clear();
  }
}

/**
 * A fixed set of OCR engines, each in its own thread, shared by the pipeline. Workers and their
 * threads are sized so that together they use the cores once: never more threads than cores.
 */
export class OcrPool implements PageReader {
  private readonly idle: EngineThread[];
  private readonly waiting: ((engine: EngineThread) => void)[] = [];

  /** Finding and reading lines apart, when every engine can (paddle). */
  readonly steps?: LineSteps;

  private constructor(private readonly engines: EngineThread[]) {
    this.idle = [...engines];
    if (engines.every((e) => e.hasSteps)) {
      this.steps = {
        detect: (page) => this.withEngine((e) => e.detect(page)),
        readLines: (page, boxes, turned) => this.withEngine((e) => e.readLines(page, boxes, turned)),
      };
    }
  }

  static async create(options: OcrPoolOptions): Promise<OcrPool> {
    const cores = Math.max(1, os.availableParallelism());
    const workers = options.workers === 'auto' ? defaultWorkers(options.engine, cores) : options.workers;
    const threads = Math.max(1, Math.floor(cores / workers));
    const engines = await Promise.all(
      Array.from({ length: workers }, () => EngineThread.start({ engine: options.engine, threads, tesseractLanguages: [...options.tesseractLanguages] })),
    );
    return new OcrPool(engines);
  }

  get size(): number {
    return this.engines.length;
  }

  get engineName(): string {
    return this.engines[0]!.name;
  }

  recognize(page: GrayImage): Promise<OcrLine[]> {
    return this.withEngine((e) => e.recognize(page));
  }

  private async withEngine<T>(use: (engine: EngineThread) => Promise<T>): Promise<T> {
    const engine = this.idle.pop() ?? (await new Promise<EngineThread>((resolve) => this.waiting.push(resolve)));
    try {
      return await use(engine);
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
