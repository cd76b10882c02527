/**
 * FlexSearch over the corpus vocabulary, for what it does best: prefix completion (autocomplete) and
 * typo-tolerant lookup of a misspelt question word ("Peskof" → "Peskov").
 */
import FlexSearch from 'flexsearch';
import { normalizeWord } from '../corpus/text';
import { runAtOnce, YIELD_EVERY, type Sliced } from '../slices';

const { Index, Charset } = FlexSearch;

/** A word of the corpus: its most common spelling and how often it occurs. */
export interface VocabularyWord {
  word: string;
  count: number;
}

/** FlexSearch's own serialisation of both indexes (key, data pairs in export order), for a snapshot. */
export interface WordLookupExport {
  prefix: Array<[string, string]>;
  fuzzy: Array<[string, string]>;
}

/** FlexSearch returns matches in the order words were added; every match is taken and ordered here instead. */
const ALL = Number.MAX_SAFE_INTEGER;

/** What a lookup and the lookups `updating` makes from it share: the FlexSearch indexes and word key → id. */
interface SharedIndexes {
  prefix: InstanceType<typeof Index>;
  fuzzy: InstanceType<typeof Index>;
  ids: Map<string, number> | null;
}

/** More frequent first, then alphabetical: an order that does not depend on how the indexes were filled. */
const byCount = (a: VocabularyWord, b: VocabularyWord) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0);

function emptyIndexes(): SharedIndexes {
  return {
    prefix: new Index({ tokenize: 'forward', encoder: Charset.Normalize }),
    fuzzy: new Index({ tokenize: 'strict', encoder: Charset.LatinExtra }),
    ids: null,
  };
}

/** Adds every word to both indexes under its id, yielding every `YIELD_EVERY` words (run at once or in slices). */
function* addWords({ prefix, fuzzy }: SharedIndexes, words: readonly VocabularyWord[]): Sliced<void> {
  for (let id = 0; id < words.length; id++) {
    const key = normalizeWord(words[id].word);
    prefix.add(id, key);
    fuzzy.add(id, key);
    if ((id + 1) % YIELD_EVERY === 0) yield;
  }
}

export class WordLookup {
  private readonly shared: SharedIndexes;

  /**
   * @param words the corpus words with counts, by id (a word of count 0 is one a reload removed: never returned)
   * @param dictionary real words never taken for typos (lower case)
   * @param exported both indexes as `export()` gave them for these same words: imported instead of built (5x faster)
   */
  constructor(
    readonly words: VocabularyWord[],
    private readonly dictionary: ReadonlySet<string> = new Set(),
    exported?: WordLookupExport,
    shared?: SharedIndexes,
  ) {
    if (shared) {
      this.shared = shared;
      return;
    }
    this.shared = emptyIndexes();
    const { prefix, fuzzy } = this.shared;
    if (exported) {
      for (const [key, data] of exported.prefix) prefix.import(key, data);
      for (const [key, data] of exported.fuzzy) fuzzy.import(key, data);
      return;
    }
    runAtOnce(addWords(this.shared, words));
  }

  /**
   * The same lookup as `new WordLookup(words, dictionary)`, as sliced work: a cold start's vocabulary (~0.4 s at
   * 250,000 sentences) is added while the bot answers "still starting", yielding every `YIELD_EVERY` words.
   * @example const lookup = await runInSlices(WordLookup.building(words, commonWords()))
   */
  static *building(words: VocabularyWord[], dictionary: ReadonlySet<string>): Sliced<WordLookup> {
    const shared = emptyIndexes();
    yield* addWords(shared, words);
    return new WordLookup(words, dictionary, undefined, shared);
  }

  /**
   * The lookup of a reloaded vocabulary, made by adding only its new words to this one's indexes (rebuilding
   * them costs seconds at a million sentences). Words that are gone keep their place with count 0. The indexes are
   * shared and grow: this lookup stays usable (it never returns a word it does not hold), and answers the same
   * as a lookup built from `next` would. Sliced work (a 5 MB upload adds tens of thousands of words: ~0.5 s), yielding
   * every `YIELD_EVERY` words added: lookups still serving meanwhile hold no added word, so they answer as before.
   * @param keys each word's `normalizeWord` (known to the caller already)
   * @example const lookup = await runInSlices(previous.updating(words, keys))
   */
  *updating(next: readonly VocabularyWord[], keys: readonly string[]): Sliced<WordLookup> {
    const { prefix, fuzzy } = this.shared;
    const ids = (this.shared.ids ??= new Map(this.words.map((w, id) => [normalizeWord(w.word), id])));
    const words = this.words.slice();
    const live = new Uint8Array(words.length);
    for (let i = 0; i < next.length; i++) {
      const id = ids.get(keys[i]);
      if (id === undefined) {
        ids.set(keys[i], words.length);
        prefix.add(words.length, keys[i]);
        fuzzy.add(words.length, keys[i]);
        words.push(next[i]);
        if (words.length % YIELD_EVERY === 0) yield;
      } else {
        words[id] = next[i];
        live[id] = 1;
      }
    }
    for (let id = 0; id < live.length; id++) if (!live[id] && words[id].count > 0) words[id] = { word: words[id].word, count: 0 };
    return new WordLookup(words, this.dictionary, undefined, this.shared);
  }

  /**
   * Both indexes in FlexSearch's export format. A handler returning a promise makes FlexSearch export chunk by
   * chunk, and each chunk waits for the event loop: in one go it blocked questions ~0.3 s at a million sentences.
   */
  async export(): Promise<WordLookupExport> {
    const out: WordLookupExport = { prefix: [], fuzzy: [] };
    const into = (list: Array<[string, string]>) => (key: string, data: string) => {
      list.push([key, data]);
      return new Promise<void>((resolve) => setImmediate(resolve));
    };
    await this.shared.prefix.export(into(out.prefix));
    await this.shared.fuzzy.export(into(out.fuzzy));
    return out;
  }

  /** The words of these ids that this lookup holds (not removed, not added after it). */
  private held(ids: number[]): VocabularyWord[] {
    const out: VocabularyWord[] = [];
    for (const id of ids) {
      const w = this.words[id];
      if (w && w.count > 0) out.push(w);
    }
    return out;
  }

  /**
   * Corpus words starting with `prefix`, most frequent first.
   * @example lookup.complete('pes') // ['Peskov']
   */
  complete(prefix: string, limit = 10): VocabularyWord[] {
    const key = normalizeWord(prefix);
    if (!key) return [];
    const out: VocabularyWord[] = [];
    for (const w of this.held(this.shared.prefix.search(key, { limit: ALL }) as number[]).sort(byCount)) {
      if (out.length >= limit) break;
      if (normalizeWord(w.word).startsWith(key)) out.push(w);
    }
    return out;
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
    const ids = new Set(this.shared.fuzzy.search(key, { limit: ALL }) as number[]);
    for (const id of this.shared.prefix.search(key.slice(0, Math.max(3, key.length - 2)), { limit: ALL }) as number[]) ids.add(id);
    const close: Array<{ w: VocabularyWord; d: number }> = [];
    for (const w of this.held([...ids])) {
      const d = editDistance(key, normalizeWord(w.word), maxDistance);
      if (d <= maxDistance && d > 0) close.push({ w, d });
    }
    close.sort((a, b) => a.d - b.d || byCount(a.w, b.w));
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
