"""Merges exported cross-encoders into one model folder whose graph scores a pair with every member and outputs the
mean of their logits, so the engine runs an ensemble as it runs one model (same inputs, one `logits` output, one
onnxruntime session).

    python training/merge_cross_encoders.py /tmp/ce-a /tmp/ce-b --out models/cross-encoder-squad

Each member is a folder train_cross_encoder.py wrote (config.json, vocab.txt, model.onnx). The members must tokenise
alike (the same config apart from "training" and "description", the same vocab.txt); the merged config keeps theirs and
lists each member's training under "members". Checks before writing: on the tokenisation fixture's pairs the merged
graph's logits equal the members' mean (to 1e-5). Written into models/cross-encoder-squad (the folder the engine loads),
it also rewrites the TypeScript tests' fixture with the merged graph's scores; written elsewhere, it leaves the fixture.
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, compose, helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from ce_tokenizer import CrossEncoderTokenizer  # noqa: E402
from export_cross_encoder import FIXTURE_PAIRS, onnx_inputs, write_fixture  # noqa: E402

# Config fields that may differ between members: what each was trained with, and its prose.
PER_MEMBER = ("training", "description")


def read_member(folder):
    config = json.load(open(os.path.join(folder, "config.json")))
    vocab = open(os.path.join(folder, "vocab.txt"), "rb").read()
    return config, vocab, onnx.load(os.path.join(folder, "model.onnx"))


def merged_graph(models, output):
    """One graph: every member's nodes under its own prefix, reading the shared inputs, then the mean of the logits."""
    first = models[0].graph
    nodes, initializers, value_info, logits = [], [], [], []
    for k, model in enumerate(models):
        if model.opset_import != models[0].opset_import:
            sys.exit("members differ in opset; export them with the same export_cross_encoder.py")
        member = compose.add_prefix(model, f"m{k}/", rename_inputs=False)
        nodes.extend(member.graph.node)
        initializers.extend(member.graph.initializer)
        value_info.extend(member.graph.value_info)
        logits.append(member.graph.output[0].name)
    scale = helper.make_tensor("ensemble/scale", TensorProto.FLOAT, [], [1.0 / len(models)])
    nodes.append(helper.make_node("Sum", logits, ["ensemble/sum"], name="ensemble/Sum"))
    nodes.append(helper.make_node("Mul", ["ensemble/sum", "ensemble/scale"], [output], name="ensemble/Mul"))
    graph = helper.make_graph(nodes, "cross-encoder-ensemble", list(first.input), list(first.output),
                              initializers + [scale], value_info=value_info)
    merged = helper.make_model(graph, opset_imports=models[0].opset_import, producer_name="merge_cross_encoders.py")
    merged.ir_version = models[0].ir_version
    onnx.checker.check_model(merged)
    return merged


def check_mean(merged_path, member_paths, folder, config):
    """The merged logits on the fixture pairs equal the members' mean."""
    with open(os.path.join(folder, "vocab.txt"), encoding="utf-8") as f:
        vocab = f.read().split("\n")[:-1]
    tok = CrossEncoderTokenizer(vocab, config["buckets"], config["max_length"], config["max_question"], config["common_rank"])
    _, feeds = onnx_inputs(tok, FIXTURE_PAIRS)
    run = lambda p: ort.InferenceSession(p, providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    want = np.mean([run(p) for p in member_paths], axis=0)
    got = run(merged_path)
    if not np.allclose(got, want, atol=1e-5):
        sys.exit(f"merged logits differ from the members' mean by up to {np.abs(got - want).max()}")
    return float(np.abs(got - want).max())


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("members", nargs="+", help="exported cross-encoder folders (two or more)")
    p.add_argument("--out", required=True)
    args = p.parse_args()
    if len(args.members) < 2:
        sys.exit("give two or more member folders")
    read = [read_member(m) for m in args.members]
    configs = [c for c, _, _ in read]
    shared = lambda c: {k: v for k, v in c.items() if k not in PER_MEMBER}
    for folder, (config, vocab, _) in zip(args.members[1:], read[1:]):
        if shared(config) != shared(configs[0]) or vocab != read[0][1]:
            sys.exit(f"{folder} tokenises differently from {args.members[0]} (config or vocab.txt): not mergeable")
    merged = merged_graph([m for _, _, m in read], configs[0]["output"])
    os.makedirs(args.out, exist_ok=True)
    out_model = os.path.join(args.out, "model.onnx")
    tmp = out_model + ".tmp"
    onnx.save(merged, tmp)
    drift = check_mean(tmp, [os.path.join(m, "model.onnx") for m in args.members], args.members[0], configs[0])
    os.replace(tmp, out_model)
    if os.path.abspath(args.members[0]) != os.path.abspath(args.out):
        shutil.copyfile(os.path.join(args.members[0], "vocab.txt"), os.path.join(args.out, "vocab.txt"))
    config = shared(configs[0])
    config["description"] = (f"Ensemble of {len(configs)} cross-encoders, each trained from scratch on SQuAD v1.1 train by "
                             "training/train_cross_encoder.py (see \"members\"), merged by training/merge_cross_encoders.py "
                             "into one graph whose output is the mean of the members' logits. Member: "
                             + configs[0]["description"])
    config["members"] = [c.get("training", {}) for c in configs]
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(args.out, "vocab.txt"), encoding="utf-8") as f:
        vocab = f.read().split("\n")[:-1]
    tok = CrossEncoderTokenizer(vocab, config["buckets"], config["max_length"], config["max_question"], config["common_rank"])
    wrote = write_fixture(ort.InferenceSession(out_model, providers=["CPUExecutionProvider"]), tok, args.out, "training/merge_cross_encoders.py")
    size = os.path.getsize(out_model) / 1e6
    print(f"wrote {args.out}: {len(configs)} members, {size:.1f} MB, fixture logits within {drift:.1e} of the members' mean{wrote}")


if __name__ == "__main__":
    main()
