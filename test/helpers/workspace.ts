import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { initWorkspace } from '../../src/interfaces/cli/init.js';
import { loadSettings, registryOptions } from '../../src/domain/settings.js';
import { silentLog } from '../../src/adapters/log/log.js';
import { OcrPool } from '../../src/adapters/ocr/pool.js';
import type { IntakeResult } from '../../src/services/intake/ingest.js';
import { createReporter } from '../../src/interfaces/cli/progress.js';
import { ingestOnce } from '../../src/services/intake/batch.js';
import { BlankSheetMaker } from '../../src/adapters/jobs/sheets-process.js';
import type { IntakeContext } from '../../src/services/intake/context.js';
import { Registry } from '../../src/adapters/sqlite/registry.js';
import { workspaceAt } from '../../src/adapters/files/workspace.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const samplesDir = path.join(repoRoot, 'test', 'fixtures', 'samples');
export const scan = (name: string) => path.join(samplesDir, 'scans', name);
export const cliPath = path.join(repoRoot, 'dist', 'interfaces', 'cli', 'main.js');

export interface TruthFile {
  id: string;
  file: string;
  pages: string[];
  fields: Record<string, string>;
  category: string;
  signatories: number;
  repeatOf: string | null;
}

export function truth(id: string): TruthFile {
  return JSON.parse(readFileSync(path.join(samplesDir, 'truth', `${id}.json`), 'utf8')) as TruthFile;
}

/** A fresh workspace made by `init`, with settings changed for the test (e.g. no settle time). */
export async function makeWorkspace(overrides: Record<string, Record<string, unknown>> = {}): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xinfang-test-'));
  await initWorkspace(dir);
  const settingsFile = path.join(dir, 'pipeline', 'settings.yaml');
  const settings = YAML.parse(readFileSync(settingsFile, 'utf8')) as Record<string, Record<string, unknown>>;
  const merged = { ...settings, intake: { ...settings.intake, stableSeconds: 0 } } as Record<string, Record<string, unknown>>;
  for (const [section, values] of Object.entries(overrides)) merged[section] = { ...merged[section], ...values };
  writeFileSync(settingsFile, YAML.stringify(merged));
  return dir;
}

export function contextFor(root: string, ocr: OcrPool, now: () => Date = () => new Date()): IntakeContext & { close(): void } {
  const ws = workspaceAt(root);
  const settings = loadSettings(ws.settingsFile);
  const registry = new Registry(ws.database, registryOptions(settings));
  const log = silentLog();
  const sheets = settings.workflow.blankSheets ? new BlankSheetMaker(root, log) : undefined;
  return { ws, settings, registry, ocr, log, now, sheets, close: () => registry.close() };
}

export interface IngestedWorkspace {
  results: IntakeResult[];
  registry: Registry;
  close(): Promise<void>;
}

/** Runs `ingest` in-process on the workspace's inbox with the real OCR engine its settings name. */
export async function ingestInbox(root: string): Promise<IngestedWorkspace> {
  const settings = loadSettings(workspaceAt(root).settingsFile);
  const ocr = await OcrPool.create(settings.ocr);
  const ctx = contextFor(root, ocr);
  const results = await ingestOnce(ctx, createReporter({ tty: false, quiet: true }));
  return {
    results,
    registry: ctx.registry,
    close: async () => {
      ctx.close();
      await ocr.close();
    },
  };
}
