import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { loadSettings, registryOptions, type Settings } from '../../domain/settings.js';
import { clock } from '../../adapters/system/clock.js';
import { XinfangError } from '../../domain/problems.js';
import { createEngineLog, type Logger } from '../../adapters/log/log.js';
import { OcrPool } from '../../adapters/ocr/pool.js';
import { Registry } from '../../adapters/sqlite/registry.js';
import type { IntakeContext } from '../../services/intake/context.js';
import { BlankSheetMaker } from '../../adapters/jobs/sheets-process.js';
import { workspaceAt, type Workspace } from '../../adapters/files/workspace.js';

export interface Opened {
  ws: Workspace;
  settings: Settings;
  registry: Registry;
  log: Logger;
  close(): void;
}

/** Opens a workspace: settings checked first, then the registry. */
export async function openWorkspace(root: string): Promise<Opened> {
  const ws = workspaceAt(root);
  if (!existsSync(ws.settingsFile)) {
    throw new XinfangError('not-a-workspace', `“${ws.root}”不是信访工作区（缺少 pipeline/settings.yaml）。请在工作区里运行，或用 --root 指定，或先用 \`xinfang init 文件夹\` 新建。`, 1);
  }
  const settings = loadSettings(ws.settingsFile);
  await mkdir(ws.archive, { recursive: true });
  await mkdir(ws.inbox, { recursive: true });
  const registry = openRegistry(ws.database, settings);
  const log = createEngineLog(ws.logs);
  return { ws, settings, registry, log, close: () => registry.close() };
}

/** A registry file that is no database (overwritten, cut short, a wrong file put in its place) is said plainly. */
function openRegistry(file: string, settings: Settings): Registry {
  try {
    return new Registry(file, registryOptions(settings));
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new XinfangError(
        'registry-damaged',
        `登记簿文件 ${file} 已损坏，或不是登记簿文件，无法打开。请不要删除或覆盖它；请技术人员从备份恢复（archive/ 里的案件文件夹和原件不受影响）。`,
        1,
      );
    }
    throw e;
  }
}

export async function intakeContext(opened: Opened): Promise<IntakeContext & { closeOcr(): Promise<void> }> {
  const ocr = await OcrPool.create(opened.settings.ocr);
  const sheets = opened.settings.workflow.blankSheets ? new BlankSheetMaker(opened.ws.root, opened.log) : undefined;
  return { ...opened, ocr, now: clock, sheets, closeOcr: () => ocr.close() };
}

