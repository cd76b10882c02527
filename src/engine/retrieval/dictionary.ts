/**
 * Common English words, so typo correction leaves real words alone ("bread" is not a misspelt "broad").
 * Taken from the bundled offline model's vocabulary, which lists GloVe's words most frequent first.
 */
import { readFileSync } from 'node:fs';
import { OFFLINE_MODEL } from '../encoders/offline-model';

const COMMON_WORDS = 50_000;
let cached: Set<string> | null = null;

/** The most frequent English words, lower-cased (loaded once, ~50 ms). */
export function commonWords(): Set<string> {
  if (cached) return cached;
  try {
    const vocab = (JSON.parse(readFileSync(`${OFFLINE_MODEL}/tokenizer.json`, 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab;
    cached = new Set(Object.keys(vocab).filter((w) => vocab[w] < COMMON_WORDS && !w.startsWith('[')));
  } catch {
    // Without the bundled model folder, typo correction simply has no dictionary to spare real words.
    cached = new Set();
  }
  return cached;
}
