/**
 * Nearest sentences to a question vector: an exact scan below a size threshold, an approximate HNSW index
 * (usearch) from it on. Vectors are L2-normalised, so similarity is the dot product (= cosine).
 *
 * Why a threshold: the exact scan costs about 1 ms per 10,000 vectors of dimension 100 and needs no build, so for
 * a corpus of SQuAD's size it is both exact and fast enough; at a million vectors it takes ~100 ms per question,
 * while the approximate index answers in well under a millisecond at a recall@100 of about 0.99 (bench/dense-bench.ts).
 *
 * @example
 * const dense = await DenseIndex.build(vectors, 100);      // exact below APPROXIMATE_FROM vectors
 * dense.search(questionVector, 100);                        // [{ id: 42, similarity: 0.83 }, …], best first
 * dense.similarity(questionVector, 7);                      // the exact cosine of one sentence (any kind)
 */
import { createRequire } from 'node:module';

/** From this many vectors on, `build` makes an approximate index (measured: see the README's dense-index table). */
export const APPROXIMATE_FROM = 200_000;

export interface DenseHit {
  /** Row of the vector in the matrix given to `build`. */
  id: number;
  /** Dot product with the query: the cosine for normalised vectors. */
  similarity: number;
}

export interface DenseIndexOptions {
  /** Vectors at or above this count go into the approximate index (default `APPROXIMATE_FROM`). */
  approximateFrom?: number;
  /** How the approximate index stores its vectors: `i8` is a quarter of `f32`'s memory at the same recall (measured). */
  quantization?: 'f32' | 'f16' | 'i8';
  /** HNSW search breadth: larger finds more of the true neighbours and is slower (default 160; at least k is used). */
  expansionSearch?: number;
  /** Threads for building the approximate index (default 1: the machine is shared; searching always uses 1). */
  threads?: number;
  /** Vectors added to the approximate index so far, after each batch. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Vectors per native call while building: the build is synchronous native work, so it goes in slices with the
 * event loop free between them (a bot keeps answering from its old index during a reload). About 0.3 s per slice
 * at a million vectors on one thread here.
 */
const BUILD_SLICE = 500;

/** From this many vectors on, the exact scan runs in usearch's native code (`nativeScan`); below, loading it is not worth it. */
const NATIVE_SCAN_FROM = 2_000;
/** How many more candidates than asked the native scan fetches, and the rounding gap it allows (see `nativeScan`). */
const NATIVE_SCAN_MARGIN = 16;
const NATIVE_SCAN_ROUNDING = 1e-4;

/** usearch's brute-force search (`exactSearch`), one query, one thread. */
type ExactSearch = (
  dataset: Float32Array,
  query: Float32Array,
  dim: number,
  k: number,
  metric: 'ip',
  threads: number,
) => { keys: BigUint64Array; distances: Float32Array };

/** The approximate index's calls we use (usearch's `Index`). */
interface UsearchIndex {
  add(keys: BigUint64Array, vectors: Float32Array, threads?: number): void;
  search(vector: Float32Array, k: number, threads: number): { keys: BigUint64Array; distances: Float32Array };
  size(): number;
}

/**
 * What reloads changed since the approximate graph was built, kept beside it: rebuilding the graph for one changed
 * article would take minutes at a million sentences.
 */
interface GraphChanges {
  /** Graph key (a row when the graph was built) → the row now, or -1 for a row since removed. */
  rowOf: Int32Array;
  removed: number;
  /** Rows added since, not in the graph, ascending: scanned exactly. */
  added: Int32Array;
}

/** Share of rows added or removed since the graph was built from which `updated` builds a new graph. */
export const REBUILD_FROM_CHANGED = 0.05;

// usearch is a native addon loaded only when an index is large enough to need it.
const nodeRequire = createRequire(import.meta.url);

export class DenseIndex {
  private constructor(
    /** Row-major n × dim matrix; kept for the exact scan and exact similarities. */
    private readonly vectors: Float32Array,
    readonly dim: number,
    private readonly approximate: UsearchIndex | null,
    private readonly expansionSearch: number,
    private readonly changes: GraphChanges | null = null,
  ) {}

