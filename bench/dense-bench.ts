/**
 * Approximate nearest-neighbour libraries against the exact scan, on real sentence embeddings (bench/dense-vectors.ts):
 * build time, memory, query time and recall@k of the approximate top k against the exact top k.
 *
 *   npx tsx bench/dense-bench.ts --vectors /tmp/quotebot-vectors-1m --sizes 100000,1000000 [--libs usearch,hnswlib,dense] [--modules DIR]
 *
 * `usearch` measures raw usearch settings (up to 200,000 vectors: each 1M build takes minutes on one thread),
 * `dense` the DenseIndex module as the engine would use it.
 *
 * `--modules DIR` is a node_modules folder holding hnswlib-node (measured, not a dependency: see docs/scale.md). Prints one Markdown row per (size, library, setting).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Index, MetricKind, ScalarKind } from 'usearch';
import { countOption, scriptOptions } from '../src/cli/args';
import { DenseIndex } from '../src/engine/retrieval/dense-index';
import { percentile } from '../src/percentiles';

const usage = 'usage: npx tsx bench/dense-bench.ts --vectors PREFIX [--sizes N,N] [--libs usearch,hnswlib,dense] [--modules DIR] [--k 100] [--queries 500]';
const values = scriptOptions(
  process.argv.slice(2),
  {
    vectors: { type: 'string' },
    sizes: { type: 'string', default: '100000' },
    libs: { type: 'string', default: 'usearch,hnswlib' },
    modules: { type: 'string' },
    k: { type: 'string', default: '100' },
    queries: { type: 'string', default: '500' },
  },
  usage,
  ['vectors'],
);
const k = countOption(values.k, '--k', usage, 100);
const queryCount = countOption(values.queries, '--queries', usage, 500);
const sizes = values.sizes.split(',').map((n) => countOption(n, '--sizes', usage, 0));
const meta = JSON.parse(readFileSync(`${values.vectors}.json`, 'utf8')) as { dim: number; sentences: number; questions: number };
const asF32 = (file: string) => {
  const b = readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};
const all = asF32(`${values.vectors}.sentences.f32`);
const dim = meta.dim;
// Zero vectors (questions of unknown words only) have no neighbours to speak of: left out.
const queryAll = asF32(`${values.vectors}.questions.f32`);
const queries: Float32Array[] = [];
for (let q = 0; q < meta.questions && queries.length < queryCount; q++) {
  const v = queryAll.subarray(q * dim, (q + 1) * dim);
  if (v.some((x) => x !== 0)) queries.push(v);
}
/** hnswlib-node is not a dependency: measured from `--modules`. */
const requireCandidate = createRequire(values.modules ? path.join(path.resolve(values.modules), 'x.js') : import.meta.filename);
const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
const rss = () => process.memoryUsage().rss;

function dot(vectors: Float32Array, id: number, q: Float32Array): number {
  let sum = 0;
  for (let j = 0, o = id * dim; j < dim; j++) sum += vectors[o + j] * q[j];
  return sum;
}

/** The exact top k's k-th similarity: an approximate hit counts when it is at least as similar (ties are common
 * between near-duplicate copies, so matching ids alone would undercount). */
function exactKth(vectors: Float32Array, n: number, q: Float32Array): number {
  const scores = new Float32Array(n);
  for (let i = 0, o = 0; i < n; i++, o += dim) {
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += vectors[o + j] * q[j];
    scores[i] = dot;
  }
  return scores.sort()[n - k];
}

interface Candidate {
  name: string;
  build(vectors: Float32Array, n: number): void | Promise<void>;
  search(q: Float32Array): number[];
  free(): void;
}

function usearch(quantization: ScalarKind, connectivity: number, expansionSearch: number): Candidate {
  let index: Index | null;
  return {
    name: `usearch ${quantization} M=${connectivity} ef=${expansionSearch}`,
    build(vectors, n) {
      index = new Index({ dimensions: dim, metric: MetricKind.IP, quantization, connectivity, expansion_add: 128, expansion_search: expansionSearch, multi: false });
      const keys = new BigUint64Array(n);
      for (let i = 0; i < n; i++) keys[i] = BigInt(i);
      index.add(keys, vectors.subarray(0, n * dim), 1);
    },
    search(q) {
      return Array.from(index!.search(q, k, 1).keys, Number);
    },
    free() {
      index = null;
    },
  };
}

