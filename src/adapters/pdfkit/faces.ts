import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Settings } from '../../domain/settings.js';
import { XinfangError } from '../../domain/problems.js';
import { defaultFaces, type FontFaces } from './fonts.js';

/** The font files to embed: the office's own where the settings name them, else the npm fonts. */
export function facesFrom(settings: Settings, root: string): FontFaces {
  const faces = defaultFaces();
  for (const key of ['body', 'title', 'heading', 'kai'] as const) {
    const configured = settings.fonts[key].trim();
    if (!configured) continue;
    const file = path.resolve(root, configured);
    if (!existsSync(file)) {
      throw new XinfangError('font-missing', `设置 fonts.${key} 指定的字体文件“${configured}”不存在。请检查路径，或留空使用随程序安装的字体。`);
    }
    faces[key] = file;
  }
  return faces;
}
