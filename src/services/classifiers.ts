/**
 * The rules for reading a letter, with classifiers learned from the letters this office's clerks
 * confirmed. Trained once per change of the examples (the store's version says when) and kept for
 * the store's lifetime, so a letter registered after a correction is judged with it.
 */
import type { TextClassifier } from '../domain/extract/learned.js';
import { officeClassifiers } from '../domain/extract/learned.js';
import type { ExtractRules } from '../domain/extract/letter-fields.js';
import { extractRules } from '../domain/settings.js';
import type { Store } from '../ports/store.js';
import type { ServiceContext } from './context.js';

const trained = new WeakMap<Store, { version: number; settings: ServiceContext['settings']; learned: { category: TextClassifier; handlingType: TextClassifier } }>();

export async function learnedRules(ctx: Pick<ServiceContext, 'store' | 'settings' | 'log'>): Promise<ExtractRules> {
  const { settings, store } = ctx;
  // Learning off: the keyword lists alone, as a model with no examples, so each judgement still says how sure it is.
  let kept = trained.get(store);
  const { version, examples } = settings.classify.learn ? await store.classifierExamples(settings.classify.maxExamples, kept?.version) : { version: -1, examples: [] };
  // New settings (categories or keywords changed in the browser) retrain too.
  if (!kept || kept.version !== version || kept.settings !== settings) {
    const started = Date.now();
    const confirmed = examples ?? [];
    kept = { version, settings, learned: officeClassifiers(settings, confirmed) };
    trained.set(store, kept);
    if (confirmed.length) ctx.log.info({ examples: confirmed.length, ms: Date.now() - started }, 'classifiers trained');
  }
  return extractRules(settings, kept.learned);
}
