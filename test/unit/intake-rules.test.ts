import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/services/intake/format.js';
import { isIgnoredName } from '../../src/services/intake/ignore.js';
import { StabilityTracker, type InboxItem } from '../../src/services/intake/inbox.js';

describe('ignored files', () => {
  it.each(['Thumbs.db', '.DS_Store', '~$信.docx', '.~lock.信.odt#', 'scan.jpg.part', 'scan.crdownload', '._scan.jpg', 'desktop.ini', 'x.tmp'])(
    'ignores %s',
    (name) => expect(isIgnoredName(name)).toBe(true),
  );
  it.each(['信.jpg', 'S01.pdf', '王秀兰 来信.png', 'scan.tiff'])('takes %s', (name) => expect(isIgnoredName(name)).toBe(false));
});

describe('format by content', () => {
  it('recognises each scan format by its first bytes', () => {
    expect(detectFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(detectFormat(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('png');
    expect(detectFormat(Buffer.from('II*\0rest'))).toBe('tiff');
    expect(detectFormat(Buffer.from('MM\0*rest'))).toBe('tiff');
    expect(detectFormat(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('webp');
    expect(detectFormat(Buffer.from('BM\0\0'))).toBe('bmp');
    expect(detectFormat(Buffer.from('%PDF-1.7\n'))).toBe('pdf');
    expect(detectFormat(Buffer.from('hello world'))).toBeUndefined();
  });
});

describe('stability', () => {
  const item = (name: string, signature: string): InboxItem => ({ name, path: `/in/${name}`, kind: 'file', files: [`/in/${name}`], signature, bytes: 1 });

  it('takes a file only after it has stopped changing for the settle time', () => {
    const tracker = new StabilityTracker(2000);
    expect(tracker.ready([item('a.jpg', '10')], 0)).toEqual([]);
    expect(tracker.ready([item('a.jpg', '20')], 1500)).toEqual([]); // still growing
    expect(tracker.ready([item('a.jpg', '20')], 3000)).toEqual([]); // only 1.5 s since the change
    expect(tracker.nextCheck(3000)).toBe(3500);
    expect(tracker.ready([item('a.jpg', '20')], 3500).map((i) => i.name)).toEqual(['a.jpg']);
  });
});
