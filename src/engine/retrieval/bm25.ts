/**
 * Okapi BM25 over an inverted index of integer term ids. FlexSearch gives candidates in order but no scores,
 * and its order is weak for questions, so the lexical score is computed here.
 */

export interface Bm25Options {
  k1?: number;
  b?: number;
}

import { termLists, type TermLists } from './sentence-table';
import { WorstFirst, type Scored } from './top-k';

export type { Scored };

/** A BM25 index as flat typed arrays: what a snapshot stores and reads back without rebuilding. */
export interface Bm25Arrays {
  /** Term t's postings are `docs[offsets[t]..offsets[t + 1])`, in document order, with their term frequencies. */
  offsets: Uint32Array;
  docs: Int32Array;
  tfs: Uint16Array;
  /** Length (terms) of each document. */
  lengths: Float32Array;
}

/**
 * BM25 index of documents given as term-id lists.
 * @example
 * const index = new Bm25Index([[0, 1], [1, 2, 2]], 3)
 * index.scores([2]) // Map-like: doc 1 scores, doc 0 does not
 */
export class Bm25Index {
  readonly size: number;
  /** The postings and lengths, for a snapshot. */
  readonly arrays: Bm25Arrays;
  private readonly k1: number;
  private readonly b: number;
  private readonly avgLength: number;
  private readonly idfs: Float32Array;
  private readonly acc: Float32Array;
  /** Each term's largest impact (`maxImpact`), NaN until first needed. */
  private readonly maxImpacts: Float64Array;

  /** Builds the index of `docs` (term-id lists, or flat ones); or takes one already built (`index.arrays`, from a snapshot). */
  constructor(docs: ArrayLike<number>[] | TermLists, vocabularySize: number, options?: Bm25Options);
  constructor(arrays: Bm25Arrays, options?: Bm25Options);
  constructor(source: ArrayLike<number>[] | TermLists | Bm25Arrays, second?: number | Bm25Options, third?: Bm25Options) {
    const options = (typeof second === 'object' ? second : third) ?? {};
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    if (Array.isArray(source)) this.arrays = invert(termLists(source), second as number);
    else this.arrays = 'flat' in source ? invert(source, second as number) : source;
    const { offsets, lengths } = this.arrays;
    this.size = lengths.length;
    let total = 0;
    for (let d = 0; d < lengths.length; d++) total += lengths[d];
    this.avgLength = total / Math.max(1, this.size);
    const vocabularySize = offsets.length - 1;
    this.idfs = new Float32Array(vocabularySize);
    for (let t = 0; t < vocabularySize; t++) this.idfs[t] = idf(offsets[t + 1] - offsets[t], this.size);
    this.acc = new Float32Array(this.size);
    this.maxImpacts = new Float64Array(vocabularySize).fill(NaN);
  }

  /** Inverse document frequency of a term id (the highest possible for a term no document has). */
  idf(term: number): number {
    return term >= 0 && term < this.idfs.length ? this.idfs[term] : idf(0, this.size);
  }

  /**
   * Scores every document holding at least one query term. Query terms may repeat; each counts once.
   * `weights` (same order as `terms`) scale a term's contribution, e.g. for typo-corrected terms; a term weighing
   * nothing (or less) is left out. Exhaustive: `top` finds the best documents without scoring them all.
   */
  scores(terms: readonly number[], weights?: readonly number[]): Map<number, number> {
    const { acc } = this;
    const { offsets, docs, tfs } = this.arrays;
    const touched: number[] = [];
    for (const { term, weight } of this.query(terms, weights)) {
      for (let j = offsets[term], end = offsets[term + 1]; j < end; j++) {
        const d = docs[j];
        if (acc[d] === 0) touched.push(d);
        acc[d] += this.impact(weight, tfs[j], d);
      }
    }
    const out = new Map<number, number>();
    for (const d of touched) {
      out.set(d, acc[d]);
      acc[d] = 0;
    }
    return out;
  }

