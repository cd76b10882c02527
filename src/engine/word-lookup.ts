/**
 * FlexSearch over the corpus vocabulary, for what it does best: prefix completion (autocomplete) and
 * typo-tolerant lookup of a misspelt question word ("Peskof" → "Peskov").
 */
import FlexSearch from 'flexsearch';
import { normalizeWord } from './text';

const { Index, Charset } = FlexSearch;

/** A word of the corpus: its most common spelling and how often it occurs. */
export interface VocabularyWord {
  word: string;
  count: number;
}

export class WordLookup {
  private readonly prefix = new Index({ tokenize: 'forward', encoder: Charset.Normalize });
  private readonly fuzzy = new Index({ tokenize: 'strict', encoder: Charset.LatinExtra });

  /**
   * @param words the corpus words with counts
   * @param dictionary real words never taken for typos (lower case)
   */
  constructor(
    readonly words: VocabularyWord[],
    private readonly dictionary: ReadonlySet<string> = new Set(),
  ) {
    words.forEach((w, id) => {
      const key = normalizeWord(w.word);
      this.prefix.add(id, key);
      this.fuzzy.add(id, key);
    });
  }

  /**
   * Corpus words starting with `prefix`, most frequent first.
   * @example lookup.complete('pes') // ['Peskov']
   */
  complete(prefix: string, limit = 10): VocabularyWord[] {
    const key = normalizeWord(prefix);
    if (!key) return [];
    const ids = this.prefix.search(key, { limit: 200 }) as number[];
    return ids
      .map((id) => this.words[id])
      .filter((w) => normalizeWord(w.word).startsWith(key))
      .sort((a, b) => b.count - a.count)
      .slice(0, limit);
  }

  /**
   * Corpus words a misspelt word probably meant: sounding alike (FlexSearch's LatinExtra encoder) and within
   * a small edit distance, closest and most frequent first.
   * @example lookup.correct('ninty') // ['ninety']
   */
  correct(word: string, limit = 2): VocabularyWord[] {
    const key = normalizeWord(word);
    if (key.length < 4 || /\d/.test(key) || this.dictionary.has(key)) return [];
    const maxDistance = key.length <= 5 ? 1 : 2;
    // Sounding alike catches most typos; words sharing the first letters catch dropped or doubled endings ("Pesko").
    const ids = new Set(this.fuzzy.search(key, { limit: 50 }) as number[]);
    for (const id of this.prefix.search(key.slice(0, Math.max(3, key.length - 2)), { limit: 50 }) as number[]) ids.add(id);
    const close = [...ids]
      .map((id) => ({ w: this.words[id], d: editDistance(key, normalizeWord(this.words[id].word), maxDistance) }))
      .filter((c) => c.d <= maxDistance && c.d > 0);
    close.sort((a, b) => a.d - b.d || b.w.count - a.w.count);
    return close.slice(0, limit).map((c) => c.w);
  }
}

/** Damerau–Levenshtein distance (adjacent swaps count one), stopping early past `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}
