/** Zip archives (jszip): the project's one way in, for the DOCX files it rewrites and the bags it hands out. */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';

/** An existing zip (a DOCX) opened for reading and rewriting entries. */
export function openZip(bytes: Buffer): Promise<JSZip> {
  return JSZip.loadAsync(bytes);
}

/**
 * A folder's files as one zip, streamed as it is written, each stored as it is (scans and PDFs
 * are compressed already); entries under `top/`, with forward slashes whatever the system.
 */
export async function zipFolderStream(dir: string, top: string, files: AsyncIterable<string>): Promise<NodeJS.ReadableStream> {
  const zip = new JSZip();
  for await (const relative of files) zip.file(`${top}/${relative.split(path.sep).join('/')}`, createReadStream(path.join(dir, relative)), { binary: true });
  return zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compression: 'STORE' });
}
