/**
 * One OCR engine in its own thread. onnxruntime-node runs a model synchronously on the thread
 * that calls it; here that is this worker, so the main thread keeps decoding, levelling and
 * writing PDFs while pages are read.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { GrayImage } from '../../ports/image.js';
import type { LineBox, OcrEngine, OcrLine } from '../../ports/ocr.js';
import { PaddleEngine } from './paddle.js';
import { TesseractEngine } from './tesseract.js';

export interface WorkerOptions {
  engine: 'paddle' | 'tesseract';
  threads: number;
  tesseractLanguages: string[];
}

export type WorkerRequest =
  | { id: number; page: GrayImage; detect?: true; boxes?: LineBox[]; turned?: boolean }
  | { id: number; close: true };
export type WorkerReply = { id: number; lines?: OcrLine[]; boxes?: LineBox[]; error?: string; ready?: string; steps?: boolean };

const options = workerData as WorkerOptions;
const port = parentPort!;

async function start(): Promise<void> {
  let engine: OcrEngine;
  try {
    engine = options.engine === 'paddle' ? await PaddleEngine.create(options.threads) : await TesseractEngine.create(options.tesseractLanguages);
  } catch (e) {
    port.postMessage({ id: 0, error: String(e) } satisfies WorkerReply);
    return;
  }
  port.postMessage({ id: 0, ready: engine.name, steps: Boolean(engine.steps) } satisfies WorkerReply);
  port.on('message', async (request: WorkerRequest) => {
    if ('close' in request) {
      await engine.close();
      port.postMessage({ id: request.id } satisfies WorkerReply);
      port.close();
      return;
    }
    try {
      const page = { ...request.page, data: Buffer.from(request.page.data.buffer, request.page.data.byteOffset, request.page.data.byteLength) };
      if (request.detect && engine.steps) port.postMessage({ id: request.id, boxes: await engine.steps.detect(page) } satisfies WorkerReply);
      else if (request.boxes && engine.steps) port.postMessage({ id: request.id, lines: await engine.steps.readLines(page, request.boxes, request.turned ?? false) } satisfies WorkerReply);
      else port.postMessage({ id: request.id, lines: await engine.recognize(page) } satisfies WorkerReply);
    } catch (e) {
      port.postMessage({ id: request.id, error: String(e) } satisfies WorkerReply);
    }
  });
}

await start();
