/**
 * Word alignment of one question with sentences and paragraphs, through the model's word vectors: the ranker's
 * `align`, `alignSoft`, `paragraphAlign` and `paragraphCoverage` features (features.ts).
 *
 * Most of the rank stage's time is the vector products here (a question's 40 candidates and their paragraphs hold
 * ~800 distinct terms, each compared with ~6 question words), so each term's match with the question is computed
 * once per question into one flat array, and the products run over packed vectors. Every product sums in the same
 * order as a plain loop (float64, one term after the other), so every value is the same to the last bit.
 */
import type { QueryTerm, WordVectors } from '../retrieval/query';

export class QuestionAlignment {
  /** How many question words. */
  private readonly n: number;
  private readonly ids: Int32Array;
  /** The question words' vectors end to end (n × dim), and whether each has one (the others match only exactly). */
  private readonly vectors: Float32Array;
  private readonly hasVector: Uint8Array;
  /** Term id → its row in `rows`; row r holds the term's match with each question word at `r * n …`. */
  private readonly slots = new Map<number, number>();
  private rows: Float32Array;
  /** Best match of each question word in the sentence being aligned (scratch, reused). */
  private readonly best: Float32Array;

  /**
   * @param asked the question's own terms (no expansions)
   * @param weights their IDF weights, summing to `total`
   * @param termVectors the index's term vectors (`dim` each), or null without a model (exact matches only)
   * @param unknown vectors of the question words the corpus lacks
   */
  constructor(
    asked: readonly QueryTerm[],
    private readonly weights: readonly number[],
    private readonly total: number,
    private readonly termVectors: Float32Array | null,
    private readonly dim: number,
    unknown: WordVectors,
  ) {
    const n = (this.n = asked.length);
    this.ids = Int32Array.from(asked, (t) => t.id);
    this.vectors = new Float32Array(n * dim);
    this.hasVector = new Uint8Array(n);
    asked.forEach((t, q) => {
      const v = t.id >= 0 ? termVectors?.subarray(t.id * dim, (t.id + 1) * dim) : t.unknownWord ? unknown.get(t.unknownWord) : undefined;
      if (!v || !termVectors) return;
      this.vectors.set(v, q * dim);
      this.hasVector[q] = 1;
    });
    this.rows = new Float32Array(1024 * n);
    this.best = new Float32Array(n);
  }

  /**
   * For each question word, its best match among `ids` (a sentence's or a paragraph's terms) — 1 for the same
   * term, else the cosine of their word vectors (at least 0) — averaged with IDF weights (`hard`), and the same
   * over the words without an exact match only (`soft`: meaning beyond shared words; 1 when all match exactly).
   */
  align(ids: Int32Array): [hard: number, soft: number] {
    if (this.total <= 0) return [0, 0];
    const { n, best, weights } = this;
    best.fill(0);
    for (let i = 0; i < ids.length; i++) {
      const row = this.rowOf(ids[i]);
      const rows = this.rows;
      for (let q = 0; q < n; q++) if (rows[row + q] > best[q]) best[q] = rows[row + q];
    }
    let hard = 0;
    let soft = 0;
    let softWeight = 0;
    for (let q = 0; q < n; q++) {
      hard += weights[q] * best[q];
      if (best[q] < 1) {
        soft += weights[q] * best[q];
        softWeight += weights[q];
      }
    }
    return [hard / this.total, softWeight > 0 ? soft / softWeight : 1];
  }

  /** Share of the question's IDF mass whose terms stand in `terms` (a paragraph's). */
  covered(terms: ReadonlySet<number>): number {
    if (this.total <= 0) return 0;
    let sum = 0;
    for (let q = 0; q < this.n; q++) if (this.ids[q] >= 0 && terms.has(this.ids[q])) sum += this.weights[q];
    return sum / this.total;
  }

  /** Offset in `rows` of a term's match with each question word, computed on its first use in this question. */
  private rowOf(id: number): number {
    const known = this.slots.get(id);
    if (known !== undefined) return known;
    const { n, dim, ids, vectors, hasVector } = this;
    const row = this.slots.size * n;
    if (row + n > this.rows.length) {
      const grown = new Float32Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    this.slots.set(id, row);
    const termVectors = this.termVectors;
    for (let q = 0; q < n; q++) {
      if (ids[q] === id) this.rows[row + q] = 1;
      else if (hasVector[q]) this.rows[row + q] = Math.max(0, dot(termVectors!, id * dim, vectors, q * dim, dim));
      else this.rows[row + q] = 0;
    }
    return row;
  }
}

/**
 * Σ a[i]·b[i] over `dim` values from the offsets, summed strictly in order (so the same as the plain loop's, bit
 * for bit); unrolled by four, which V8 runs ~1.5x faster than the plain loop.
 */
function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, dim: number): number {
  let sum = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    sum += a[ao + j] * b[bo + j];
    sum += a[ao + j + 1] * b[bo + j + 1];
    sum += a[ao + j + 2] * b[bo + j + 2];
    sum += a[ao + j + 3] * b[bo + j + 3];
  }
  for (; j < dim; j++) sum += a[ao + j] * b[bo + j];
  return sum;
}
