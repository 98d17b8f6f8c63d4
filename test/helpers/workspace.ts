import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaceAt } from '../../src/adapters/files/workspace.js';
import { ChildProcessWork } from '../../src/adapters/jobs/child-process-work.js';
import { silentLog } from '../../src/adapters/log/log.js';
import { OcrPool } from '../../src/adapters/ocr/pool.js';
import { loadSettings } from '../../src/adapters/settings/settings-file.js';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { processOwner } from '../../src/adapters/system/process.js';
import { stringifyYaml, parseYaml } from '../../src/adapters/yaml/yaml.js';
import { openOffice, type Office, type OfficeOptions } from '../../src/app.js';
import { registryOptions } from '../../src/domain/settings.js';
import { ingestOnce } from '../../src/services/intake/batch.js';
import type { IntakeContext } from '../../src/services/intake/context.js';
import type { IntakeResult } from '../../src/services/intake/ingest.js';
import { QUIET_REPORTER } from '../../src/services/intake/reporter.js';
import { initWorkspace } from '../../src/services/workspace.js';
import type { PageReader } from '../../src/ports/ocr.js';
import type { Store } from '../../src/ports/store.js';

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
  const settings = parseYaml(readFileSync(settingsFile, 'utf8')) as Record<string, Record<string, unknown>>;
  // A default clerk, so the commands a test runs need no --by each; a test of the missing name sets it empty.
  const merged = { ...settings, office: { ...settings.office, clerk: '测试员' }, intake: { ...settings.intake, stableSeconds: 0 } } as Record<string, Record<string, unknown>>;
  for (const [section, values] of Object.entries(overrides)) merged[section] = { ...merged[section], ...values };
  writeFileSync(settingsFile, stringifyYaml(merged));
  return dir;
}

/** The workspace's office, as the CLI opens it, with a silent log; the clock the test's own when given. */
export function officeAt(root: string, options: Partial<OfficeOptions> = {}): Promise<Office> {
  return openOffice({ root, log: silentLog(), ...options });
}

/** A clock a test moves by hand: `at('2026-11-05')` sets it to 10:00 that day in Beijing. */
export function testClock(start = '2026-11-03') {
  let now = new Date(`${start}T10:00:00+08:00`);
  return {
    clock: () => now,
    at(day: string) {
      now = new Date(`${day}T10:00:00+08:00`);
    },
  };
}

/** The intake's own context on a workspace, for tests that drive its stages directly. */
export function contextFor(root: string, ocr: PageReader, now: () => Date = () => new Date()): IntakeContext & { close(): Promise<void> } {
  const paths = workspaceAt(root);
  const settings = loadSettings(paths.settingsFile);
  const store = openSqliteStore(paths.database, registryOptions(settings));
  const log = silentLog();
  const background = settings.workflow.blankSheets ? new ChildProcessWork(root, log) : undefined;
  return { paths, settings, store, ocr, log, clock: now, owner: processOwner(), background, close: () => store.close() };
}

export interface IngestedWorkspace {
  results: IntakeResult[];
  registry: Store;
  close(): Promise<void>;
}

/** Runs `ingest` in-process on the workspace's inbox with the real OCR engine its settings name. */
export async function ingestInbox(root: string): Promise<IngestedWorkspace> {
  const settings = loadSettings(workspaceAt(root).settingsFile);
  const ocr = await OcrPool.create(settings.ocr);
  const ctx = contextFor(root, ocr);
  const results = await ingestOnce(ctx, QUIET_REPORTER);
  return {
    results,
    registry: ctx.store,
    close: async () => {
      await ctx.close();
      await ocr.close();
    },
  };
}
