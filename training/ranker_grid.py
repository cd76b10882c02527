"""The rankers' hyper-parameter grid on an INTERNAL split of the ranker's SQuAD train articles (never SQuAD dev, news
or the seed): the first ranker (train_ranker.py) fits on the articles whose sorted index % 9 is 0..4 and is validated
on % 9 == 5; the second (train_ce_stage.py's stage, `stage` below) fits on the first's best TOP of the articles % 9 >= 6,
with the first ranker the chosen config fitted on 0..4 (unseen by both), and is validated on its best TOP of % 9 == 5.

    QUOTEBOT_DUMP=DUMP python training/ranker_grid.py ranker OUT.jsonl
    QUOTEBOT_DUMP=DUMP python training/ranker_grid.py stage OUT.jsonl num_leaves=15,rounds=300,min_data_in_leaf=50

Each line of OUT: a config's internal R@1 and MRR@5. Rounds 300 are the first 300 trees of the 600-round fit (the
same trees: training is deterministic and sequential), so 6 fits give the 12 configs. A config already in OUT is
skipped (a run can be resumed). Deterministic (QUOTEBOT_SEED, one thread). docs/measurements.md has the figures.
"""
import json
import os
import sys
import time

import lightgbm as lgb
import numpy as np
from scipy.stats import rankdata

from dump_rows import GROUPS, CandidateDump
from fit_options import parse_params, seed

DUMP = os.environ.get("QUOTEBOT_DUMP", "/tmp/quotebot-dump")
TOP = 20
LEAVES, ROUNDS, MIN_DATA = (15, 31, 63), (300, 600), (50, 200)
t0 = time.time()
dump = CandidateDump(DUMP)
X, labels, meta, rows = dump.X, dump.labels, dump.meta, dump.rows
titles = sorted({m["id"].split("#")[0] for m in meta if m["set"].startswith("squad-train")})  # as dump_rows.py sorts
fold_of = {t: i % GROUPS for i, t in enumerate(titles)}


def fold(folds):
    return dump.select(lambda m: m["set"] == "squad-train" and fold_of[m["id"].split("#")[0]] in folds)


FIT, VALID, STAGE_FIT = fold(range(5)), fold([5]), fold(range(6, GROUPS))


def lambdarank(x, y, groups, params):
    """A lambdarank fit with the recipe's parameters, `params` (num_leaves, rounds, min_data_in_leaf) over them."""
    p = {"objective": "lambdarank", "metric": "ndcg", "num_threads": 1, "deterministic": True, "force_row_wise": True,
         "seed": seed(), "verbose": -1, "learning_rate": 0.05, "min_data_in_leaf": 50, "feature_fraction": 0.9,
         "bagging_fraction": 0.8, "bagging_freq": 1, "lambdarank_truncation_level": 10, **params}
    rounds = p.pop("rounds")
    return lgb.train(p, lgb.Dataset(x, y, group=groups), num_boost_round=rounds)


def measure(scores, golds):
    """R@1 and MRR@5 over groups (a gold outside the candidates is a miss): `scores`/`golds` per group."""
    r1 = mrr = 0.0
    for s, g in zip(scores, golds):
        hits = [k for k, j in enumerate(np.argsort(-s, kind="stable")[:5]) if g[j] == 1]
        if hits:
            r1, mrr = r1 + (hits[0] == 0), mrr + 1 / (hits[0] + 1)
    return r1 / len(golds), mrr / len(golds)


def split(pred, sizes):
    return np.split(pred, np.cumsum(sizes)[:-1])


def first_ranker_rows(ids):
    x = np.concatenate([X[rows(i)] for i in ids])
    return x, np.concatenate([labels[rows(i)] for i in ids]), [meta[i]["n"] for i in ids]


def heads(model, ids):
    """The first ranker's best TOP of each group as train_ce_stage.py's stage rows (its `head`), and their labels."""
    ce_all = np.fromfile(os.path.join(DUMP, "ce.f32"), dtype=np.float32)
    out = []
    for i in ids:
        if meta[i]["n"] == 0:  # no candidates: a miss
            out.append((np.zeros((0, X.shape[1] + 7), np.float32), np.zeros(0, np.int32)))
            continue
        s = model.predict(X[rows(i)], num_threads=1)
        o = np.argsort(-s, kind="stable")[:TOP]
        ce = ce_all[rows(i)][o].astype(np.float64)
        share = np.exp(ce - ce.max())
        extra = np.stack([s[o], s[o[0]] - s[o], np.arange(len(o)), ce, ce.max() - ce, rankdata(-ce, method="ordinal") - 1, share / share.sum()], 1)
        out.append((np.concatenate([X[rows(i)][o], extra.astype(np.float32)], 1), labels[rows(i)][o]))
    return out


def run(out_file, fit, valid, fit_first=None):
    done = {json.dumps(json.loads(l)["config"], sort_keys=True) for l in open(out_file)} if os.path.exists(out_file) else set()
    xv, yv, gv = valid
    for leaves in LEAVES:
        for min_data in MIN_DATA:
            configs = [{"num_leaves": leaves, "rounds": r, "min_data_in_leaf": min_data} for r in ROUNDS]
            if all(json.dumps(c, sort_keys=True) in done for c in configs):
                continue
            model = lambdarank(*fit, {"num_leaves": leaves, "rounds": max(ROUNDS), "min_data_in_leaf": min_data})
            for c in configs:
                r1, mrr = measure(split(model.predict(xv, num_iteration=c["rounds"], num_threads=1), gv), split(yv, gv))
                line = {"config": c, "R@1": round(r1, 4), "MRR@5": round(mrr, 4), "seconds": round(time.time() - t0)}
                print(json.dumps(line), file=sys.stderr)
                with open(out_file, "a") as f:
                    f.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    mode, out_file = sys.argv[1], sys.argv[2]
    print(f"fit {len(FIT)}, valid {len(VALID)}, stage fit {len(STAGE_FIT)} groups ({time.time() - t0:.0f} s)", file=sys.stderr)
    fit = [i for i in FIT if "1" in meta[i]["labels"]]  # as train_ranker.py: groups with a gold candidate
    if mode == "ranker":
        run(out_file, first_ranker_rows(fit), first_ranker_rows(VALID))
    elif mode == "stage":
        first = lambdarank(*first_ranker_rows(fit), parse_params(sys.argv[3]))
        train = [h for h in heads(first, STAGE_FIT) if h[1].sum() > 0]  # as train_stage2: groups with a gold in the head
        valid = heads(first, VALID)
        print(f"first ranker {sys.argv[3]} fitted, heads built ({time.time() - t0:.0f} s)", file=sys.stderr)
        pack = lambda hs: (np.concatenate([h[0] for h in hs]), np.concatenate([h[1] for h in hs]), [len(h[1]) for h in hs])
        run(out_file, pack(train), pack(valid))
    else:
        sys.exit("usage: ranker_grid.py ranker|stage OUT.jsonl [first ranker's params]")
