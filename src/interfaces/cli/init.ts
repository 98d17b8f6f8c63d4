import { cp, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { XinfangError } from '../../domain/problems.js';
import { packageRoot, workspaceAt } from '../../adapters/files/workspace.js';

/** Makes a new workspace with the four folders and the shipped settings and templates. */
export async function initWorkspace(dir: string): Promise<string> {
  const ws = workspaceAt(dir);
  if (existsSync(ws.settingsFile)) {
    throw new XinfangError('workspace-exists', `“${ws.root}”已经是工作区（已有 pipeline/settings.yaml），没有改动任何文件。`, 1);
  }
  const source = packageRoot();
  for (const folder of [ws.inbox, ws.archive, ws.pipeline, ws.templates]) await mkdir(folder, { recursive: true });
  await cp(path.join(source, 'pipeline', 'settings.yaml'), ws.settingsFile, { errorOnExist: true, force: false });
  await cp(path.join(source, 'templates'), ws.templates, { recursive: true, errorOnExist: false, force: false });
  return ws.root;
}
