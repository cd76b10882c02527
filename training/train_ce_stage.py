"""Trains the cross-encoder stage (src/engine/ranking/rescore.ts): a second LightGBM lambdarank ranker over the learned
ranker's best TOP candidates, from their ranker features, the ranker's score and the cross-encoder's, and the
abstention model that follows it (it also weighs the cross-encoder's scores). Adds them to quotebot.json as
`crossEncoder`, beside the ranker and abstention it falls back on without the cross-encoder. One pass
(`npm run train:ranker` runs the three steps):

    npx tsx training/dump-candidates.ts --cross-encoder models/cross-encoder-squad   # ce.f32: every shortlisted row scored
    .venv/bin/python training/train_ranker.py                                    # the ranker, saved in the dump folder
    .venv/bin/python training/train_ce_stage.py                                  # ~2 min

The dump holds the cross-encoder's score of every candidate of each 40-candidate shortlist, and the ranker only
reorders that shortlist, so the best TOP of the ranker train_ranker.py just saved are all scored, whatever that ranker
is: no second dump after a ranker change (this stops with a message if a row it needs is unscored, e.g. a dump of the
older dump-candidates.ts that scored only the shipped ranker's best 20). The engine scores only the best TOP, in
runs of 7 quantised per run, so its scores differ slightly from the dump's (docs/development.md). The stage
names the cross-encoder the dump was scored with (features.json's `crossEncoder`). Deterministic (fixed seeds, one
thread). What is fitted on what: the second ranker on the SQuAD train questions of the articles whose sorted index
% 9 >= 6 (the first ranker was trained on the others, so its scores here are those of unseen questions); the
abstention on those articles' questions (over their group, their own article, another article, another group, and
the small corpora: `CandidateDump.abstention_squad`) plus one news year over its own / the other year's weeks;
figures for the year not fitted on. Nothing is fitted on SQuAD
dev or the seed.
"""
import json
import os
import sys
import time

import lightgbm as lgb
import numpy as np
from scipy.stats import rankdata

from dump_rows import CandidateDump
from fit_options import bag_seeds, fitted_model, ranker_file, stage_bag, stage_cell_weights, stage_dropped, stage_seed, stage_sets
from lgb_trees import fit_bag, flat_trees, load_model, missing_file

DUMP = os.environ.get("QUOTEBOT_DUMP", "/tmp/quotebot-dump")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "models", "glove-sif-100d", "quotebot.json")
TOP = int(os.environ.get("QUOTEBOT_CE_TOP", "20"))
ANSWER_SHARE = 0.98
EXTRA = ["rankerScore", "rankerGap", "rankerRank", "ce", "ceGap", "ceRank", "ceShare"]  # rescore.ts RESCORE_EXTRA
CE_SIGNALS = ["ceBest", "ceMax", "ceMargin", "ceShare"]  # measured for the abstention, not shipped
BASE_SIGNALS = ["coverage", "cosine", "align", "alignSoft", "paragraphCoverage", "paragraphAlign", "missingNames", "missingIdf",
                "bm25Raw", "logCorpus", "unknownShare", "statement"]

t0 = time.time()
doc = fitted_model(OUT)  # checked before the dump loads: without train_ranker.py's output there is nothing to add to
dump = CandidateDump(DUMP)
meta, info, X, labels = dump.meta, dump.info, dump.X, dump.labels
NAMES, F = dump.names, dump.count
ranker_question, rows, select = dump.ranker_question, dump.rows, dump.select
if not os.path.exists(os.path.join(DUMP, "ce.f32")):
    sys.exit(f"{DUMP} has no ce.f32: dump with --cross-encoder DIR (npx tsx training/dump-candidates.ts --cross-encoder models/cross-encoder-squad)")
CE = np.fromfile(os.path.join(DUMP, "ce.f32"), dtype=np.float32)
if not len(X) == len(CE):
    sys.exit(f"{DUMP}: features.f32 has {len(X)} rows, ce.f32 {len(CE)} scores: an unfinished dump? dump again with --cross-encoder")
if TOP > info["shortlist"]:
    sys.exit(f"QUOTEBOT_CE_TOP={TOP} exceeds the dump's shortlist of {info['shortlist']}")
