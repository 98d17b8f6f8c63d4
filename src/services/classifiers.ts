/**
 * The rules for reading a letter, with classifiers learned from the letters this office's clerks
 * confirmed. Trained once per change of the examples (the store's version says when) and kept for
 * the store's lifetime, so a letter registered after a correction is judged with it.
 */
import type { TextClassifier } from '../domain/extract/learned.js';
import { keywordClassifier, trainClassifier } from '../domain/extract/learned.js';
import type { ExtractRules } from '../domain/extract/letter-fields.js';
import { extractRules } from '../domain/settings.js';
import type { Store } from '../ports/store.js';
import type { ServiceContext } from './context.js';

/** Confirmed letters per category, on average, before what they teach replaces the keyword lists. */
const MIN_EXAMPLES_PER_CLASS = 3;
/** Confirmed letters of every handling type before those learn. */
const MIN_HANDLING_EXAMPLES = 30;

const trained = new WeakMap<Store, { version: number; settings: ServiceContext['settings']; learned: { category: TextClassifier; handlingType: TextClassifier } }>();

export async function learnedRules(ctx: Pick<ServiceContext, 'store' | 'settings' | 'log'>): Promise<ExtractRules> {
  const { settings, store } = ctx;
  // Learning off: the keyword lists alone, as a model with no examples, so each judgement still says how sure it is.
  let kept = trained.get(store);
  const { version, examples } = settings.classify.learn ? await store.classifierExamples(settings.classify.maxExamples, kept?.version) : { version: -1, examples: [] };
  // New settings (categories or keywords changed in the browser) retrain too.
  if (!kept || kept.version !== version || kept.settings !== settings) {
    const started = Date.now();
    const categories = settings.categories.filter((c) => c.name !== '其他');
    const confirmed = examples ?? [];
    const categoryExamples = confirmed.flatMap((e) => (e.category ? [{ text: e.text, label: e.category }] : []));
    const handlingExamples = confirmed.flatMap((e) => (e.handlingType ? [{ text: e.text, label: e.handlingType }] : []));
    kept = {
      version,
      settings,
      learned: {
        // Learned once the office has confirmed a few letters per category; before that the lists decide.
        category:
          categoryExamples.length >= MIN_EXAMPLES_PER_CLASS * settings.categories.length
            ? trainClassifier(categories, '其他', categoryExamples)
            : keywordClassifier(categories, '其他'),
        // Handling types are few and lopsided (most letters ask for something): on the evaluation set
        // the lists beat what 72 letters taught, so they learn only once every type has many examples.
        handlingType: settings.handlingTypes.every((t) => handlingExamples.filter((e) => e.label === t.name).length >= MIN_HANDLING_EXAMPLES)
          ? trainClassifier(settings.handlingTypes, settings.defaultHandlingType, handlingExamples)
          : keywordClassifier(settings.handlingTypes, settings.defaultHandlingType),
      },
    };
    trained.set(store, kept);
    if (confirmed.length) ctx.log.info({ examples: confirmed.length, ms: Date.now() - started }, 'classifiers trained');
  }
  return extractRules(settings, kept.learned);
}
