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

/**
 * The YAML text with some values replaced and everything else (comments, order, other keys) as
 * it was. Lists of plain words are written on one line, `[a, b]`, as the office's file has them.
 */
export function updateYaml(text: string, changes: { path: (string | number)[]; value: unknown }[]): string {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw doc.errors[0];
  for (const change of changes) {
    const node = doc.createNode(change.value);
    YAML.visit(node, {
      Seq(_key, seq) {
        if (seq.items.every((item) => YAML.isScalar(item))) seq.flow = true;
      },
    });
    doc.setIn(change.path, node);
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
