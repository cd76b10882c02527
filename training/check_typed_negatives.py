"""Checks that the typed-negatives option (train_cross_encoder.py --typed-from) leaves the shipped recipe alone:

    python training/check_typed_negatives.py      # a few seconds; needs ../shared/train (skips cleanly without it)

1. build_examples without typed negatives gives exactly the examples of the recipe before the option existed (a
   digest of 7 SQuAD train articles' examples, taken with that code, commit 00bfcee);
2. with typed negatives: the same questions, positives and order, the same-paragraph negatives kept, and only
   questions of a clear kind whose answer sentence holds one changed, each changed negative holding no span of it;
3. the learning-rate schedule without --typed-from is the plain recipe's (warm-up 300, linear decay), and with it
   steps 1..S are the plain schedule of S steps.
"""
import hashlib
import json
import os
import sys
from types import SimpleNamespace

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from ce_data import build_examples, read_articles  # noqa: E402
from ce_types import holds_kind, question_kind, question_words  # noqa: E402
from train_cross_encoder import schedule  # noqa: E402

DATA = os.path.join(HERE, "..", "..", "shared", "train", "squad-train.jsonl.gz")
DIGEST = "c64f7c6da88a2f43a28a05ce77a8ab9fcd71e4f071f5a8be05d1eacbf2433a6f"  # 2,089 examples


def main():
    # 3. the schedule needs no data
    plain = schedule(SimpleNamespace(steps=3500, null_from=None, typed_from=None, lr=1e-3, lr2=3e-4))
    for s in range(3500):
        expected = min((s + 1) / 300, max(0.0, (3500 - s) / (3500 - 300)))
        assert abs(plain(s) - expected) < 1e-12, f"plain schedule changed at step {s}"
    typed = schedule(SimpleNamespace(steps=4300, null_from=None, typed_from=3500, lr=1e-3, lr2=3e-4))
    assert all(abs(typed(s) - plain(s)) < 1e-12 for s in range(3500)), "steps before --typed-from differ from the plain schedule"
    assert typed(3500) > 0 and abs(max(typed(s) for s in range(3500, 4300)) - 0.3) < 1e-9, "second phase should peak at lr2/lr"
    print("schedule: plain recipe unchanged; --typed-from keeps steps 1..S and adds its own warm-up and decay")

    if not os.path.exists(DATA):
        print(f"skipped the data checks: {DATA} is missing (../shared beside the checkout)")
        return
    articles = read_articles(DATA)
    titles = sorted(articles)
    sub = {t: articles[t] for t in titles[1:50:7]}
    base = build_examples(sub, 7, 13)
    digest = hashlib.sha256(json.dumps(base).encode()).hexdigest()
    assert digest == DIGEST, f"the default examples changed: {digest}"
    print(f"default examples: {len(base)}, identical to the recipe's (digest)")

    with_typed = build_examples(sub, 7, 13, typed=3)
    assert [(q, p) for q, p, _ in with_typed] == [(q, p) for q, p, _ in base], "typed negatives changed questions or order"
    changed = 0
    for (q, p, negs), (_, _, old) in zip(with_typed, base):
        if negs == old:
            continue
        changed += 1
        kind = question_kind(q)
        words = question_words(q)
        assert kind is not None and holds_kind(p, kind, words), f"changed a question of no clear kind: {q}"
        assert len(negs) == len(old) and negs[:3] == old[:3], f"the same-paragraph negatives must stay: {q}"
        for s in negs:
            if s not in old:
                assert not holds_kind(s, kind, words), f"a typed negative holds the asked kind: {q} / {s}"
    assert changed > 0, "no question got typed negatives"
    print(f"typed negatives: {changed} of {len(base)} questions changed, questions and order kept")


if __name__ == "__main__":
    main()
