/** Files a clerk's PC, scanner or browser leaves behind that are never letters. */
const IGNORED_EXACT = new Set(['thumbs.db', 'desktop.ini', '.ds_store', 'ehthumbs.db', 'icon\r']);
const IGNORED_SUFFIX = ['.tmp', '.temp', '.part', '.partial', '.crdownload', '.download', '.opdownload', '.filepart', '.swp', '.lock', '~'];

export function isIgnoredName(name: string): boolean {
  const lower = name.toLowerCase();
  if (IGNORED_EXACT.has(lower)) return true;
  if (lower.startsWith('.')) return true; // hidden files, macOS ._ resource forks, .~lock.*# of LibreOffice
  if (lower.startsWith('~$')) return true; // Office lock files
  return IGNORED_SUFFIX.some((suffix) => lower.endsWith(suffix));
}
