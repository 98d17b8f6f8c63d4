import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The Chinese sans-serif font shipped on npm, so nothing depends on the fonts of the PC. */
export function defaultSansFont(): string {
  const dir = path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));
  return path.join(dir, '400Regular', 'NotoSansSC_400Regular.ttf');
}

const loaded = new Map<string, Buffer>();

/** A font file's bytes, read once per process: fonts are megabytes and every PDF needs them. */
export function fontBytes(file: string): Buffer {
  let bytes = loaded.get(file);
  if (!bytes) {
    bytes = readFileSync(file);
    loaded.set(file, bytes);
  }
  return bytes;
}