  /**
   * The `k` best documents for the query, best first (ties: lower document first): exactly
   * `topK(scores(terms, weights), k)`, same scores, but without scoring every posting of the query's common terms.
   *
   * MaxScore (Turtle & Flood 1995), document at a time: each term has an upper bound of what it can add to a score
   * (its best posting's impact). Once k documents are held, the terms whose bounds sum below the k-th score cannot
   * lift a document in by themselves: their postings are not walked, only probed for the documents the other terms
   * bring, and a document is dropped as soon as its score so far plus the bounds of the terms not yet probed
   * cannot beat the k-th. Scores are summed in query order in float32, as `scores` does, so both agree to the bit.
   * @example index.top([0, 2], undefined, 10) // [{ doc: 3, score: 1.9 }, …]
   */
  top(terms: readonly number[], weights: readonly number[] | undefined, k: number): Scored[] {
    const query = this.query(terms, weights);
    const n = query.length;
    if (k <= 0 || n === 0) return [];
    const { offsets, docs, tfs } = this.arrays;
    // Cursors over each term's postings, cheapest bound first.
    const order = query.map((q, i) => ({ i, bound: q.weight * this.maxImpact(q.term) })).sort((a, b) => a.bound - b.bound);
    const slot = order.map((o) => o.i);
    const position = Int32Array.from(slot, (i) => offsets[query[i].term]);
    const end = Int32Array.from(slot, (i) => offsets[query[i].term + 1]);
    /** Bounds summed over the cheapest terms up to and including each. */
    const reach = new Float64Array(n);
    order.forEach((o, s) => (reach[s] = (s > 0 ? reach[s - 1] : 0) + o.bound));
    const tf = new Uint16Array(n); // the current document's term frequency, by query order
    const heap = new WorstFirst(k);
    let threshold = -Infinity; // the k-th score once k are held
    let essential = 0; // terms from this slot on are walked; the ones below only probed
    for (;;) {
      let doc = Infinity;
      for (let s = essential; s < n; s++) if (position[s] < end[s] && docs[position[s]] < doc) doc = docs[position[s]];
      if (doc === Infinity) break;
      tf.fill(0);
      let sum = 0;
      for (let s = essential; s < n; s++) {
        const p = position[s];
        if (p < end[s] && docs[p] === doc) {
          const q = query[slot[s]];
          tf[slot[s]] = tfs[p];
          sum += this.impact(q.weight, tfs[p], doc);
          position[s] = p + 1;
        }
      }
      let dropped = false;
      for (let s = essential - 1; s >= 0; s--) {
        if (!beats(sum + reach[s], threshold)) {
          dropped = true;
          break;
        }
        const p = (position[s] = seek(docs, position[s], end[s], doc));
        if (p < end[s] && docs[p] === doc) {
          tf[slot[s]] = tfs[p];
          sum += this.impact(query[slot[s]].weight, tfs[p], doc);
        }
      }
      if (dropped || !beats(sum, threshold)) continue;
      let score = 0;
      for (let i = 0; i < n; i++) if (tf[i] > 0) score = Math.fround(score + this.impact(query[i].weight, tf[i], doc));
      // Documents come in increasing order, so one scoring the same as the k-th ranks after it and stays out.
      if (heap.full && score <= heap.worst.score) continue;
      heap.push({ doc, score });
      if (!heap.full) continue;
      threshold = heap.worst.score;
      while (essential < n && !beats(reach[essential], threshold)) essential++;
    }
    return heap.sorted();
  }

  /**
   * BM25 of one document from its own term ids (the list it was indexed from): `scores(terms, weights).get(doc) ?? 0`
   * without walking any postings, for a document found some other way.
   */
  scoreOf(doc: number, docTerms: ArrayLike<number>, terms: readonly number[], weights?: readonly number[]): number {
    let score = 0;
    for (const { term, weight } of this.query(terms, weights)) {
      let tf = 0;
      for (let i = 0; i < docTerms.length; i++) if (docTerms[i] === term) tf++;
      if (tf > 0) score = Math.fround(score + this.impact(weight, Math.min(tf, 65535), doc));
    }
    return score;
  }

  /** The query's distinct known terms with their weights (IDF times the given weight), in query order. */
  private query(terms: readonly number[], weights?: readonly number[]): Array<{ term: number; weight: number }> {
    const out: Array<{ term: number; weight: number }> = [];
    const seen = new Set<number>();
    terms.forEach((t, i) => {
      if (t < 0 || t >= this.idfs.length || seen.has(t)) return;
      seen.add(t);
      const weight = this.idfs[t] * (weights?.[i] ?? 1);
      if (weight > 0) out.push({ term: t, weight });
    });
    return out;
  }

