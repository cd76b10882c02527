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

/**
 * BM25 index of documents given as term-id lists.
 * @example
 * const index = new Bm25Index([[0, 1], [1, 2, 2]], 3)
 * index.scores([2]) // Map-like: doc 1 scores, doc 0 does not
 */
export class Bm25Index {
  readonly size: number;
  private readonly k1: number;
  private readonly b: number;
  private readonly postingsDocs: Int32Array[];
  private readonly postingsTf: Uint16Array[];
  private readonly lengths: Float32Array;
  private readonly avgLength: number;
  private readonly idfs: Float32Array;
  private readonly acc: Float32Array;

  constructor(docs: ArrayLike<number>[], vocabularySize: number, options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.size = docs.length;
    this.lengths = new Float32Array(docs.length);
    const counts = new Uint32Array(vocabularySize);
    let total = 0;
    const tfMaps: Map<number, number>[] = docs.map((terms, d) => {
      const tf = new Map<number, number>();
      for (let i = 0; i < terms.length; i++) tf.set(terms[i], (tf.get(terms[i]) ?? 0) + 1);
      for (const t of tf.keys()) counts[t]++;
      this.lengths[d] = terms.length;
      total += terms.length;
      return tf;
    });
    this.avgLength = total / Math.max(1, docs.length);
    this.postingsDocs = Array.from({ length: vocabularySize }, (_, t) => new Int32Array(counts[t]));
    this.postingsTf = Array.from({ length: vocabularySize }, (_, t) => new Uint16Array(counts[t]));
    const fill = new Uint32Array(vocabularySize);
    tfMaps.forEach((tf, d) => {
      for (const [t, n] of tf) {
        this.postingsDocs[t][fill[t]] = d;
        this.postingsTf[t][fill[t]++] = Math.min(n, 65535);
      }
    });
    this.idfs = new Float32Array(vocabularySize);
    for (let t = 0; t < vocabularySize; t++) this.idfs[t] = idf(counts[t], docs.length);
    this.acc = new Float32Array(docs.length);
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
    const { k1, b, avgLength, lengths, acc } = this;
    const touched: number[] = [];
    const seen = new Set<number>();
    terms.forEach((t, i) => {
      if (t < 0 || t >= this.postingsDocs.length || seen.has(t)) return;
      seen.add(t);
      const w = this.idfs[t] * (weights?.[i] ?? 1);
      const docs = this.postingsDocs[t];
      const tfs = this.postingsTf[t];
      for (let j = 0; j < docs.length; j++) {
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
