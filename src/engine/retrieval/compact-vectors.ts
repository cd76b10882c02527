/**
 * Sentence vectors in compact form: each row as int8 codes with its own scale, a quarter of float32's memory; what
 * the dense index keeps and a snapshot stores, and what a reload copies unchanged rows of.
 */

/**
 * The vectors in compact form: each row as int8 codes with its own scale (row ≈ codes × scale, scale = the row's
 * largest magnitude / 127), a quarter of float32's memory. Similarities computed from it differ from float32's by
 * about 1e-3 (measured on SQuAD and news dev: docs/scale.md, int8 vectors against float32).
 */
export interface CompactVectors {
  codes: Int8Array;
  scales: Float32Array;
}

/**
 * `vectors` (n × dim, row-major) in compact form.
 * @example compact(Float32Array.of(0.6, -0.8), 2) // { codes: Int8Array [95, -127], scales: Float32Array [0.0063] }
 */
export function compact(vectors: Float32Array, dim: number): CompactVectors {
  const n = vectors.length / dim;
  const codes = new Int8Array(vectors.length);
  const scales = new Float32Array(n);
  for (let i = 0, o = 0; i < n; i++, o += dim) {
    let max = 0;
    for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(vectors[o + j]));
    const scale = max / 127;
    scales[i] = scale;
    if (scale > 0) for (let j = 0; j < dim; j++) codes[o + j] = Math.round(vectors[o + j] / scale);
  }
  return { codes, scales };
}

/** Compact rows decoded back to float32 (code × scale). */
export function decode({ codes, scales }: CompactVectors, dim: number): Float32Array {
  const out = new Float32Array(codes.length);
  for (let i = 0, o = 0; i < scales.length; i++) for (let j = 0; j < dim; j++, o++) out[o] = codes[o] * scales[i];
  return out;
}
