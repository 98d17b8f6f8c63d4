import YAML from 'yaml';

/** YAML text as data; a syntax error carries the line it is on. */
export function parseYaml(text: string): unknown {
  return YAML.parse(text);
}

/** The line of a YAML syntax error, if the error is one. */
export function yamlErrorLine(e: unknown): number | null {
  return (e as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? null;
}

export function stringifyYaml(value: unknown): string {
  return YAML.stringify(value);
}