  /** What one posting adds to its document's score. */
  private impact(weight: number, tf: number, doc: number): number {
    const { k1, b } = this;
    return (weight * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * this.arrays.lengths[doc]) / this.avgLength));
  }

  /** The largest impact of any of a term's postings at weight 1, computed on first use. */
  private maxImpact(term: number): number {
    let max = this.maxImpacts[term];
    if (!Number.isNaN(max)) return max;
    const { offsets, docs, tfs } = this.arrays;
    max = 0;
    for (let j = offsets[term], end = offsets[term + 1]; j < end; j++) max = Math.max(max, this.impact(1, tfs[j], docs[j]));
    // Rounding: a bound a hair above every impact, so that a weight times it bounds the weighted impacts too.
    this.maxImpacts[term] = max * (1 + BOUND_SLACK);
    return this.maxImpacts[term];
  }
}

/**
 * Relative slack for float rounding: scores summed in float32 (as `scores` keeps them) differ from the bounds'
 * double sums by far less than this, so a document is dropped only when it surely scores below the k-th.
 */
const BOUND_SLACK = 1e-5;

/** Whether a document that can score up to `bound` might still score above `threshold`. */
function beats(bound: number, threshold: number): boolean {
  return bound * (1 + BOUND_SLACK) > threshold;
}

/** The first position in `docs[from..end)` holding `doc` or a later document (postings are in document order). */
function seek(docs: Int32Array, from: number, end: number, doc: number): number {
  if (from >= end || docs[from] >= doc) return from;
  // Gallop, then halve: a probe usually lands close to where the cursor stands.
  let step = 1;
  let low = from;
  let high = from + 1;
  while (high < end && docs[high] < doc) {
    low = high;
    step *= 2;
    high = low + step;
  }
  high = Math.min(high, end);
  while (low + 1 < high) {
    const mid = (low + high) >>> 1;
    if (docs[mid] < doc) low = mid;
    else high = mid;
  }
  return high;
}

/**
 * Inverts term-id lists into postings (each document once per term, with its term frequency): two passes over
 * typed arrays, no per-document map (a million sentences in well under a second, so a reload can afford it).
 */
function invert({ flat, ends }: TermLists, vocabularySize: number): Bm25Arrays {
  const n = ends.length;
  const lengths = new Float32Array(n);
  const counts = new Uint32Array(vocabularySize);
  // The last document each term was seen in, so a term repeated in a document counts once.
  const lastDoc = new Int32Array(vocabularySize).fill(-1);
  for (let d = 0, i = 0; d < n; d++) {
    const end = ends[d];
    lengths[d] = end - i;
    for (; i < end; i++) {
      const t = flat[i];
      if (lastDoc[t] !== d) {
        lastDoc[t] = d;
        counts[t]++;
      }
    }
  }
  const offsets = new Uint32Array(vocabularySize + 1);
  for (let t = 0; t < vocabularySize; t++) offsets[t + 1] = offsets[t] + counts[t];
  const postings = offsets[vocabularySize];
  const postingDocs = new Int32Array(postings);
  const tfs = new Uint16Array(postings);
  // Where each term's next posting goes; while a document is read, its slot is the one just before.
  const fill = offsets.slice(0, vocabularySize);
  lastDoc.fill(-1);
  for (let d = 0, i = 0; d < n; d++) {
    for (const end = ends[d]; i < end; i++) {
      const t = flat[i];
      if (lastDoc[t] !== d) {
        lastDoc[t] = d;
        postingDocs[fill[t]] = d;
        tfs[fill[t]++] = 1;
      } else if (tfs[fill[t] - 1] < 65535) tfs[fill[t] - 1]++;
    }
  }
  return { offsets, docs: postingDocs, tfs, lengths };
}

function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** The `k` best entries of a score map, best first. */
export function topK(scores: Map<number, number>, k: number): Scored[] {
  const all: Scored[] = [];
  for (const [doc, score] of scores) all.push({ doc, score });
  all.sort((a, b) => b.score - a.score || a.doc - b.doc);
  return all.slice(0, k);
}