# The cross-encoder the dump was scored with, as the stage names it (relative to quotebot.json's folder). Dumps
# written before the cross-encoder's code took its name store it under `reranker`: still read.
SCORED_WITH = info.get("crossEncoder", info.get("reranker", "models/cross-encoder-squad"))
CE_MODEL = os.path.relpath(os.path.join(ROOT, SCORED_WITH), os.path.dirname(OUT))
S2_NAMES = NAMES + EXTRA
ANAMES = ["score", "margin"] + BASE_SIGNALS + CE_SIGNALS


DROPPED = stage_dropped(doc["fitted"])  # train_ranker.py's QUOTEBOT_DROP: this stage leaves them out too
SEED = stage_seed(doc["fitted"])  # train_ranker.py's QUOTEBOT_SEED: this stage fits at it, and reads that seed's ranker
# train_ranker.py saves the ranker beside the features it fitted on: for dump-candidates.ts --compare-cross-encoder's
# OUT/compare/, whose features.f32 links to OUT's, that is OUT.
BAG = stage_bag(doc["fitted"])  # train_ranker.py's QUOTEBOT_BAG: this stage's ranker averages as many fits
RANKER = ranker_file(os.path.dirname(os.path.realpath(os.path.join(DUMP, "features.f32"))), doc["fitted"]["ranker"], DROPPED, SEED, BAG)
MISSING = missing_file(RANKER, BAG)  # RANKER itself for one fit; a bag's fits are RANKER's -0.txt, -1.txt, ...
if MISSING is not None:
    sys.exit(f"{MISSING} is missing: run train_ranker.py first (QUOTEBOT_DUMP={os.path.dirname(RANKER)})")
stage1 = load_model(RANKER, BAG)
P1 = stage1.predict(X, num_threads=1)


def head(i):
    """The first ranker's best TOP (its order), their second-stage rows, and their cross-encoder scores."""
    s = P1[rows(i)]
    o = np.argsort(-s, kind="stable")[:TOP]
    ce = CE[rows(i)][o].astype(np.float64)
    if len(o) == 0:
        return o, np.zeros((0, len(S2_NAMES)), np.float32), ce
    if np.isnan(ce).any():
        sys.exit(f"{DUMP}: {int(np.isnan(ce).sum())} of this ranker's best {TOP} for {meta[i]['set']} {meta[i]['id']} have no "
                 "cross-encoder score (a dump of an older dump-candidates.ts, which scored only the shipped ranker's best 20?): "
                 "dump again with --cross-encoder, which scores every shortlisted row")
    share = np.exp(ce - ce.max())
    extra = np.stack([s[o], s[o[0]] - s[o], np.arange(len(o)), ce, ce.max() - ce, rankdata(-ce, method="ordinal") - 1, share / share.sum()], 1)
    return o, np.concatenate([X[rows(i)][o], extra.astype(np.float32)], 1), ce


HEAD = {}


def cached_head(i):
    if i not in HEAD:
        HEAD[i] = head(i)
    return HEAD[i]


def train_stage2(ids):
    xs, ys, gs = [], [], []
    for i in ids:
        o, r, _ = cached_head(i)
        lab = labels[rows(i)][o]
        if lab.sum() > 0:
            xs.append(r), ys.append(lab), gs.append(len(o))
    p = {"objective": "lambdarank", "metric": "ndcg", "num_threads": 1, "deterministic": True, "force_row_wise": True,
         "verbose": -1, "learning_rate": 0.05, "min_data_in_leaf": 50, "feature_fraction": 0.9,
         "bagging_fraction": 0.8, "bagging_freq": 1, "lambdarank_truncation_level": 10, "num_leaves": 15}
    x = np.concatenate(xs)
    x[:, [NAMES.index(n) for n in DROPPED]] = 0  # dropped features stay in the row but carry nothing
    ds = lgb.Dataset(x, np.concatenate(ys), group=gs, feature_name=S2_NAMES, free_raw_data=False)
    return fit_bag(lambda s: lgb.train({**p, "seed": s}, ds, num_boost_round=300), bag_seeds(SEED, BAG))


FINAL = {}


def final(model, i):
    """Scores over the whole shortlist and the cross-encoder scores in the final order (NaN past the rescored)."""
    key = (id(model), i)
    if key not in FINAL:
        s = P1[rows(i)].copy()
        o, r, ce = cached_head(i)
        ce_row = np.full(len(s), np.nan)
        above = np.zeros(len(s))
        if len(o):
            if model is not None:
                s[o] = model.predict(r, num_threads=1)
                above[o] = 1  # the rescored stay above the rest (only the order: scores stay the second ranker's)
            ce_row[o] = ce
        order = np.lexsort((np.arange(len(s)), -s, -above))
        FINAL[key] = (s, order, ce_row[order])
    return FINAL[key]


