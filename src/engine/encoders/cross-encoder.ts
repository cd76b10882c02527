/**
 * The cross-encoder: reads a question together with each candidate sentence and scores how well the
 * sentence answers it, catching answers phrased in other words than the question. Meant for the best few dozen
 * candidates of a cheaper retrieval (each pair costs a small transformer pass).
 *
 * The bundled model (`models/cross-encoder-squad`, built by `python training/train_cross_encoder.py`) is an ONNX graph
 * run through onnxruntime-node, which is imported only when a cross-encoder is loaded, so importing the rest of the engine
 * never loads onnxruntime.
 *
 * @example
 * const crossEncoder = await loadCrossEncoder(CROSS_ENCODER_MODEL);
 * const scores = await crossEncoder.score('How long did Obama and Putin meet?', [
 *   'The two leaders spoke for an hour and a half.',
 *   'The summit ended on Monday.',
 * ]); // scores[0] > scores[1]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { CrossEncoderTokenizer, WHITESPACE, type EncodedPair, type PreparedText } from './cross-encoder-tokenizer';

/** The bundled cross-encoder folder (committed to the repository). */
export const CROSS_ENCODER_MODEL: string = fileURLToPath(new URL('../../../models/cross-encoder-squad', import.meta.url));

export interface CrossEncoder {
  /** The model's name from its config.json, e.g. "cross-encoder-squad". */
  readonly model: string;
  /** One logit per sentence, in the order given: higher means more likely to answer the question. Comparable across
   *  the sentences of one question (not a probability). An empty list gives an empty array. */
  score(question: string, sentences: readonly string[]): Promise<Float32Array>;
  /** Frees the ONNX session. */
  release(): Promise<void>;
}

export interface CrossEncoderOptions {
  /** onnxruntime intra-op threads (default 1: the bot shares its machine; 2 is ~1.5x faster on 50 pairs). */
  threads?: number;
  /** How many sentences' tokens to keep between questions (default 5,000, about 2 KB each; 0 keeps none). */
  cachedSentences?: number;
}

/**
 * Pairs per ONNX run. The pairs run in order of length, a few at a time, so each run is padded only to its own
 * longest pair (the attention's cost grows with the square of the padded length): 20 pairs in 3 runs cost about 0.7
 * of one run. The int8 graph scales its activations per run, so a pair's score depends slightly on the pairs it runs
 * with (by about 0.01 logit): the same pairs always run together.
 */
const PAIRS_PER_RUN = 7;

/** The parts of the model folder's config.json the tokeniser and session need. */
interface ModelConfig {
  name: string;
  inputs: string[];
  output: string;
  vocab_size: number;
  buckets: number;
  max_length: number;
  max_question: number;
  common_rank: number;
  whitespace: string;
}

const FILES = ['config.json', 'vocab.txt', 'model.onnx'];

async function readConfig(dir: string): Promise<ModelConfig> {
  const config = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8')) as ModelConfig;
  if (config.whitespace !== WHITESPACE) throw new Error(`${dir}: its tokenisation (whitespace set) differs from this code's`);
  const expected = ['input_ids', 'segment_ids', 'match_ids', 'attention_mask'];
  if (config.inputs?.join() !== expected.join()) throw new Error(`${dir}: expected inputs ${expected.join(', ')}`);
  return config;
}

/**
 * Loads a cross-encoder folder (`config.json`, `vocab.txt`, `model.onnx`). Throws with the folder's name when a file
 * is missing or does not fit this code.
 */
