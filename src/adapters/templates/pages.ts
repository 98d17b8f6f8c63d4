import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';

/**
 * The web pages' views (Handlebars files of the web face): compiled once, every value escaped
 * unless a view asks otherwise with {{{ }}} (which ours never do for anything a person typed or
 * the OCR read). A view is rendered into the layout, whose {{> body}} it fills.
 */
export interface PageViews {
  render(view: string, data: object): string;
}

export function pageViews(dir: string): PageViews {
  const hbs = Handlebars.create();
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('percent', (v: unknown) => (typeof v === 'number' ? `${Math.round(v * 100)}%` : ''));
  const compiled = new Map<string, HandlebarsTemplateDelegate>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
    const name = file.replace(/\.hbs$/, '');
    const source = readFileSync(path.join(dir, file), 'utf8');
    if (name.startsWith('_')) hbs.registerPartial(name.slice(1), source);
    else compiled.set(name, hbs.compile(source, { strict: false }));
  }
  const layout = compiled.get('layout');
  if (!layout) throw new Error(`no layout.hbs in ${dir}`);
  return {
    render(view, data) {
      const page = compiled.get(view);
      if (!page) throw new Error(`no view ${view}`);
      const body = page(data);
      if ((data as { bare?: boolean }).bare) return body;
      return layout({ ...data, body: new hbs.SafeString(body) });
    },
  };
}
