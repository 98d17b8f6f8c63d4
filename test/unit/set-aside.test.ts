import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InboxItem } from '../../src/services/intake/inbox.js';
import { setAside } from '../../src/services/intake/set-aside.js';

const reason = { code: 'corrupt', message: '文件已损坏。' };
const at = new Date('2026-11-25T08:00:00Z');

function fileItem(dir: string, name: string, content: string): InboxItem {
  mkdirSync(dir, { recursive: true });
  const full = path.join(dir, name);
  writeFileSync(full, content);
  return { name, path: full, kind: 'file', files: [full], signature: `${content.length}:0`, bytes: content.length };
}

describe('setting a file aside', () => {
  it('moves one file once when two processes set it aside at the same moment, with one note and no note for nothing', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'xinfang-aside-'));
    const item = fileItem(path.join(root, 'inbox'), '来信 1.jpg', 'bytes');
    const folder = path.join(root, 'inbox', '未能处理');
    const moved = await Promise.all(Array.from({ length: 6 }, () => setAside(item, folder, reason, at, 'Asia/Shanghai')));
    expect(moved.filter(Boolean)).toEqual(['未能处理/来信 1.jpg']);
    expect(readdirSync(folder).sort()).toEqual(['来信 1.jpg', '来信 1.jpg.原因.txt']);
    expect(readFileSync(path.join(folder, '来信 1.jpg'), 'utf8')).toBe('bytes');
  });

  it('keeps files of the same name set aside at once side by side, each with its own note', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'xinfang-aside-'));
    const folder = path.join(root, 'inbox', '未能处理');
    const items = ['a', 'b', 'c'].map((content) => fileItem(path.join(root, content), '扫描.pdf', content));
    const moved = await Promise.all(items.map((item) => setAside(item, folder, reason, at, 'Asia/Shanghai')));
    expect(new Set(moved).size).toBe(3);
    const kept = readdirSync(folder).filter((n) => !n.endsWith('.原因.txt'));
    expect(kept.map((n) => readFileSync(path.join(folder, n), 'utf8')).sort()).toEqual(['a', 'b', 'c']);
    for (const name of kept) {
      const note = readFileSync(path.join(folder, `${name}.原因.txt`), 'utf8');
      expect(note).toContain('文件已损坏。');
      // The office reads the note: no engineers' code in it (that goes to the log).
      expect(note).not.toContain(reason.code);
      expect(note).not.toContain('代码');
    }
  });
});