/** The module itself above its threshold: usearch candidates re-scored with the exact float32 similarity. */
function denseIndex(quantization: 'f16' | 'i8', expansionSearch: number): Candidate {
  let index: DenseIndex | null;
  return {
    name: `DenseIndex (usearch ${quantization}, ef=${expansionSearch}, re-scored)`,
    async build(vectors, n) {
      index = await DenseIndex.build(vectors.subarray(0, n * dim), dim, { approximateFrom: 0, quantization, expansionSearch });
    },
    search(q) {
      return index!.search(q, k).map((h) => h.id);
    },
    free() {
      index = null;
    },
  };
}

function hnswlib(m: number, ef: number): Candidate {
  const { HierarchicalNSW } = requireCandidate('hnswlib-node');
  let index: any;
  return {
    name: `hnswlib-node f32 M=${m} ef=${ef}`,
    build(vectors, n) {
      index = new HierarchicalNSW('ip', dim);
      index.initIndex({ maxElements: n, m, efConstruction: 128, randomSeed: 100 });
      for (let i = 0; i < n; i++) index.addPoint(Array.from(vectors.subarray(i * dim, (i + 1) * dim)), i);
      index.setEf(ef);
    },
    search(q) {
      return index.searchKnn(Array.from(q), k).neighbors;
    },
    free() {
      index = null;
    },
  };
}

const libs = values.libs.split(',');
console.log(`${queries.length} SQuAD dev questions, k = ${k}, dim ${dim}, one thread`);
console.log('| vectors | index | build s | memory (RSS growth) | query p50 / p95 ms | recall@k |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const n of sizes) {
  if (n > meta.sentences) throw new Error(`only ${meta.sentences} vectors in ${values.vectors}`);
  const truth = queries.map((q) => exactKth(all, n, q));
  // The exact scan as the engine would run it (DenseIndex below its threshold: one pass, a heap of k).
  const exact = await DenseIndex.build(all.subarray(0, n * dim), dim, { approximateFrom: Infinity });
  const exactTimes = queries.map((q) => {
    const t = performance.now();
    exact.search(q, k);
    return performance.now() - t;
  });
  console.log(`| ${n} | exact scan (DenseIndex, float32, JS) | 0 | ${mb(n * dim * 4)} (the vectors) | ${percentile(exactTimes, 50)!.toFixed(2)} / ${percentile(exactTimes, 95)!.toFixed(2)} | 1 |`);
  const candidates: Candidate[] = [];
  if (libs.includes('usearch') && n <= 200_000) {
    for (const quant of [ScalarKind.F32, ScalarKind.F16, ScalarKind.I8]) candidates.push(usearch(quant, 16, 160));
    candidates.push(usearch(ScalarKind.I8, 16, 320));
    candidates.push(usearch(ScalarKind.I8, 32, 320));
  }
  if (libs.includes('hnswlib')) candidates.push(hnswlib(16, 160));
  if (libs.includes('dense')) candidates.push(denseIndex('i8', 160), denseIndex('f16', 160));
  for (const c of candidates) {
    global.gc?.();
    const before = rss();
    let t = performance.now();
    await c.build(all, n);
    const build = (performance.now() - t) / 1000;
    const memory = rss() - before;
    const times: number[] = [];
    let found = 0;
    queries.forEach((q, i) => {
      t = performance.now();
      const ids = c.search(q);
      times.push(performance.now() - t);
      found += new Set(ids).size === ids.length ? ids.filter((id) => dot(all, id, q) >= truth[i] - 1e-6).length : 0;
    });
    console.log(`| ${n} | ${c.name} | ${build.toFixed(1)} | ${mb(memory)} | ${percentile(times, 50)!.toFixed(2)} / ${percentile(times, 95)!.toFixed(2)} | ${(found / (queries.length * k)).toFixed(3)} |`);
    c.free();
  }
}
