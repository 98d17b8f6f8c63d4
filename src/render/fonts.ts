import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The Chinese sans-serif font shipped on npm, so nothing depends on the fonts of the PC. */
export function defaultSansFont(): string {
  const dir = path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));
  return path.join(dir, '400Regular', 'NotoSansSC_400Regular.ttf');
}