export async function loadCrossEncoder(dir: string = CROSS_ENCODER_MODEL, options: CrossEncoderOptions = {}): Promise<CrossEncoder> {
  let config: ModelConfig;
  let vocab: string[];
  try {
    config = await readConfig(dir);
    vocab = (await readFile(path.join(dir, 'vocab.txt'), 'utf8')).split('\n');
  } catch (err) {
    throw new Error(`cannot load the cross-encoder from ${dir} (needs ${FILES.join(', ')}): ${(err as Error).message}`);
  }
  if (vocab.at(-1) === '') vocab.pop();
  if (vocab.length !== config.vocab_size) throw new Error(`${dir}: vocab.txt has ${vocab.length} words, config.json says ${config.vocab_size}`);
  const tokenizer = new CrossEncoderTokenizer(vocab, {
    buckets: config.buckets,
    maxLength: config.max_length,
    maxQuestion: config.max_question,
    commonRank: config.common_rank,
  });
  const ort = await import('onnxruntime-node');
  const threads = options.threads ?? 1;
  const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3, // errors only: our CLI's --json mode owns stdout
  });
  return new OnnxCrossEncoder(config, tokenizer, session, ort.Tensor, options.cachedSentences ?? 5_000);
}

class OnnxCrossEncoder implements CrossEncoder {
  readonly model: string;
  /** Sentences' tokens by text, oldest first (the same candidates come back question after question). */
  private readonly prepared = new Map<string, PreparedText>();

  constructor(
    private readonly config: ModelConfig,
    private readonly tokenizer: CrossEncoderTokenizer,
    private readonly session: InferenceSession,
    private readonly TensorClass: typeof Tensor,
    private readonly cachedSentences: number,
  ) {
    this.model = config.name;
  }

  async score(question: string, sentences: readonly string[]): Promise<Float32Array> {
    const preparedQuestion = this.tokenizer.prepare(question);
    const pairs = sentences.map((s) => this.tokenizer.encodePrepared(preparedQuestion, this.prepare(s)));
    const byLength = pairs.map((_, i) => i).sort((a, b) => pairs[a].inputIds.length - pairs[b].inputIds.length || a - b);
    const runs = Math.ceil(pairs.length / PAIRS_PER_RUN);
    const scores = new Float32Array(pairs.length);
    for (let r = 0; r < runs; r++) {
      const group = byLength.slice(Math.round((r * pairs.length) / runs), Math.round(((r + 1) * pairs.length) / runs));
      const result = await this.session.run(this.feeds(group.map((i) => pairs[i])));
      const logits = result[this.config.output].data as Float32Array;
      group.forEach((i, k) => (scores[i] = logits[k]));
    }
    return scores;
  }

  private prepare(sentence: string): PreparedText {
    const known = this.prepared.get(sentence);
    if (known) return known;
    const prepared = this.tokenizer.prepare(sentence);
    if (this.cachedSentences > 0) {
      if (this.prepared.size >= this.cachedSentences) this.prepared.delete(this.prepared.keys().next().value!);
      this.prepared.set(sentence, prepared);
    }
    return prepared;
  }

  /** Pads the pairs to the longest one: ids with [PAD], the attention mask with 0. */
  private feeds(pairs: EncodedPair[]): Record<string, Tensor> {
    const rows = pairs.length;
    const width = Math.max(...pairs.map((p) => p.inputIds.length));
    const ids = new BigInt64Array(rows * width).fill(BigInt(this.tokenizer.padId));
    const segments = new BigInt64Array(rows * width);
    const matches = new BigInt64Array(rows * width);
    const mask = new BigInt64Array(rows * width);
    pairs.forEach((p, r) => {
      const off = r * width;
      for (let i = 0; i < p.inputIds.length; i++) {
        ids[off + i] = BigInt(p.inputIds[i]);
        segments[off + i] = BigInt(p.segmentIds[i]);
        matches[off + i] = BigInt(p.matchIds[i]);
        mask[off + i] = 1n;
      }
    });
    const dims = [rows, width];
    return {
      input_ids: new this.TensorClass('int64', ids, dims),
      segment_ids: new this.TensorClass('int64', segments, dims),
      match_ids: new this.TensorClass('int64', matches, dims),
      attention_mask: new this.TensorClass('int64', mask, dims),
    };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