def recall(model, ids):
    r1 = r3 = r5 = mrr = 0.0
    for i in ids:
        order = final(model, i)[1][:5]
        hits = [k for k, j in enumerate(order) if labels[rows(i)][j] == 1]
        if hits:
            r1, r3, r5, mrr = r1 + (hits[0] == 0), r3 + (hits[0] < 3), r5 + 1, mrr + 1 / (hits[0] + 1)
    n = max(1, len(ids))
    return {"R@1": r1 / n, "R@3": r3 / n, "R@5": r5 / n, "MRR@5": mrr / n}


news_year = {}
for k, line in enumerate(open(os.path.join(ROOT, "..", "shared", "eval", "news", "questions-dev.jsonl"))):
    if line.strip():
        news_year[f"news#{k}"] = json.loads(line)["file"][:4]
VALID = {"squad-dev": select(lambda m: m["set"] == "squad-dev"), "news": select(lambda m: m["set"] == "news")}
for y in ("2020", "2021"):
    VALID[f"news {y}"] = select(lambda m, y=y: m["set"] == "news" and news_year[m["id"]] == y)
model = train_stage2(select(lambda m: m["set"] == "squad-train" and not ranker_question(m)))
report = {"ranking": {}}
for name, ids in VALID.items():
    before, after = recall(None, ids), recall(model, ids)
    report["ranking"][name] = {"ranker": before, "cross-encoder stage": after}
    print(f"  {name}: ranker " + " ".join(f"{k} {v:.3f}" for k, v in before.items()) + " -> with the cross-encoder " +
          " ".join(f"{k} {v:.3f}" for k, v in after.items()), file=sys.stderr)


def abstain_row(m_model, i, use_ce):
    s, order, ce = final(m_model, i)
    if len(s) == 0:
        return None
    top = X[rows(i)][order[0]]
    second = s[order[1]] if len(s) > 1 else s[order[0]] - 5
    scored = np.sort(ce[~np.isnan(ce)])[::-1]
    share = np.exp(scored - scored[0])
    ce_sig = [ce[0], scored[0], scored[0] - (scored[1] if len(scored) > 1 else scored[0] - 5), np.exp(ce[0] - scored[0]) / share.sum()]
    base = [s[order[0]], s[order[0]] - second] + list(top[[NAMES.index(n) for n in BASE_SIGNALS]])
    return np.array(base + (ce_sig if use_ce else []), dtype=np.float64)


def domain(m):
    return m["set"] if not m["set"].startswith("squad-train") or not ranker_question(m) else None


def fit_abstention(m_model, ids, use_ce):
    data = [(abstain_row(m_model, i, use_ce), 1 if meta[i]["answerable"] else 0, domain(meta[i])) for i in ids]
    data = [d for d in data if d[0] is not None]
    x, y = np.array([d[0] for d in data]), np.array([d[1] for d in data])
    cells = {}
    for _, yy, dd in data:
        cells[(dd, yy)] = cells.get((dd, yy), 0) + 1
    w = np.array([CELL_WEIGHTS.get(dd, 1.0) / cells[(dd, yy)] for _, yy, dd in data])
    w *= len(w) / w.sum()
    booster = lgb.train(
        {"objective": "binary", "num_leaves": 7, "learning_rate": 0.05, "min_data_in_leaf": 100, "num_threads": 1,
         "deterministic": True, "force_row_wise": True, "seed": SEED, "verbose": -1},
        lgb.Dataset(x.astype(np.float32), y, weight=w, feature_name=ANAMES[: x.shape[1]]), num_boost_round=150)
    prob = probabilities(booster, x)
    pos = y == 1
    order = np.argsort(prob[pos])
    cum = np.cumsum(w[pos][order]) / w[pos].sum()
    return booster, float(prob[pos][order][np.searchsorted(cum, 1 - ANSWER_SHARE)])


def probabilities(booster, x):
    return 1 / (1 + np.exp(-booster.predict(np.asarray(x, dtype=np.float32), raw_score=True, num_threads=1)))


