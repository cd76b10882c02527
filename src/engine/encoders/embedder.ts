/**
 * Sentence embeddings through transformers.js: the only module that imports it.
 *
 * By default the bundled offline model (`models/glove-sif-100d`, SIF-weighted GloVe, no network) is used; a local
 * model folder or a Hugging Face id can be configured instead, and if it cannot be loaded the embedder warns once
 * and falls back to the offline model. Embeddings are cached on disk (`embedding-cache.ts`), keyed by the model and
 * the SHA-1 of the exact text, so a warm rebuild only runs the model on new sentences.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { env, LogLevel, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { EmbeddingCache, textKey } from './embedding-cache';
import { isContextFree, runModel } from './run-model';
import { endOfSlice, runAtOnce, runInSlices, YIELD_EVERY, type Sliced } from '../slices';

/** The bundled offline model folder (committed to the repository; works with zero network). */
import { OFFLINE_MODEL } from './offline-model';

export { OFFLINE_MODEL };
const OFFLINE_NAME = 'glove-sif-100d (offline)';

export interface EmbedOptions {
  /** Look texts up in the on-disk cache and store new ones there (default true). */
  cache?: boolean;
  /** Texts done (from the cache or the model) out of the total, after each step. */
  onProgress?: (done: number, total: number) => void;
  /** How many texts of this call were run through the model (cache misses), after each step. */
  onComputed?: (count: number) => void;
  /**
   * Called from work run in slices (a reload, or a build while the bot answers "still starting"): model calls small
   * enough to fit a slice (`SLICE_BATCH`; a cold 250,000-sentence build embedded as fast: 7.9 s either way).
   */
  inSlices?: boolean;
}

export interface Embedder {
  /** Model name reported with every answer, e.g. "glove-sif-100d (offline)" or "Xenova/all-MiniLM-L6-v2". */
  readonly model: string;
  readonly dim: number;
  /** Identifies the model and its weights (name and a hash of its files): what caches of its vectors are keyed by. */
  readonly id: string;
  /** The model's local folder, where the parameters fitted for it are kept (null for a Hub model). */
  readonly folder: string | null;
  /** Embeds texts; returns texts.length × dim row-major, L2-normalised (an all-zero vector stays all zeros, never NaN).
   *  With cache (default true) each text is looked up by (model, exact text) in the on-disk cache first and only misses are computed. */
  embed(texts: string[], options?: EmbedOptions): Promise<Float32Array>;
  /** How many texts were actually run through the model since load, by every caller (for tests). */
  readonly computed: number;
  /**
   * Persist new cache entries (called after a build). `compact`: this process's calls asked for every text worth
   * keeping (a full build of the corpus), so a cache file mostly of other texts may be rewritten with only those.
   */
  flush(options?: { compact?: boolean }): Promise<void>;
}

/** Texts per pipeline call, length-sorted (measured, offline model, 2 cores, 10.7k sentences: 16 -> 2.2 s, 32 -> 1.7 s,
 * 64 -> 1.8 s, 128 -> 2.1 s, 256 -> 3.5 s; unsorted 2.4..5.4 s). */
const PIPELINE_BATCH = 32;
/** Texts per step on the context-free path (~15k tokens, one model call each). */
const CONTEXT_FREE_BATCH = 512;
/** Texts per step on the context-free path when in slices: 512 held the thread 50–110 ms, 64 fit a slice (~8 ms). */
const SLICE_BATCH = 64;
/** A hub request that has not answered (headers) within this time is abandoned, so a black-holed network cannot hang start-up. */
const FETCH_HEADERS_TIMEOUT_MS = 20_000;

let quietDone = false;
/** transformers.js and onnxruntime must print nothing: our CLI's --json mode owns stdout. */
function quiet(): void {
  if (quietDone) return;
  quietDone = true;
  env.logLevel = LogLevel.NONE; // also sets onnxruntime's log level to 'fatal'
}

