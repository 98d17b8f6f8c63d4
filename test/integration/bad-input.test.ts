import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntakeResult } from '../../src/services/intake/ingest.js';
import { ingestInbox, makeWorkspace, scan , type IngestedWorkspace } from '../helpers/workspace.js';

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** A PNG whose header claims 100,000 × 100,000 pixels: a decompression bomb's calling card. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', Buffer.alloc(0)), chunk('IEND', Buffer.alloc(0))]);
}

describe('bad input is set aside with a reason, and nothing is registered', () => {
  let root: string;
  let ingested: IngestedWorkspace;
  let results: IntakeResult[];
  const inbox = () => path.join(root, 'inbox');
  const aside = () => path.join(root, 'inbox', '未能登记');

  beforeAll(async () => {
    root = await makeWorkspace({ intake: { maxFileMegabytes: 1, maxPages: 1 } });
    writeFileSync(path.join(inbox(), 'empty.jpg'), '');
    writeFileSync(path.join(inbox(), 'notes.txt'), '这不是扫描件');
    writeFileSync(path.join(inbox(), 'bomb.png'), pngClaiming(100_000, 100_000));
    writeFileSync(path.join(inbox(), 'broken.pdf'), '%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage');
    const noise = Buffer.alloc(900 * 900 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    writeFileSync(path.join(inbox(), 'huge.png'), await sharp(noise, { raw: { width: 900, height: 900, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer());
    copyFileSync(scan('S03.pdf'), path.join(inbox(), 'two-pages.pdf'));
    mkdirSync(path.join(inbox(), 'folder-with-bad-page'));
    copyFileSync(scan('S01.jpg'), path.join(inbox(), 'folder-with-bad-page', '1.jpg'));
    copyFileSync(scan('S06-truncated.jpg'), path.join(inbox(), 'folder-with-bad-page', '2.jpg'));
    for (const junk of ['Thumbs.db', '~$信.docx', 'scan.jpg.part', '.DS_Store']) writeFileSync(path.join(inbox(), junk), 'x');
    ingested = await ingestInbox(root);
    results = ingested.results;
    expect(await ingested.registry.listCases()).toEqual([]);
  });

  afterAll(async () => {
    await ingested?.close();
  });

  it.each([
    ['empty.jpg', 'empty', '空的'],
    ['notes.txt', 'unsupported', 'JPEG、PNG、TIFF、PDF'],
    ['bomb.png', 'too-many-pixels', '像素'],
    ['broken.pdf', 'corrupt', '损坏'],
    ['huge.png', 'too-large', '超过上限 1 MB'],
    ['two-pages.pdf', 'too-many-pages', '上限 1 页'],
    ['folder-with-bad-page', 'corrupt', '“2.jpg”无法读取'],
  ])('%s → %s', (name, code, words) => {
    const result = results.find((r) => r.item === name);
    expect(result).toMatchObject({ kind: 'set-aside', problem: { code } });
    expect(existsSync(path.join(aside(), name))).toBe(true);
    const note = readFileSync(path.join(aside(), `${name}.原因.txt`), 'utf8');
    expect(note).toContain(words);
    expect(note).toContain('处理办法');
  });

  it('leaves system and temporary files alone', () => {
    expect(readdirSync(inbox()).sort()).toEqual(['.DS_Store', 'Thumbs.db', 'scan.jpg.part', '~$信.docx', '未能登记'].sort());
  });

  it('keeps the pages of a folder it could not take together', () => {
    expect(readdirSync(path.join(aside(), 'folder-with-bad-page')).sort()).toEqual(['1.jpg', '2.jpg']);
  });
});
