import { cp, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot, workspaceAt } from '../adapters/files/workspace.js';
import { fail } from '../domain/problems.js';

/** Makes a new workspace with the four folders and the shipped settings and templates. */
export async function initWorkspace(dir: string): Promise<string> {
  const ws = workspaceAt(dir);
  if (existsSync(ws.settingsFile)) fail({ code: 'workspace-exists', root: ws.root });
  const source = packageRoot();
  for (const folder of [ws.inbox, ws.archiveDir, ws.pipeline, ws.templates]) await mkdir(folder, { recursive: true });
  await cp(path.join(source, 'pipeline', 'settings.yaml'), ws.settingsFile, { errorOnExist: true, force: false });
  await cp(path.join(source, 'templates'), ws.templates, { recursive: true, errorOnExist: false, force: false });
  return ws.root;
}
