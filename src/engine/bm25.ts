/**
 * Okapi BM25 over an inverted index of integer term ids. FlexSearch gives candidates in order but no scores,
 * and its order is weak for questions, so the lexical score is computed here.
 */

export interface Bm25Options {
  k1?: number;
  b?: number;
}

/** A scored document. */
export interface Scored {
  doc: number;
  score: number;
}

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

  /** Builds the index of `docs` (term-id lists); or takes one already built (`index.arrays`, from a snapshot). */
  constructor(docs: ArrayLike<number>[], vocabularySize: number, options?: Bm25Options);
  constructor(arrays: Bm25Arrays, options?: Bm25Options);
  constructor(source: ArrayLike<number>[] | Bm25Arrays, second?: number | Bm25Options, third?: Bm25Options) {
    const options = (typeof second === 'object' ? second : third) ?? {};
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.arrays = Array.isArray(source) ? invert(source, second as number) : (source as Bm25Arrays);
    const { offsets, lengths } = this.arrays;
    this.size = lengths.length;
    let total = 0;
    for (let d = 0; d < lengths.length; d++) total += lengths[d];
    this.avgLength = total / Math.max(1, this.size);
    const vocabularySize = offsets.length - 1;
    this.idfs = new Float32Array(vocabularySize);
    for (let t = 0; t < vocabularySize; t++) this.idfs[t] = idf(offsets[t + 1] - offsets[t], this.size);
    this.acc = new Float32Array(this.size);
  }

  /** Inverse document frequency of a term id (the highest possible for a term no document has). */
  idf(term: number): number {
    return term >= 0 && term < this.idfs.length ? this.idfs[term] : idf(0, this.size);
  }

  /**
   * Scores every document holding at least one query term. Query terms may repeat; each counts once.
   * `weights` (same order as `terms`) scale a term's contribution, e.g. for typo-corrected terms.
   */
  scores(terms: readonly number[], weights?: readonly number[]): Map<number, number> {
    const { k1, b, avgLength, acc } = this;
    const { lengths } = this.arrays;
    const touched: number[] = [];
    const seen = new Set<number>();
    terms.forEach((t, i) => {
      if (t < 0 || t >= this.idfs.length || seen.has(t)) return;
      seen.add(t);
      const w = this.idfs[t] * (weights?.[i] ?? 1);
      const { offsets, docs, tfs } = this.arrays;
      for (let j = offsets[t], end = offsets[t + 1]; j < end; j++) {
        const d = docs[j];
        const tf = tfs[j];
        if (acc[d] === 0) touched.push(d);
        acc[d] += (w * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * lengths[d]) / avgLength));
      }
    });
    const out = new Map<number, number>();
    for (const d of touched) {
      out.set(d, acc[d]);
      acc[d] = 0;
    }
    return out;
  }
}

/**
 * Inverts term-id lists into postings (each document once per term, with its term frequency): two passes over
 * typed arrays, no per-document map (a million sentences in well under a second, so a reload can afford it).
 */
function invert(docs: ArrayLike<number>[], vocabularySize: number): Bm25Arrays {
  const n = docs.length;
  const lengths = new Float32Array(n);
  const counts = new Uint32Array(vocabularySize);
  // The last document each term was seen in, so a term repeated in a document counts once.
  const lastDoc = new Int32Array(vocabularySize).fill(-1);
  for (let d = 0; d < n; d++) {
    const terms = docs[d];
    const length = terms.length;
    lengths[d] = length;
    for (let i = 0; i < length; i++) {
      const t = terms[i];
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
  for (let d = 0; d < n; d++) {
    const terms = docs[d];
    const length = terms.length;
    for (let i = 0; i < length; i++) {
      const t = terms[i];
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
