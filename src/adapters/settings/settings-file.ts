import { readFileSync } from 'node:fs';
import { fail } from '../../domain/problems.js';
import { parseSettings, type Settings } from '../../domain/settings.js';
import { parseYaml, yamlErrorLine } from '../yaml/yaml.js';

/** Reads and checks the office's settings file; any mistake stops start-up with what is wrong and where. */
export function loadSettings(file: string): Settings {
  return parseSettings(loadRawSettings(file), file);
}

/** The settings file's data as written, not yet checked (a district's community lays its own over the district's). */
export function loadRawSettings(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    fail({ code: 'settings-missing', file });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    fail({ code: 'settings-syntax', file, line: yamlErrorLine(e) });
  }
  return raw;
}
