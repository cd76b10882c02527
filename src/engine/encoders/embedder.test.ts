/**
 * The embedder and the offline-model conversion, against the real transformers.js pipeline (no mocks).
 */
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env, LogLevel, pipeline } from '@huggingface/transformers';
import { buildOfflineModel, sifTable } from '../../../scripts/build-offline-model';
import { loadEmbedder, OFFLINE_MODEL, type Embedder } from './embedder';

const tmpDirs: string[] = [];
async function tmp(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `quotebot-${prefix}-`));
  tmpDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true })));
});

function row(v: Float32Array, i: number, dim: number): Float32Array {
  return v.subarray(i * dim, (i + 1) * dim);
}
function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}
const noWarn = (m: string) => {
  throw new Error(`unexpected warning: ${m}`);
};

describe('offline embedder', () => {
  let cacheDir: string;
  let embedder: Embedder;
  beforeAll(async () => {
    cacheDir = await tmp('cache');
    embedder = await loadEmbedder({ cacheDir, warn: noWarn });
  });

  it('loads the bundled model and embeds unit vectors with sensible similarities', async () => {
    expect(OFFLINE_MODEL).toMatch(/models[\\/]glove-sif-100d$/);
    expect(embedder.model).toBe('glove-sif-100d (offline)');
    expect(embedder.dim).toBe(100);
    const texts = ['Obama met Putin', 'The US president talked with the Russian leader', 'A recipe for banana bread'];
    const v = await embedder.embed(texts, { cache: false });
    expect(v.length).toBe(3 * 100);
    for (let i = 0; i < 3; i++) expect(norm(row(v, i, 100))).toBeCloseTo(1, 5);
    const close = dot(row(v, 0, 100), row(v, 1, 100));
    const far = dot(row(v, 0, 100), row(v, 2, 100));
    expect(close).toBeGreaterThan(far + 0.3);
  });

  it('knows rare names and gives an out-of-vocabulary-only text a zero vector, not NaN', async () => {
    const v = await embedder.embed(['Peskov', 'Lavrov in Hangzhou', 'zzqxwv qqqplk', ''], { cache: false });
    expect(norm(row(v, 0, 100))).toBeCloseTo(1, 5);
    expect(norm(row(v, 1, 100))).toBeCloseTo(1, 5);
    expect([...row(v, 2, 100)].every((x) => x === 0)).toBe(true);
    expect([...row(v, 3, 100)].every((x) => x === 0)).toBe(true);
  });

  it('in slices (a reload) runs the model on small batches, the same vectors as the big batches of a build', async () => {
    // 512 texts per call held the thread 50–110 ms in a reload after a 5 MB upload; a slice is ~10 ms.
    const texts = Array.from({ length: 1500 }, (_, i) => `Report ${i} of the council on ${['ferries', 'storms', 'harbours'][i % 3]} and day ${i % 31}.`);
    const batches = { build: [] as number[], reload: [] as number[] };
    const built = await embedder.embed(texts, { cache: false, onComputed: (n) => batches.build.push(n) });
    const reloaded = await embedder.embed(texts, { cache: false, onComputed: (n) => batches.reload.push(n), inSlices: true });
    expect(Math.max(...batches.build)).toBe(512);
    expect(Math.max(...batches.reload)).toBeLessThanOrEqual(64);
    expect(reloaded).toEqual(built);
  });

  it('caches on disk: a second embedder over the same cache computes only new texts', async () => {
    const texts = ['The talks lasted two hours.', 'Both leaders spoke to reporters afterwards.', 'The talks lasted two hours.'];
    const before = embedder.computed;
    const first = await embedder.embed(texts);
    expect(embedder.computed - before).toBe(2); // the duplicate is computed once
    await embedder.flush();
    const second = await loadEmbedder({ cacheDir, warn: noWarn });
    const again = await second.embed(texts);
    expect(second.computed).toBe(0);
    expect([...again]).toEqual([...first]);
    const more = await second.embed([...texts, 'A new sentence about the summit.']);
    expect(second.computed).toBe(1);
    expect([...more.subarray(0, first.length)]).toEqual([...first]);
  });

  it('serves concurrent calls from the cache, and only warns when the cache cannot be written', async () => {
    const texts = ['Concurrent one.', 'Concurrent two.'];
    await embedder.embed(texts);
    await embedder.flush();
    const b = await loadEmbedder({ cacheDir, warn: noWarn });
    await Promise.all([b.embed(texts), b.embed(texts), b.embed([texts[0]])]);
    expect(b.computed).toBe(0);

    const blocked = path.join(await tmp('blocked'), 'file-not-folder');
    await writeFile(blocked, 'x'); // the cache "folder" is a file: nothing can be written under it
    const warnings: string[] = [];
    const c = await loadEmbedder({ cacheDir: blocked, warn: (m) => warnings.push(m) });
    await c.embed(texts);
    await c.flush();
    await c.flush();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('embedding cache');
  }, 30_000);

  it('rewrites the cache compactly after a full build when most entries are stale', async () => {
    const dir = await tmp('compact');
    const texts = Array.from({ length: 1200 }, (_, i) => `Sentence number ${i} about the summit.`);
    const a = await loadEmbedder({ cacheDir: dir, warn: noWarn });
    await a.embed(texts);
    await a.flush();
    const [file] = await readdir(path.join(dir, 'embeddings'));
    const full = path.join(dir, 'embeddings', file);
    const big = (await readFile(full)).length;
    const b = await loadEmbedder({ cacheDir: dir, warn: noWarn });
    await b.embed(texts.slice(0, 100));
    expect(b.computed).toBe(0);
    await b.flush({ compact: true });
    const small = (await readFile(full)).length;
    expect(small).toBeLessThan(big / 5);
    const c = await loadEmbedder({ cacheDir: dir, warn: noWarn });
    await c.embed(texts.slice(0, 100));
    expect(c.computed).toBe(0);
  });

  it('survives a corrupt or truncated cache file', async () => {
    const dir = await tmp('corrupt');
    const texts = ['Sanctions were discussed at length.', 'The ministers met in Geneva.', 'No agreement was reached.'];
    const a = await loadEmbedder({ cacheDir: dir, warn: noWarn });
    const expected = await a.embed(texts);
    await a.flush();
    const [file] = await readdir(path.join(dir, 'embeddings'));
    const full = path.join(dir, 'embeddings', file);
    const size = (await readFile(full)).length;

    // Truncated in the middle of the last record: the intact records are reused, the file is repaired on flush.
    await truncate(full, size - 50);
    const b = await loadEmbedder({ cacheDir: dir, warn: noWarn });
    expect([...(await b.embed(texts))]).toEqual([...expected]);
    expect(b.computed).toBe(1);
    await b.flush();
    expect((await readFile(full)).length).toBe(size);

    // Garbage: ignored with one warning and recomputed.
    await writeFile(full, Buffer.from('this is not an embedding cache at all'.repeat(50)));
    const warnings: string[] = [];
    const c = await loadEmbedder({ cacheDir: dir, warn: (m) => warnings.push(m) });
    const got = await c.embed(texts);
    expect(c.computed).toBe(3);
    expect(warnings).toEqual([expect.stringMatching(/embedding cache .* damaged/)]);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i], 6);
    await c.flush();
    const d = await loadEmbedder({ cacheDir: dir, warn: noWarn });
    await d.embed(texts);
    expect(d.computed).toBe(0);
  });
});