def measure(m_model, booster, threshold, year, use_ce):
    prob = lambda ids: probabilities(booster, [abstain_row(m_model, i, use_ce) for i in ids])
    own, other = prob(select(lambda m: m["set"] == f"news-{year}-own")), prob(select(lambda m: m["set"] == f"news-{year}-other"))
    ranks = rankdata(np.concatenate([own, other]))[: len(own)]
    ids = VALID[f"news {year}"]
    p = prob(ids)
    hit = [labels[rows(i)][final(m_model, i)[1][0]] == 1 for i in ids]
    dev, off = prob(VALID["squad-dev"]), prob(select(lambda m: m["set"] == "squad-dev-off"))
    dev_hit = [labels[rows(i)][final(m_model, i)[1][0]] == 1 for i in VALID["squad-dev"]]
    return {
        "squad-dev answerable refused": float(np.mean(dev < threshold)), "squad-dev-off refused": float(np.mean(off < threshold)),
        "squad-dev answered R@1": float(np.mean([h and q >= threshold for h, q in zip(dev_hit, dev)])),
        f"news {year} own refused": float(np.mean(own < threshold)), f"news {year} other refused": float(np.mean(other < threshold)),
        f"news {year} own/other AUC": float((ranks.sum() - len(own) * (len(own) + 1) / 2) / (len(own) * len(other))),
        f"news {year} other refused at 10% own refused": float((other < np.quantile(own, 0.1)).mean()),
        f"news all weeks, {year} questions: R@1": float(np.mean([h and q >= threshold for h, q in zip(hit, p)])),
        f"news all weeks, {year} questions: refused": float(np.mean(p < threshold)),
    }


# train_ranker.py's sets (quotebot.json's `fitted.abstentionSets`, else the dump's default); a dry run: the knobs'
squad_fit = dump.abstention_squad(stage_sets(doc["fitted"], dump.sets, DUMP))
# train_ranker.py's weights (quotebot.json's `fitted.cellWeights`, else the recipe's); a dry run: QUOTEBOT_CELL_WEIGHT's
CELL_WEIGHTS = stage_cell_weights(doc["fitted"], dump.abstention_domains(squad_fit))
report["abstention"] = {}
for label, m_model, use_ce in [("ranker, no cross-encoder", None, False), ("ranker, cross-encoder signals", None, True),
                                ("cross-encoder stage, no cross-encoder signals", model, False), ("cross-encoder stage", model, True)]:
    for fit_year, year in (("2020", "2021"), ("2021", "2020")):
        booster, threshold = fit_abstention(m_model, squad_fit + select(lambda m: m["set"] in (f"news-{fit_year}-own", f"news-{fit_year}-other")), use_ce)
        line = measure(m_model, booster, threshold, year, use_ce)
        report["abstention"][f"{label}, fitted on news {fit_year}"] = line
        print(f"  {label}, fitted on news {fit_year}: " + ", ".join(f"{k} {v:.3f}" for k, v in line.items()) + f" ({time.time() - t0:.0f} s)", file=sys.stderr)

if os.environ.get("QUOTEBOT_DRY") == "1":  # experiments: print the figures, write nothing
    sys.exit(0)
# Shipped without the cross-encoder's own signals: they did not separate the periods better (see the report).
booster, threshold = fit_abstention(model, squad_fit + select(lambda m: m["set"].startswith("news-20")), False)
doc["crossEncoder"] = {
    "model": CE_MODEL, "top": TOP, "ranker": {"features": S2_NAMES, "trees": flat_trees(model)},
    "abstention": {"features": ANAMES[: len(ANAMES) - len(CE_SIGNALS)], "trees": flat_trees(booster), "threshold": round(threshold, 6)},
}
doc["fitted"]["crossEncoder"] = report
with open(OUT, "w") as f:
    json.dump(doc, f, separators=(",", ":"))
# A fixture for rescore.ts: the second stage's rows of a few questions, and LightGBM's scores for them.
fixture = []
for i in VALID["squad-dev"][:4]:
    o, r, ce = cached_head(i)
    fixture.append({"features": X[rows(i)][o].tolist(), "rankerScores": P1[rows(i)][o].tolist(), "ce": ce.tolist(),
                    "rows": r.tolist(), "scores": model.predict(r, num_threads=1).tolist()})
with open(os.path.join(ROOT, "src", "engine", "ranking", "fixtures", "rescore-rows.json"), "w") as f:
    json.dump(fixture, f)
print(f"wrote the cross-encoder stage into {OUT} ({os.path.getsize(OUT) / 1e6:.1f} MB) in {time.time() - t0:.0f} s", file=sys.stderr)
