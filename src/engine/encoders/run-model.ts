/**
 * One model call's worth of texts to mean-pooled, L2-normalised vectors: through the transformers.js pipeline, or,
 * for a model whose token vectors ignore their neighbours (the offline one), as one unpadded sequence pooled here.
 */
import { Tensor, type FeatureExtractionPipeline } from '@huggingface/transformers';

/** L2-normalises each row in place; zero rows stay zero (transformers.js' own normalize would give NaN). */
function normalizeRows(data: Float32Array, rows: number, dim: number): void {
  for (let r = 0; r < rows; r++) {
    const off = r * dim;
    let s = 0;
    for (let d = 0; d < dim; d++) s += data[off + d] * data[off + d];
    if (!(s > 0) || !Number.isFinite(s)) {
      data.fill(0, off, off + dim);
      continue;
    }
    const inv = 1 / Math.sqrt(s);
    for (let d = 0; d < dim; d++) data[off + d] *= inv;
  }
}

/**
 * A model with no layers (`num_hidden_layers: 0`, like the offline lookup table) gives every token a vector that does
 * not depend on its neighbours, so many texts can go through ONE model call as a single unpadded sequence and be
 * mean-pooled per text here: same result as the pipeline, ~2.5x faster (no padding, far fewer calls).
 */
export function isContextFree(extractor: FeatureExtractionPipeline): boolean {
  const config = (extractor.model as unknown as { config?: { model_type?: string; num_hidden_layers?: number } }).config;
  return config?.model_type === 'bert' && config.num_hidden_layers === 0;
}

/** Tokens per model call on the context-free path (bounds the output tensor to ~6 MB). */
const TOKENS_PER_CALL = 16_384;
/** Same limit as the tokenizer's truncation: [CLS] + 510 tokens + [SEP]. */
const MAX_CONTENT_TOKENS = 510;

async function runContextFree(extractor: FeatureExtractionPipeline, texts: string[], dim: number): Promise<Float32Array> {
  const out = new Float32Array(texts.length * dim);
  const ids = texts.map((t) => extractor.tokenizer.encode(t, { add_special_tokens: false }).slice(0, MAX_CONTENT_TOKENS));
  let start = 0;
  while (start < texts.length) {
    let end = start;
    let n = 0;
    while (end < texts.length && (end === start || n + ids[end].length <= TOKENS_PER_CALL)) n += ids[end++].length;
    if (n > 0) {
      const flat = new BigInt64Array(n);
      let o = 0;
      for (let i = start; i < end; i++) for (const id of ids[i]) flat[o++] = BigInt(id);
      const feeds = {
        input_ids: new Tensor('int64', flat, [1, n]),
        attention_mask: new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
      };
      const result = (await extractor.model(feeds)) as { last_hidden_state: Tensor };
      const h = result.last_hidden_state.data as Float32Array;
      let pos = 0;
      for (let i = start; i < end; i++) {
        const row = i * dim;
        for (let t = 0; t < ids[i].length; t++, pos++) {
          const src = pos * dim;
          for (let d = 0; d < dim; d++) out[row + d] += h[src + d];
        }
      }
    }
    start = end;
  }
  normalizeRows(out, texts.length, dim);
  return out;
}

/** Mean-pooled and L2-normalised embeddings (zero rows stay zero). */
export async function runModel(extractor: FeatureExtractionPipeline, texts: string[], dim?: number): Promise<{ data: Float32Array; dim: number }> {
  if (dim && isContextFree(extractor)) return { data: await runContextFree(extractor, texts, dim), dim };
  const out = await extractor(texts, { pooling: 'mean', normalize: false });
  const outDim = out.dims[out.dims.length - 1];
  const data = out.data instanceof Float32Array ? out.data : Float32Array.from(out.data as ArrayLike<number>);
  normalizeRows(data, texts.length, outDim);
  return { data, dim: outDim };
}
