/**
 * The files of the offline model folder, as bytes: the ONNX graph (an int8 lookup table dequantised per row) and the
 * BERT `tokenizer.json`. Kept apart from the build script so the script reads as the steps of the build.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
export const MAX_LENGTH = 512;

/** Symmetric int8 quantisation with one float32 scale per row (max |x| maps to 127). */
export function quantize(table: Float64Array, rows: number, dim: number): { q: Int8Array; scale: Float32Array } {
  const q = new Int8Array(rows * dim);
  const scale = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const off = r * dim;
    let max = 0;
    for (let d = 0; d < dim; d++) max = Math.max(max, Math.abs(table[off + d]));
    if (max === 0) continue;
    const s = Math.fround(max / 127);
    scale[r] = s;
    for (let d = 0; d < dim; d++) q[off + d] = Math.max(-127, Math.min(127, Math.round(table[off + d] / s)));
  }
  return { q, scale };
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  // Copy, so the protobuf writer sees exactly these bytes (little-endian on every platform Node supports).
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

/** The ONNX graph: int8 lookup, dequantised by the per-row scale, padding positions zeroed by the mask. */
export function onnxModelBytes(q: Int8Array, scale: Float32Array, rows: number, dim: number): Uint8Array {
  const T = onnx.TensorProto.DataType;
  const A = onnx.AttributeProto.AttributeType;
  const tensorType = (elemType: number, dims: (string | number)[]) => ({
    tensorType: {
      elemType,
      shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  });
  const graph = onnx.GraphProto.create({
    name: 'glove_sif_lookup',
    input: [
      { name: 'input_ids', type: tensorType(T.INT64, ['batch_size', 'sequence_length']) },
      { name: 'attention_mask', type: tensorType(T.INT64, ['batch_size', 'sequence_length']) },
    ],
    output: [{ name: 'last_hidden_state', type: tensorType(T.FLOAT, ['batch_size', 'sequence_length', dim]) }],
    initializer: [
      { name: 'table', dataType: T.INT8, dims: [rows, dim], rawData: bytesOf(q) },
      { name: 'scale', dataType: T.FLOAT, dims: [rows], rawData: bytesOf(scale) },
      { name: 'last_axis', dataType: T.INT64, dims: [1], rawData: bytesOf(new BigInt64Array([-1n])) },
    ],
    node: [
      { name: 'gather_rows', opType: 'Gather', input: ['table', 'input_ids'], output: ['rows_q'], attribute: [{ name: 'axis', type: A.INT, i: 0 }] },
      { name: 'dequant_cast', opType: 'Cast', input: ['rows_q'], output: ['rows_f'], attribute: [{ name: 'to', type: A.INT, i: T.FLOAT }] },
      { name: 'gather_scale', opType: 'Gather', input: ['scale', 'input_ids'], output: ['row_scale'], attribute: [{ name: 'axis', type: A.INT, i: 0 }] },
      { name: 'mask_cast', opType: 'Cast', input: ['attention_mask'], output: ['mask_f'], attribute: [{ name: 'to', type: A.INT, i: T.FLOAT }] },
      { name: 'mask_scale', opType: 'Mul', input: ['row_scale', 'mask_f'], output: ['masked_scale'] },
      { name: 'unsqueeze', opType: 'Unsqueeze', input: ['masked_scale', 'last_axis'], output: ['masked_scale_3d'] },
      { name: 'dequant_mul', opType: 'Mul', input: ['rows_f', 'masked_scale_3d'], output: ['last_hidden_state'] },
    ],
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'quotebot build-offline-model',
    producerVersion: '1',
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

export function tokenizerJson(vocab: readonly string[]): string {
  const ids: Record<string, number> = {};
  SPECIAL_TOKENS.forEach((t, i) => (ids[t] = i));
  vocab.forEach((w, i) => (ids[w] = SPECIAL_TOKENS.length + i));
  const special = (id: string) => ({ SpecialToken: { id, type_id: 0 } });
  const tokenizer = {
    version: '1.0',
    truncation: { direction: 'Right', max_length: MAX_LENGTH, strategy: 'LongestFirst', stride: 0 },
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: true, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]')],
      pair: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]'), { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: ids,
    },
  };
  return JSON.stringify(tokenizer);
}