describe('fallback to the offline model', () => {
  it('warns once and falls back when EMBEDDING_MODEL is a missing folder', async () => {
    const warnings: string[] = [];
    const missing = path.join(os.tmpdir(), 'quotebot-no-such-model-folder');
    const e = await loadEmbedder({ model: missing, cacheDir: await tmp('fb1'), warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(missing);
    expect(warnings[0]).toContain('glove-sif-100d (offline)');
    expect(e.model).toBe('glove-sif-100d (offline)');
    expect(e.dim).toBe(100);
  });

  it('warns once and falls back when EMBEDDING_MODEL is a hub id that cannot be loaded', async () => {
    const warnings: string[] = [];
    const cacheDir = await tmp('fb2');
    const id = 'quotebot-test-nonexistent/definitely-not-a-model';
    const e = await loadEmbedder({ model: id, cacheDir, warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(id);
    expect(e.model).toBe('glove-sif-100d (offline)');
    const v = await e.embed(['hello world'], { cache: false });
    expect(norm(v)).toBeCloseTo(1, 5);
  }, 30_000);
});

describe('build-offline-model conversion', () => {
  const dim = 8;
  // A frequency-ordered word list of 3,000 entries: a few very frequent function words, filler, then content words.
  const words: string[] = ['the', ',', 'of', 'and', 'The', 'to', 'a', 'in'];
  for (let i = words.length; i < 2990; i++) words.push(`filler${i}`);
  words.push('cat', 'kitten', 'dog', 'puppy', 'car', 'truck', 'u.s.', 'banana', 'bread', 'zebra');
  // Deterministic vectors: animals share a direction, vehicles another, everything has a common offset.
  const vectors: Record<string, number[]> = {};
  words.forEach((w, i) => {
    const v = Array.from({ length: dim + 2 }, (_, d) => Math.sin(i * 7.1 + d * 1.3) * 0.3 + 0.5);
    if (['cat', 'kitten', 'dog', 'puppy'].includes(w)) v[0] += 3;
    if (['car', 'truck'].includes(w)) v[1] += 3;
    vectors[w] = v;
  });
  let outDir: string;
  beforeAll(async () => {
    outDir = path.join(await tmp('model'), 'tiny-sif');
    const result = await buildOfflineModel({ words, vectors, dim, outDir, vocabSize: 100_000 });
    // Punctuation, upper case and "u.s." are left out; the special tokens come first.
    expect(result.vocabCount).toBe(5 + words.filter((w) => /^[a-z0-9]+$/.test(w)).length);
  });

  it('writes a folder the real transformers.js pipeline loads, with SIF down-weighting of frequent words', async () => {
    env.logLevel = LogLevel.NONE;
    const tokenizer = JSON.parse(await readFile(path.join(outDir, 'tokenizer.json'), 'utf8'));
    expect(Object.keys(tokenizer.model.vocab).slice(0, 6)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the']);
    expect(Object.keys(tokenizer.model.vocab).some((w) => w.startsWith('##'))).toBe(false);

    const extractor = await pipeline('feature-extraction', outDir);
    const normalized = await extractor(['cat kitten', 'dog puppy', 'car truck'], { pooling: 'mean', normalize: true });
    expect(normalized.dims).toEqual([3, dim]);
    const v = normalized.data as Float32Array;
    expect(dot(row(v, 0, dim), row(v, 1, dim))).toBeGreaterThan(dot(row(v, 0, dim), row(v, 2, dim)));

    // Raw (unnormalised) mean vectors: frequent words carry little weight.
    const raw = (await extractor(['the of and', 'zebra banana bread', 'the of and zebra'], { pooling: 'mean' })).data as Float32Array;
    const frequent = norm(row(raw, 0, dim));
    const rare = norm(row(raw, 1, dim));
    expect(frequent).toBeLessThan(rare / 10);
    // Adding frequent words to a rare one barely changes its direction.
    const zebra = (await extractor(['zebra'], { pooling: 'mean', normalize: true })).data as Float32Array;
    const mixed = row(raw, 2, dim);
    expect(dot(zebra, mixed) / norm(mixed)).toBeGreaterThan(0.99);
  });

  it('projects the common component out of every row', () => {
    const vocab = words.filter((w) => /^[a-z0-9]+$/.test(w));
    const ranks = vocab.map((w) => words.indexOf(w) + 1);
    const { table, component } = sifTable(vocab, ranks, vectors, dim, words.length);
    expect(norm(component)).toBeCloseTo(1, 6);
    for (let r = 0; r < table.length / dim; r++) expect(Math.abs(dot(table.subarray(r * dim, (r + 1) * dim), component))).toBeLessThan(1e-9);
  });

  it('is loaded from a local folder by the embedder, with the same vectors as the pipeline', async () => {
    const e = await loadEmbedder({ model: outDir, cacheDir: await tmp('local'), warn: noWarn });
    expect(e.model).toBe(outDir);
    expect(e.dim).toBe(dim);
    const texts = ['cat kitten', 'the dog and the puppy', 'truck', 'unknownword'];
    const ours = await e.embed(texts);
    const extractor = await pipeline('feature-extraction', outDir);
    const theirs = (await extractor(texts.slice(0, 3), { pooling: 'mean', normalize: true })).data as Float32Array;
    for (let i = 0; i < 3 * dim; i++) expect(ours[i]).toBeCloseTo(theirs[i], 5);
    expect([...row(ours, 3, dim)].every((x) => x === 0)).toBe(true);
  });
});
