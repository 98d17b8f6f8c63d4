import { promises as fs } from 'node:fs';
import path from 'node:path';
import { exists, nameVariants, moveDurable, writeFileNew } from '../../adapters/files/fs-safe.js';
import type { InboxItem } from './inbox.js';

export interface SetAsideReason {
  code: string;
  message: string;
}

/**
 * Moves an item that cannot be taken in to the set-aside folder, with a note beside it saying
 * why and what to do, in Chinese only (the reason's code goes to the log and the JSON). Never deletes: the clerk decides what happens to it. Returns where it went,
 * relative to the inbox, or '' when the item was no longer there.
 */
export async function setAside(item: InboxItem, folder: string, reason: SetAsideReason, at: Date, timeZone: string): Promise<string> {
  await fs.mkdir(folder, { recursive: true });
  if (!(await exists(item.path))) return '';
  const note = [
    `文件：${item.name}`,
    `时间：${at.toLocaleString('zh-CN', { hour12: false, timeZone })}`,
    `原因：${reason.message}`,
    '',
    '处理办法：按上面的说明处理后，把文件重新放回收件箱（inbox）即可；如果不需要登记，可以删除本文件和原件。',
    '',
  ].join('\n');
  for (const name of nameVariants(item.name)) {
    if (await exists(path.join(folder, name))) continue;
    // The note first, and it claims the name: another process setting a file of the same name
    // aside at the same moment takes the next one. If we stop between the two steps the file is
    // still in the inbox and is tried again.
    const notePath = path.join(folder, `${name}.原因.txt`);
    if (!(await writeFileNew(notePath, note))) continue;
    try {
      await moveDurable(item.path, path.join(folder, name));
    } catch (e) {
      // Taken away meanwhile (by another process on the same inbox): no note for a file not here.
      await fs.rm(notePath, { force: true });
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !(await exists(item.path))) return '';
      throw e;
    }
    return `${path.basename(folder)}/${name}`;
  }
  throw new Error('unreachable: the name variants never end');
}
