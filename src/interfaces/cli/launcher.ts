/**
 * The `xinfang` command a workspace carries, written by `init`: the program is not on the PATH of
 * an office PC and `npx` outside the program's folder would ask the public registry, so the
 * workspace gets a small script that runs this program on itself.
 */
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../adapters/files/fs-safe.js';
import { packageRoot } from '../../adapters/files/workspace.js';

export const LAUNCHER = 'xinfang';

/** Writes `xinfang` (sh) and `xinfang.cmd` (Windows) into the workspace; returns the line to start it with. */
export async function writeLaunchers(root: string): Promise<string> {
  const main = path.join(packageRoot(), 'dist', 'interfaces', 'cli', 'main.js');
  const sh = [
    '#!/bin/sh',
    '# 本工作区的 xinfang 命令（由 xinfang init 写入）。在这个文件夹里运行：./xinfang start',
    `XINFANG_ROOT="$(cd "$(dirname "$0")" && pwd)" exec node ${shQuote(main)} "$@"`,
    '',
  ].join('\n');
  // Plain ASCII: cmd.exe reads a batch file in the console's code page, not UTF-8.
  const cmd = ['@echo off', 'setlocal', 'set "XINFANG_ROOT=%~dp0."', `node "${main}" %*`, ''].join('\r\n');
  const shFile = path.join(root, LAUNCHER);
  await writeFileAtomic(shFile, sh);
  await chmod(shFile, 0o755);
  await writeFileAtomic(path.join(root, `${LAUNCHER}.cmd`), cmd);
  return `cd ${shQuote(root)} && ./${LAUNCHER} start`;
}

function shQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