  /**
   * @param vectors n × dim, row-major, L2-normalised (a zero row is allowed: it is never anyone's neighbour by more than 0)
   */
  static async build(vectors: Float32Array, dim: number, options: DenseIndexOptions = {}): Promise<DenseIndex> {
    if (!Number.isInteger(dim) || dim <= 0 || vectors.length % dim !== 0) {
      throw new Error(`vectors (${vectors.length} numbers) are not rows of dimension ${dim}`);
    }
    const n = vectors.length / dim;
    const expansionSearch = options.expansionSearch ?? 160;
    if (n === 0 || n < (options.approximateFrom ?? APPROXIMATE_FROM)) return new DenseIndex(vectors, dim, null, expansionSearch);
    const { Index } = nodeRequire('usearch') as { Index: new (config: object) => UsearchIndex };
    const index = new Index({
      dimensions: dim,
      metric: 'ip',
      quantization: options.quantization ?? 'i8',
      connectivity: 16,
      expansion_add: 128,
      expansion_search: expansionSearch,
    });
    for (let start = 0; start < n; start += BUILD_SLICE) {
      const end = Math.min(n, start + BUILD_SLICE);
      const keys = new BigUint64Array(end - start);
      for (let i = start; i < end; i++) keys[i - start] = BigInt(i);
      index.add(keys, vectors.subarray(start * dim, end * dim), options.threads ?? 1);
      options.onProgress?.(end, n);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return new DenseIndex(vectors, dim, index, expansionSearch);
  }

  /**
   * The index of the next build's vectors, reusing this one's approximate graph when little changed: removed rows
   * are filtered out of its answers and added rows scanned exactly beside it, until more than
   * `REBUILD_FROM_CHANGED` of the rows differ from the graph's; then (or below the threshold) it is built anew.
   * @param vectors the new matrix (n × dim)
   * @param rowOf this index's row → its row in `vectors`, or -1 when removed
   * @param added rows of `vectors` that are new, ascending
   * @example const next = await dense.updated(vectors, rowOf, Int32Array.of(1000, 1001))
   */
  async updated(vectors: Float32Array, rowOf: Int32Array, added: Int32Array, options: DenseIndexOptions = {}): Promise<DenseIndex> {
    const n = vectors.length / this.dim;
    if (!this.approximate || n < (options.approximateFrom ?? APPROXIMATE_FROM)) return DenseIndex.build(vectors, this.dim, options);
    const before = this.changes;
    const graphRows = before ? before.rowOf.map((row) => (row < 0 ? -1 : rowOf[row])) : rowOf;
    let removed = 0;
    for (const row of graphRows) if (row < 0) removed++;
    const since = before ? [...before.added].map((row) => rowOf[row]).filter((row) => row >= 0) : [];
    const all = Int32Array.from([...since, ...added]).sort();
    if (removed + all.length > REBUILD_FROM_CHANGED * n) return DenseIndex.build(vectors, this.dim, options);
    return new DenseIndex(vectors, this.dim, this.approximate, this.expansionSearch, { rowOf: graphRows, removed, added: all });
  }

  /** Rows added or removed since the approximate graph was built (kept beside it until `updated` rebuilds it). */
  get changedSinceBuilt(): number {
    return this.changes ? this.changes.removed + this.changes.added.length : 0;
  }

  /** An exact index (a scan) over `vectors`, whatever their number: nothing to build. */
  static exact(vectors: Float32Array, dim: number): DenseIndex {
    if (!Number.isInteger(dim) || dim <= 0 || vectors.length % dim !== 0) {
      throw new Error(`vectors (${vectors.length} numbers) are not rows of dimension ${dim}`);
    }
    return new DenseIndex(vectors, dim, null, 0);
  }

  /** How the index searches. */
  get kind(): 'exact' | 'approximate' {
    return this.approximate ? 'approximate' : 'exact';
  }

  get size(): number {
    return this.vectors.length / this.dim;
  }

  /**
   * The k most similar vectors, best first (ties by id). Exact below the threshold; above it, the approximate
   * index's candidates re-scored with the exact float32 similarity, so `similarity` is always exact.
   */
  search(query: Float32Array, k: number): DenseHit[] {
    if (query.length !== this.dim) throw new Error(`query has dimension ${query.length}, the index ${this.dim}`);
    const n = this.size;
    k = Math.min(Math.max(0, Math.floor(k)), n);
    if (k === 0) return [];
    let hits: DenseHit[];
    if (this.approximate) {
      // usearch widens its search to at least expansion_search; asking for more than k costs little and keeps the
      // re-scored top k close to the exact one.
      const want = Math.min(n, Math.max(k, Math.min(this.expansionSearch, 2 * k)));
      hits = this.searchGraph(this.approximate, query, want);
      // Rows added since the graph was built, scanned exactly and scored like the graph's.
      if (this.changes?.added.length) for (const { id } of this.scan(query, want, this.changes.added)) hits.push({ id, similarity: this.similarity(query, id) });
    } else {
      hits = (n >= NATIVE_SCAN_FROM ? this.nativeScan(query, k) : null) ?? this.scan(query, k);
    }
    return hits.sort((a, b) => b.similarity - a.similarity || a.id - b.id).slice(0, k);
  }

  /**
   * The graph's `want` nearest rows that still exist, re-scored exactly. Removed rows are skipped, asking the graph
   * for more (doubling) until enough are left.
   */
  private searchGraph(graph: UsearchIndex, query: Float32Array, want: number): DenseHit[] {
    const changes = this.changes;
    const graphSize = graph.size();
    let ask = Math.min(graphSize, changes?.removed ? want + Math.ceil((2 * want * changes.removed) / graphSize) + 8 : want);
    for (;;) {
      const hits: DenseHit[] = [];
      for (const key of graph.search(query, ask, 1).keys) {
        const row = changes ? changes.rowOf[Number(key)] : Number(key);
        if (row >= 0) hits.push({ id: row, similarity: this.similarity(query, row) });
      }
      if (!changes || hits.length >= Math.min(want, graphSize - changes.removed) || ask >= graphSize) return hits;
      ask = Math.min(graphSize, 2 * ask);
    }
  }

  /** The exact similarity of the query with one vector (for candidates found another way, e.g. by BM25). */
  similarity(query: Float32Array, id: number): number {
    const { vectors, dim } = this;
    let dot = 0;
    for (let j = 0, o = id * dim; j < dim; j++) dot += vectors[o + j] * query[j];
    return dot;
  }

  /**
   * The exact scan in usearch's native code (SIMD: about ten times the plain loop's speed), giving what `scan`
   * gives: its candidates are re-scored as `scan` scores them (float32) and sorted the same way. usearch sums in
   * another order, so its ranking may differ from ours by rounding at the k-th place: it is asked for a few more
   * than k, and when even the last of those could still tie with our k-th (many equal vectors), null says to scan.
   */
  private nativeScan(query: Float32Array, k: number): DenseHit[] | null {
    const n = this.size;
    const wanted = Math.min(n, k + NATIVE_SCAN_MARGIN);
    const { exactSearch } = nodeRequire('usearch') as { exactSearch: ExactSearch };
    const found = exactSearch(this.vectors, query, this.dim, wanted, 'ip', 1);
    const hits = Array.from(found.keys, (key) => ({ id: Number(key), similarity: Math.fround(this.similarity(query, Number(key))) }));
    hits.sort((a, b) => b.similarity - a.similarity || a.id - b.id);
    if (hits.length < Math.min(k, n)) return null;
    // Inner-product distance is 1 - similarity; a vector usearch left out is at most as similar as its last one.
    const lastOut = 1 - found.distances[found.distances.length - 1];
    if (wanted < n && lastOut + NATIVE_SCAN_ROUNDING >= hits[k - 1].similarity) return null;
    return hits.slice(0, k);
  }

  /**
   * Every vector's similarity (one tight loop), then the best k through a min-heap (no n-sized sort); most
   * similarities fall below the heap's worst and cost one comparison.
   */
  private scan(query: Float32Array, k: number, rows?: Int32Array): DenseHit[] {
    const { vectors, dim } = this;
    const n = rows ? rows.length : this.size;
    k = Math.min(k, n);
    const scores = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      const o = (rows ? rows[r] : r) * dim;
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += vectors[o + j] * query[j];
      scores[r] = dot;
    }
    const heapIds = new Int32Array(k);
    const heapScores = new Float32Array(k);
    let size = 0;
    for (let i = 0; i < n; i++) {
      const score = scores[i];
      if (size < k) {
        // Sift up.
        let c = size++;
        while (c > 0) {
          const p = (c - 1) >> 1;
          if (!worse(score, i, heapScores[p], heapIds[p])) break;
          heapScores[c] = heapScores[p];
          heapIds[c] = heapIds[p];
          c = p;
        }
        heapScores[c] = score;
        heapIds[c] = i;
      } else if (score > heapScores[0]) {
        // Replace the worst kept (ids rise, so an equal score never displaces it) and sift down.
        let c = 0;
        for (;;) {
          const l = 2 * c + 1;
          if (l >= k) break;
          const r = l + 1;
          const w = r < k && worse(heapScores[r], heapIds[r], heapScores[l], heapIds[l]) ? r : l;
          if (!worse(heapScores[w], heapIds[w], score, i)) break;
          heapScores[c] = heapScores[w];
          heapIds[c] = heapIds[w];
          c = w;
        }
        heapScores[c] = score;
        heapIds[c] = i;
      }
    }
    return Array.from({ length: size }, (_, h) => ({ id: rows ? rows[heapIds[h]] : heapIds[h], similarity: heapScores[h] }));
  }
}

/** Whether (score a, id a) ranks below (score b, id b): lower similarity, or equal similarity and a larger id. */
function worse(a: number, aId: number, b: number, bId: number): boolean {
  return a < b || (a === b && aId > bId);
}