/** `fetch` that gives up when the response headers do not arrive in time (the body may then take as long as it needs). */
function fetchWithTimeout(base: typeof fetch): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${FETCH_HEADERS_TIMEOUT_MS / 1000} s`)), FETCH_HEADERS_TIMEOUT_MS);
    try {
      return await base(input, { ...init, signal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
  }) as typeof fetch;
}
const baseFetch: typeof fetch = globalThis.fetch.bind(globalThis);

type Source = { kind: 'folder'; folder: string; name: string } | { kind: 'hub'; id: string; name: string };

/** A configured model string -> local folder or hub id. Paths are absolute or relative to the working directory. */
function resolveSource(model: string | undefined): Source {
  if (!model) return { kind: 'folder', folder: OFFLINE_MODEL, name: OFFLINE_NAME };
  const home = /^~(?=$|[\\/])/.test(model);
  const abs = home ? path.join(os.homedir(), model.slice(1)) : path.resolve(model);
  const looksLikePath = home || path.isAbsolute(model) || model.startsWith('.') || model.includes('\\') || model.split('/').length > 2;
  if (abs === OFFLINE_MODEL) return { kind: 'folder', folder: OFFLINE_MODEL, name: OFFLINE_NAME };
  if (looksLikePath || existsSync(abs)) return { kind: 'folder', folder: abs, name: model };
  return { kind: 'hub', id: model, name: model };
}

/** The files of a model folder in the transformers.js layout that loading needs (and that identify the model). */
const MODEL_FILES = ['config.json', 'tokenizer.json', 'onnx/model.onnx'];

/** Identifies the model's weights, so a rebuilt or replaced model folder does not reuse stale cached vectors. */
async function fingerprint(source: Source): Promise<string> {
  if (source.kind === 'hub') return `hub:${source.id}`;
  const h = createHash('sha1');
  h.update(source.folder === OFFLINE_MODEL ? 'offline' : source.folder);
  for (const file of MODEL_FILES) {
    try {
      h.update(await readFile(path.join(source.folder, file)));
    } catch {
      h.update(`missing:${file}`);
    }
  }
  return h.digest('hex');
}

async function openPipeline(source: Source, cacheDir: string): Promise<FeatureExtractionPipeline> {
  quiet();
  env.allowLocalModels = true;
  env.cacheDir = path.join(cacheDir, 'models');
  env.fetch = fetchWithTimeout(baseFetch);
  if (source.kind === 'folder') {
    const missing = MODEL_FILES.filter((f) => !existsSync(path.join(source.folder, f)));
    if (!statSafe(source.folder)?.isDirectory()) throw new Error(`folder ${source.folder} does not exist`);
    if (missing.length) throw new Error(`folder ${source.folder} lacks ${missing.join(', ')} (expected the transformers.js layout)`);
    // An absolute path is not a valid hub id, so transformers.js reads it directly; never go online for a folder.
    return (await pipeline('feature-extraction', source.folder, { local_files_only: true })) as FeatureExtractionPipeline;
  }
  env.allowRemoteModels = true;
  return (await pipeline('feature-extraction', source.id)) as FeatureExtractionPipeline;
}

function statSafe(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/** A call with fewer texts (a reload's changed sentences) looks them up in one pass over the cache file; a build's holds its records. */
const LOOKUP_BELOW = 5000;

class TransformersEmbedder implements Embedder {
  computed = 0;
  private readonly cache: EmbeddingCache;
  private flushWarned = false;

  constructor(
    readonly model: string,
    readonly folder: string | null,
    readonly dim: number,
    private readonly extractor: FeatureExtractionPipeline,
    cacheFile: string,
    readonly id: string,
    private readonly warn: (message: string) => void,
  ) {
    this.cache = new EmbeddingCache(cacheFile, id, dim, warn);
  }

  async embed(texts: string[], options: EmbedOptions = {}): Promise<Float32Array> {
    const { dim } = this;
    const useCache = options.cache !== false;
    const out = new Float32Array(texts.length * dim);
    const keys: string[] = [];
    // A reload's 30,000 new sentences take ~0.1 s to hash and look up: questions are answered meanwhile.
    if (useCache) for (const text of texts) if (keys.push(textKey(text)) % YIELD_EVERY === 0) await endOfSlice();
    const found = new Uint8Array(texts.length);
    if (useCache) await this.fromCache(keys, out, found);
    // Distinct texts still to compute -> the rows that want them.
    const todo = new Map<string, number[]>();
    for (let i = 0; i < texts.length; i++) {
      if (options.inSlices && i % YIELD_EVERY === 0) await endOfSlice();
      if (found[i]) continue;
      const rows = todo.get(texts[i]);
      if (rows) rows.push(i);
      else todo.set(texts[i], [i]);
    }
    const total = texts.length;
    let done = total - [...todo.values()].reduce((n, rows) => n + rows.length, 0);
    options.onProgress?.(done, total);
    // Only a reload's call gives turns here: a question's own embedding (answer.ts) would wait out a reload's slice.
    const sorting = byLength([...todo.keys()]);
    const pending = options.inSlices ? await runInSlices(sorting) : runAtOnce(sorting);
    const batchSize = !isContextFree(this.extractor) ? PIPELINE_BATCH : options.inSlices ? SLICE_BATCH : CONTEXT_FREE_BATCH;
    for (let start = 0; start < pending.length; start += batchSize) {
      const batch = pending.slice(start, start + batchSize);
      const { data } = await runModel(this.extractor, batch, dim);
      this.computed += batch.length;
      options.onComputed?.(batch.length);
      for (let b = 0; b < batch.length; b++) {
        const v = data.slice(b * dim, (b + 1) * dim);
        const rows = todo.get(batch[b])!;
        for (const i of rows) out.set(v, i * dim);
        if (useCache) this.cache.set(keys[rows[0]], v);
        done += rows.length;
      }
      options.onProgress?.(done, total);
      // Questions go on between batches (each holds the thread for its tokenising and pooling).
      if (start + batchSize < pending.length) await endOfSlice();
    }
    return out;
  }

  /** Fills the rows of `out` whose key the cache holds, marking them in `found`. */
  private async fromCache(keys: string[], out: Float32Array, found: Uint8Array): Promise<void> {
    const fill = (i: number, v: Float32Array | undefined) => {
      if (!v) return;
      out.set(v, i * this.dim);
      found[i] = 1;
    };
    if (keys.length === 0) return;
    if (keys.length < LOOKUP_BELOW) {
      const vectors = await this.cache.lookup(keys);
      keys.forEach((key, i) => fill(i, vectors.get(key)));
      return;
    }
    // The cache's records are held only for these lookups: a build's later steps do not carry them.
    await this.cache.open();
    try {
      for (let i = 0; i < keys.length; i++) {
        fill(i, this.cache.get(keys[i]));
        if ((i + 1) % YIELD_EVERY === 0) await endOfSlice();
      }
    } finally {
      this.cache.release();
    }
  }

  /** Caching is an optimisation: a cache folder that cannot be written is reported once, never fatal. */
  async flush(options: { compact?: boolean } = {}): Promise<void> {
    try {
      await this.cache.flush(options);
    } catch (err) {
      if (this.flushWarned) return;
      this.flushWarned = true;
      this.warn(`could not write the embedding cache ${this.cache.file}: ${reason(err)}; embeddings will be recomputed next time`);
    }
  }
}

/**
 * Distinct `texts` by length, then by UTF-16 code unit: similar lengths together, as each batch is padded to its
 * longest text. Sorted a length at a time, so in slices (one sort of a reload's 45,000 texts held the thread ~0.1 s).
 */
function* byLength(texts: string[]): Sliced<string[]> {
  const ofLength = new Map<number, string[]>();
  for (let i = 0; i < texts.length; i++) {
    const group = ofLength.get(texts[i].length);
    if (group) group.push(texts[i]);
    else ofLength.set(texts[i].length, [texts[i]]);
    if ((i + 1) % YIELD_EVERY === 0) yield;
  }
  const sorted: string[] = [];
  for (const length of [...ofLength.keys()].sort((a, b) => a - b)) {
    for (const text of ofLength.get(length)!.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) sorted.push(text);
    yield;
  }
  return sorted;
}

function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'model';
}

async function tryLoad(source: Source, cacheDir: string, warn: (message: string) => void): Promise<Embedder> {
  const extractor = await openPipeline(source, cacheDir);
  // One probe run checks the graph really executes and tells the dimension.
  const { dim } = await runModel(extractor, ['probe']);
  if (!Number.isInteger(dim) || dim <= 0) throw new Error(`model output has no usable dimension (${dim})`);
  const id = `${source.name}\n${await fingerprint(source)}`;
  const base = source.kind === 'folder' && source.folder === OFFLINE_MODEL ? 'glove-sif-100d' : slug(source.name);
  const hash = createHash('sha1').update(id).digest('hex').slice(0, 8);
  const file = path.join(cacheDir, 'embeddings', `${base}-${hash}-${dim}.bin`);
  return new TransformersEmbedder(source.name, source.kind === 'folder' ? source.folder : null, dim, extractor, file, id, warn);
}

function reason(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  let msg = (e?.message ?? String(err)).split('\n')[0];
  if (e?.cause?.message || e?.cause?.code) msg += `: ${e.cause.message ?? e.cause.code}`;
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ENETUNREACH|ETIMEDOUT|no answer within/.test(msg)) msg += ' (no network?)';
  return msg.length > 300 ? msg.slice(0, 297) + '...' : msg;
}

/**
 * Loads the configured embedding model, or the bundled offline one when `model` is unset or cannot be loaded
 * (then `warn` is called once with the model and the reason). Everything it writes goes under `cacheDir`.
 * @example const embedder = await loadEmbedder({ cacheDir: '.cache', warn: console.error })
 */
export async function loadEmbedder(options: { model?: string; cacheDir: string; warn: (message: string) => void }): Promise<Embedder> {
  const cacheDir = path.resolve(options.cacheDir);
  const source = resolveSource(options.model);
  try {
    return await tryLoad(source, cacheDir, options.warn);
  } catch (err) {
    if (source.kind === 'folder' && source.folder === OFFLINE_MODEL) {
      throw new Error(`the bundled offline model could not be loaded from ${OFFLINE_MODEL}: ${reason(err)}`);
    }
    const what = source.kind === 'hub' ? `Hugging Face model "${source.id}"` : `model folder "${source.folder}"`;
    options.warn(`EMBEDDING_MODEL: could not load ${what}: ${reason(err)}; using the offline model ${OFFLINE_NAME} instead`);
    return tryLoad(resolveSource(undefined), cacheDir, options.warn);
  }
}
