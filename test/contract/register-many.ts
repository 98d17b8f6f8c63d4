/**
 * A separate process registering petitions on a store: `node --import tsx register-many.ts
 * <adapter module> <target> <prefix> <count>`. The module exports `open(target, options)`.
 */
import { pathToFileURL } from 'node:url';
import type { Store } from '../../src/ports/store.js';
import { folderFor, petition, STORE_OPTIONS } from './petitions.js';

const [module, target, prefix, count] = process.argv.slice(2);
const { open } = (await import(pathToFileURL(module!).href)) as { open: (target: string, options: typeof STORE_OPTIONS) => Promise<Store> };
const store = await open(target!, STORE_OPTIONS);
for (let i = 0; i < Number(count); i++) {
  const r = await store.register(petition(`${prefix}-${i}`), folderFor);
  if (!r.created) throw new Error(`registered twice: ${prefix}-${i}`);
}
await store.close();
