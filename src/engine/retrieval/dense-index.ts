/**
 * Nearest sentences to a question vector: an exact scan below a size threshold, an approximate HNSW index
 * (usearch) from it on. Vectors are L2-normalised, so similarity is the dot product (= cosine).
 *
 * Why a threshold: the exact scan costs about 1 ms per 10,000 vectors of dimension 100 and needs no build, so for
 * a corpus of SQuAD's size it is both exact and fast enough; at a million vectors it takes ~100 ms per question,
 * while the approximate index answers in well under a millisecond at a recall@100 of about 0.99 (bench/dense-bench.ts).
 *
 * Vectors are kept as int8 codes with a scale per vector (`compact`: a quarter of float32's memory, and of the
 * snapshot's); an exact index also keeps them decoded to float32 (at most 80 MB below the threshold) for the
 * native scan; an approximate index re-scores its candidates from the codes.
 *
 * @example
 * const dense = await DenseIndex.build(vectors, 100);      // exact below APPROXIMATE_FROM vectors
 * dense.search(questionVector, 100);                        // [{ id: 42, similarity: 0.83 }, …], best first
 * dense.similarity(questionVector, 7);                      // the cosine of one sentence (as its compact form gives it)
 */
import { createRequire } from 'node:module';
import { compact, decode, type CompactVectors } from './compact-vectors';
import { bestOf } from './top-k';

export { compact, type CompactVectors };

/** From this many vectors on, `build` makes an approximate index (measured: docs/scale.md, Dense nearest neighbours). */
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
  dimensions(): number;
  save(file: string): void;
  view(file: string): void;
}

/**
 * What reloads changed since the approximate graph was built, kept beside it (and stored with it in a snapshot):
 * rebuilding the graph for one changed article would take minutes at a million sentences.
 */
export interface GraphChanges {
  /** Graph key (a row when the graph was built) → the row now, or -1 for a row since removed. */
  rowOf: Int32Array;
  /** Rows added since, not in the graph, ascending: scanned exactly. */
  added: Int32Array;
}

/** Changes with the count of removed rows (how much wider the graph is asked). */
type CountedChanges = GraphChanges & { removed: number };

function counted(changes: GraphChanges): CountedChanges {
  let removed = 0;
  for (const row of changes.rowOf) if (row < 0) removed++;
  return { ...changes, removed };
}

/** Share of rows added or removed since the graph was built from which `updated` builds a new graph. */
export const REBUILD_FROM_CHANGED = 0.05;

// usearch is a native addon loaded only when an index is large enough to need it.
const nodeRequire = createRequire(import.meta.url);

export class DenseIndex {
  private constructor(
    /**
     * Row-major n × dim float32 rows, for an exact index: the exact scan runs on them in native code (`nativeScan`).
     * Below the approximate index's threshold they cost little; above it they are not kept (null).
     */
    private readonly floats: Float32Array | null,
    /** The rows in compact form (int8 codes, a scale per row): what a snapshot stores, and what an approximate index re-scores with. */
    private readonly packed: CompactVectors | null,
    readonly dim: number,
    private readonly approximate: UsearchIndex | null,
    private readonly expansionSearch: number,
    private readonly changes: CountedChanges | null = null,
  ) {}

  /**
   * @param vectors n × dim, row-major, L2-normalised (a zero row is allowed: it is never anyone's neighbour by more
   * than 0); kept in compact form (and, for an exact index, decoded back from it)
   */
  static async build(vectors: Float32Array, dim: number, options: DenseIndexOptions = {}): Promise<DenseIndex> {
    checkRows(vectors.length, dim);
    return DenseIndex.fromCompact(compact(vectors, dim), dim, options);
  }

