import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every path the program uses, computed in one place from the workspace root. */
export interface Workspace {
  root: string;
  inbox: string;
  /** archive/: the registry, every case's files, volumes, books and reports (the program's alone). */
  archiveDir: string;
  pipeline: string;
  /** The office's own templates: where the administrator's edits are written. */
  templates: string;
  /**
   * Where a template is read from, the first folder holding it: the office's own templates/, and
   * for a district's community then the district's templates/ and the program's (file by file).
   */
  templateFolders: readonly string[];
  settingsFile: string;
  database: string;
  staging: string;
  logs: string;
  /** Where printed register books go. */
  books: string;
  /** Where statistics reports and ledgers go. */
  reports: string;
  /** Page pictures made for the screen: not part of the archive, safe to delete. */
  pageCache: string;
  /** Folder of a year's shelf volumes. */
  yearVolumes(year: number): string;
  setAside(folderName: string): string;
  /** Folder of one case, relative to the root, e.g. archive/2026/八宝信〔2026〕7号. */
  caseFolder(year: number, caseNumber: string): string;
  relative(absolute: string): string;
  absolute(relative: string): string;
}

/** `fallbackTemplates`: folders read after the workspace's own templates/ (a community's district's, the program's). */
export function workspaceAt(rootDir: string, fallbackTemplates: readonly string[] = []): Workspace {
  const root = path.resolve(rootDir);
  const archive = path.join(root, 'archive');
  return {
    root,
    inbox: path.join(root, 'inbox'),
    archiveDir: archive,
    pipeline: path.join(root, 'pipeline'),
    templates: path.join(root, 'templates'),
    templateFolders: [path.join(root, 'templates'), ...fallbackTemplates],
    settingsFile: path.join(root, 'pipeline', 'settings.yaml'),
    database: path.join(archive, 'registry.sqlite'),
    staging: path.join(archive, '.staging'),
    logs: path.join(archive, 'logs'),
    books: path.join(archive, '登记簿'),
    reports: path.join(archive, '报表'),
    pageCache: path.join(archive, '.cache', 'pages'),
    yearVolumes: (year) => path.join(archive, String(year), '年度案卷'),
    setAside: (folderName) => path.join(root, 'inbox', folderName),
    caseFolder: (year, caseNumber) => path.join('archive', String(year), safeFolderName(caseNumber)),
    relative: (absolute) => path.relative(root, absolute).split(path.sep).join('/'),
    absolute: (relative) => path.join(root, relative),
  };
}

/** The built command line, for processes the program starts of itself. */
export function cliEntry(): string {
  return path.join(packageRoot(), 'dist', 'interfaces', 'cli', 'main.js');
}

/** The built background worker (blank sheets), started by the intake. */
export function workerEntry(): string {
  return path.join(packageRoot(), 'dist', 'interfaces', 'worker', 'main.js');
}

/** The installed package's own folder: where the default settings and templates come from. */
export function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

function safeFolderName(name: string): string {
  return name.replace(/[/\\:*?"<>|]/g, '_');
}