  /**
   * The index of vectors in compact form (as built, or read from a snapshot). With `approximateFile` (a file
   * written by `saveApproximate`, checked by the caller), the approximate index is mapped from it instead of built;
   * `changes` are the ones it carried beside its graph (`graphChanges`).
   */
  static async fromCompact(
    vectors: CompactVectors,
    dim: number,
    options: DenseIndexOptions & { approximateFile?: string; changes?: GraphChanges } = {},
  ): Promise<DenseIndex> {
    const { codes, scales } = vectors;
    checkRows(codes.length, dim);
    const n = codes.length / dim;
    if (scales.length !== n) throw new Error(`${scales.length} scales for ${n} vectors`);
    const expansionSearch = options.expansionSearch ?? 160;
    if (n === 0 || n < (options.approximateFrom ?? APPROXIMATE_FROM)) return new DenseIndex(decode(vectors, dim), vectors, dim, null, expansionSearch);
    const { Index } = nodeRequire('usearch') as { Index: new (config: object) => UsearchIndex };
    const index = new Index({
      dimensions: dim,
      metric: 'ip',
      quantization: options.quantization ?? 'i8',
      connectivity: 16,
      expansion_add: 128,
      expansion_search: expansionSearch,
    });
    if (options.approximateFile) {
      // Memory-mapped, not read: the pages are the file's, shared with the page cache and never copied.
      index.view(options.approximateFile);
      const changes = options.changes ? counted(options.changes) : null;
      const graphRows = changes ? changes.rowOf.length : n;
      if (index.size() !== graphRows || index.dimensions() !== dim) {
        throw new Error(`the approximate index holds ${index.size()} vectors of dimension ${index.dimensions()}, not ${graphRows} of ${dim}`);
      }
      if (changes && (changes.added.some((row) => row < 0 || row >= n) || changes.rowOf.some((row) => row >= n))) {
        throw new Error('the approximate index\'s changes name rows the index does not have');
      }
      return new DenseIndex(null, vectors, dim, index, expansionSearch, changes);
    }
    for (let start = 0; start < n; start += BUILD_SLICE) {
      const end = Math.min(n, start + BUILD_SLICE);
      const keys = new BigUint64Array(end - start);
      for (let i = start; i < end; i++) keys[i - start] = BigInt(i);
      const rows = decode({ codes: codes.subarray(start * dim, end * dim), scales: scales.subarray(start, end) }, dim);
      index.add(keys, rows, options.threads ?? 1);
      options.onProgress?.(end, n);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return new DenseIndex(null, vectors, dim, index, expansionSearch);
  }

  /**
   * The index of the next build's vectors, reusing this one's approximate graph when little changed: removed rows
   * are filtered out of its answers and added rows scanned exactly beside it, until more than
   * `REBUILD_FROM_CHANGED` of the rows differ from the graph's; then (or below the threshold) it is built anew.
   * @param vectors the new matrix (n × dim) in compact form
   * @param rowOf this index's row → its row in `vectors`, or -1 when removed
   * @param added rows of `vectors` that are new, ascending
   * @example const next = await dense.updated(vectors, rowOf, Int32Array.of(1000, 1001))
   */
  async updated(vectors: CompactVectors, rowOf: Int32Array, added: Int32Array, options: DenseIndexOptions = {}): Promise<DenseIndex> {
    const n = vectors.scales.length;
    if (!this.approximate || n < (options.approximateFrom ?? APPROXIMATE_FROM)) return DenseIndex.fromCompact(vectors, this.dim, options);
    const before = this.changes;
    const graphRows = before ? before.rowOf.map((row) => (row < 0 ? -1 : rowOf[row])) : rowOf;
    const since = before ? [...before.added].map((row) => rowOf[row]).filter((row) => row >= 0) : [];
    const changes = counted({ rowOf: graphRows, added: Int32Array.from([...since, ...added]).sort() });
    if (changes.removed + changes.added.length > REBUILD_FROM_CHANGED * n) return DenseIndex.fromCompact(vectors, this.dim, options);
    return new DenseIndex(null, vectors, this.dim, this.approximate, this.expansionSearch, changes);
  }

  /** Rows added or removed since the approximate graph was built (kept beside it until `updated` rebuilds it). */
  get changedSinceBuilt(): number {
    return this.changes ? this.changes.removed + this.changes.added.length : 0;
  }

  /** The approximate graph itself (shared by the indexes `updated` made from it), null for an exact index: whose file a snapshot may reuse. */
  get graph(): object | null {
    return this.approximate;
  }

  /** What reloads changed beside the approximate graph, for a snapshot to store with it; null when nothing did. */
  get graphChanges(): GraphChanges | null {
    return this.changes && { rowOf: this.changes.rowOf, added: this.changes.added };
  }

  /** An exact index (a scan) over float32 `vectors`, whatever their number: nothing to build, nothing compacted. */
  static exact(vectors: Float32Array, dim: number): DenseIndex {
    checkRows(vectors.length, dim);
    return new DenseIndex(vectors.length >= NATIVE_SCAN_FROM * dim ? atBufferStart(vectors) : vectors, null, dim, null, 0);
  }

  /** How the index searches. */
  get kind(): 'exact' | 'approximate' {
    return this.approximate ? 'approximate' : 'exact';
  }

  get size(): number {
    return this.packed ? this.packed.scales.length : this.floats!.length / this.dim;
  }

  /** The vectors in compact form, to store (views, not copies; made from the float32 rows of an `exact` index). */
  get vectors(): CompactVectors {
    return this.packed ?? compact(this.floats!, this.dim);
  }

  /** Writes the approximate index to `file` (usearch's format), for `fromCompact`'s `approximateFile`. */
  saveApproximate(file: string): void {
    if (!this.approximate) throw new Error('an exact index has no approximate index to save');
    this.approximate.save(file);
  }

  /**
   * The k most similar vectors, best first (ties by id). Exact below the threshold; above it, the approximate
   * index's candidates re-scored with the compact vectors, so `similarity` is always `similarity(query, id)`.
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

  /** The similarity of the query with one vector (for candidates found another way, e.g. by BM25). */
  similarity(query: Float32Array, id: number): number {
    const { floats, dim } = this;
    let dot = 0;
    if (floats) {
      for (let j = 0, o = id * dim; j < dim; j++) dot += floats[o + j] * query[j];
      return dot;
    }
    const { codes, scales } = this.packed!;
    for (let j = 0, o = id * dim; j < dim; j++) dot += codes[o + j] * query[j];
    return dot * scales[id];
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
    const found = exactSearch(atBufferStart(this.floats!), atBufferStart(query), this.dim, wanted, 'ip', 1);
    const hits = Array.from(found.keys, (key) => ({ id: Number(key), similarity: Math.fround(this.similarity(query, Number(key))) }));
    hits.sort((a, b) => b.similarity - a.similarity || a.id - b.id);
    if (hits.length < Math.min(k, n)) return null;
    // Inner-product distance is 1 - similarity; a vector usearch left out is at most as similar as its last one.
    const lastOut = 1 - found.distances[found.distances.length - 1];
    if (wanted < n && lastOut + NATIVE_SCAN_ROUNDING >= hits[k - 1].similarity) return null;
    return hits.slice(0, k);
  }

  /**
   * Every vector's similarity (one tight loop; or those of `rows`), then the best k (`bestOf`).
   */
  private scan(query: Float32Array, k: number, rows?: Int32Array): DenseHit[] {
    const { floats, dim } = this;
    const n = rows ? rows.length : this.size;
    k = Math.min(k, n);
    const scores = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      const row = rows ? rows[r] : r;
      // Without float32 rows (an approximate index scanning its added rows), from the compact ones.
      if (!floats) {
        scores[r] = this.similarity(query, row);
        continue;
      }
      let dot = 0;
      for (let j = 0, o = row * dim; j < dim; j++) dot += floats[o + j] * query[j];
      scores[r] = dot;
    }
    return bestOf(scores, k).map(({ index, score }) => ({ id: rows ? rows[index] : index, similarity: score }));
  }
}

/**
 * `a`, or a copy when it is a view into a larger buffer (a row of a batch; a snapshot reads term vectors into their
 * own): usearch's `exactSearch` reads from the buffer's start, whatever the view's offset (lib.cpp 2.26: `ArrayBuffer().Data()`).
 */
function atBufferStart(a: Float32Array): Float32Array {
  return a.byteOffset === 0 ? a : a.slice();
}

function checkRows(length: number, dim: number): void {
  if (!Number.isInteger(dim) || dim <= 0 || length % dim !== 0) throw new Error(`vectors (${length} numbers) are not rows of dimension ${dim}`);
}
