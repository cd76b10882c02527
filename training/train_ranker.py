"""Trains the learned ranker (LightGBM lambdarank) and the abstention model (trees) from the rows that
training/dump-candidates.ts wrote, and writes them beside the embedding model they were fitted for (without the
cross-encoder stage, which training/train_ce_stage.py adds next from the same dump; `npm run train:ranker` runs all
three):

    npx tsx training/dump-candidates.ts --cross-encoder models/cross-encoder-squad   # ~10-20 min; /tmp/quotebot-dump
    python3 -m venv .venv && .venv/bin/pip install -r training/requirements.txt
    .venv/bin/python training/train_ranker.py      # ~2 min; writes models/glove-sif-100d/quotebot.json and the
                                                   # ranker's LightGBM file into the dump folder (for the next step)

Deterministic (fixed seeds, one thread). What is fitted on what:
- ranker: SQuAD train questions of the articles whose sorted index % 9 < 6, over indexes of ~49 train articles;
  hyper-parameters chosen on SQuAD dev and news dev (never trained on);
- abstention: the other SQuAD train articles' questions (over their group, their own article, another article,
  another group, and small corpora of 20-60 sentences like a server of two articles: a window of their article's
  paragraphs asked the centre paragraph's questions that share the fewest words with their answer, answerable, and
  another article's, not; `QUOTEBOT_LEAVE_OUT=squad-train-small,...` fits without such sets) plus
  the news dev questions over one year's weeks (own year answerable, other year not). The news
  calibration figures of docs/measurements.md come from fitting on one year and measuring on the other; the shipped
  model is fitted on both years.
"""
import json
import os
import sys
import time

import lightgbm as lgb
import numpy as np
from scipy.stats import rankdata
from sklearn.linear_model import LogisticRegression

from dump_rows import CandidateDump
from fit_options import abstention_sets, bag, bag_seeds, fitted_record, ranker_file, seed
from lgb_trees import fit_bag, flat_trees, load_model, save_model

DUMP = os.environ.get("QUOTEBOT_DUMP", "/tmp/quotebot-dump")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "models", "glove-sif-100d", "quotebot.json")
SEED = seed()  # QUOTEBOT_SEED

t0 = time.time()
dump = CandidateDump(DUMP)
meta, info, X, labels = dump.meta, dump.info, dump.X, dump.labels
NAMES, F = dump.names, dump.count
ranker_question, rows, select = dump.ranker_question, dump.rows, dump.select


def stack(idx):
    parts = [X[rows(i)] for i in idx]
    return np.concatenate(parts), np.concatenate([labels[rows(i)] for i in idx]), [meta[i]["n"] for i in idx]


ranker_train = select(lambda m: m["set"] == "squad-train" and ranker_question(m) and "1" in m["labels"])
print(f"{len(ranker_train)} training groups, {len(X)} rows, {F} features ({time.time() - t0:.0f} s)", file=sys.stderr)


def recall(scores_of, ids):
    """R@1, R@5, MRR@5 over answerable groups, candidates ordered by score (a missing gold is a miss)."""
    r1 = r5 = mrr = 0.0
    for i in ids:
        s = scores_of(i)
        lab = labels[rows(i)]
        order = np.argsort(-s, kind="stable")[:5]
        hits = [k for k, j in enumerate(order) if lab[j] == 1]
        if hits:
            r1 += hits[0] == 0
            r5 += 1
            mrr += 1 / (hits[0] + 1)
    n = max(1, len(ids))
    return r1 / n, r5 / n, mrr / n


VALID = {
    "squad-dev": select(lambda m: m["set"] == "squad-dev"),
    "news": select(lambda m: m["set"] == "news"),
}
fused = NAMES.index("fused")
for name, ids in VALID.items():
    print(f"  linear fusion {name}: R@1 {recall(lambda i: X[rows(i), fused], ids)[0]:.3f} R@5 {recall(lambda i: X[rows(i), fused], ids)[1]:.3f}", file=sys.stderr)


def train(params, drop=()):
    Xt, yt, gt = stack(ranker_train)
    keep = [j for j, n in enumerate(NAMES) if n not in drop]
    Xt = Xt.copy()
    Xt[:, [j for j in range(F) if j not in keep]] = 0  # dropped features stay in the row but carry nothing
    ds = lgb.Dataset(Xt, yt, group=gt, feature_name=NAMES, free_raw_data=False)
    p = {
        "objective": "lambdarank", "metric": "ndcg", "eval_at": [1, 5], "num_threads": 1, "deterministic": True,
        "force_row_wise": True, "verbose": -1, "learning_rate": 0.05, "min_data_in_leaf": 50,
        "feature_fraction": 0.9, "bagging_fraction": 0.8, "bagging_freq": 1, "lambdarank_truncation_level": 10,
        **params,
    }
    rounds = p.pop("rounds")
    # QUOTEBOT_BAG=K: the mean of K fits at bag_seeds() (one fit at SEED when 1, the recipe)
    return fit_bag(lambda s: lgb.train({**p, "seed": s}, ds, num_boost_round=rounds), bag_seeds())


def evaluate(model, label):
    out = {}
    for name, ids in VALID.items():
        out[name] = recall(lambda i: model.predict(X[rows(i)], num_threads=1), ids)
    print(f"  {label}: " + "  ".join(f"{k} R@1 {v[0]:.3f} R@5 {v[1]:.3f} MRR@5 {v[2]:.3f}" for k, v in out.items()) + f" ({time.time() - t0:.0f} s)", file=sys.stderr)
    return out


POSITION = ("position", "relativePosition", "paragraphPosition")
CANDIDATES = [
    ({"num_leaves": 15, "rounds": 300}, ()),
    ({"num_leaves": 31, "rounds": 300}, ()),
]
# Experiments: QUOTEBOT_DROP=a,b fits without those features (train_ce_stage.py then drops them too).
DROP = tuple(n for n in os.environ.get("QUOTEBOT_DROP", "").split(",") if n)
if set(DROP) - set(NAMES):
    sys.exit(f"QUOTEBOT_DROP names no feature of the dump: {sorted(set(DROP) - set(NAMES))}")
if os.environ.get("QUOTEBOT_GRID") != "1":
    CANDIDATES = [({"num_leaves": 15, "rounds": 300}, DROP)]  # chosen by the grid above (see docs/measurements.md)
best = None
for params, drop in CANDIDATES:
    # Training is deterministic: QUOTEBOT_REUSE=1 reuses the dump folder's saved ranker (abstention experiments).
    saved = ranker_file(DUMP, params, drop)
    model = load_model(saved, bag()) if os.environ.get("QUOTEBOT_REUSE") == "1" else None
    if model is None:
        model = train(dict(params), drop)
        save_model(model, saved)
    res = evaluate(model, f"{params} drop {list(drop)}")
    objective = res["squad-dev"][0] + res["news"][0]
    if best is None or objective > best[0]:
        best = (objective, model, params, drop)
_, model, params, drop = best


trees = flat_trees(model)


PREDICTED = model.predict(X, num_threads=1)


def ranker_scores(i):
    return PREDICTED[rows(i)]


# ---- abstention: trees (QUOTEBOT_ABSTAIN=logistic: a logistic model) over the ranker's best candidate, across domains ----
ABSTAIN_FEATURES = [
    "coverage", "cosine", "align", "alignSoft", "paragraphCoverage", "paragraphAlign", "missingNames", "missingIdf",
    "bm25Raw", "logCorpus", "unknownShare", "statement",
]
cols = [NAMES.index(n) for n in ABSTAIN_FEATURES]


def abstain_row(i):
    s = ranker_scores(i)
    if len(s) == 0:
        return None
    order = np.argsort(-s, kind="stable")
    top = X[rows(i)][order[0]]
    second = s[order[1]] if len(s) > 1 else s[order[0]] - 5
    return np.concatenate([[s[order[0]], s[order[0]] - second], top[cols]])


ABSTAIN_NAMES = ["score", "margin"] + ABSTAIN_FEATURES


def domain(m):
    s = m["set"]
    if s.startswith("squad-train"):
        return None if ranker_question(m) else s
    return s


def examples(ids):
    xs, ys, ds = [], [], []
    for i in ids:
        r = abstain_row(i)
        if r is None:
            continue
        xs.append(r)
        ys.append(1 if meta[i]["answerable"] else 0)
        ds.append(domain(meta[i]))
    return np.array(xs), np.array(ys), ds


ANSWER_SHARE = float(os.environ.get("QUOTEBOT_ANSWER_SHARE", "0.98"))
ABSTAIN_KIND = os.environ.get("QUOTEBOT_ABSTAIN", "trees")
if ABSTAIN_KIND not in ("trees", "logistic"):  # a typo would otherwise fit the logistic model unnoticed
    sys.exit(f"QUOTEBOT_ABSTAIN takes trees or logistic, not {ABSTAIN_KIND!r}")
NEWS_WEIGHT = float(os.environ.get("QUOTEBOT_NEWS_WEIGHT", "1"))  # weight of a news cell against a SQuAD cell


def fit_abstention(ids, kind=ABSTAIN_KIND):
    x, y, d = examples(ids)
    # Every (domain, answerable) cell weighs the same, so no domain or class dominates by its size, times its set's
    # weight in CELL_WEIGHTS (fit_options.cell_weights: the recipe's, QUOTEBOT_CELL_WEIGHT's; 1 for a set not in it).
    cells = {}
    for dd, yy in zip(d, y):
        cells[(dd, yy)] = cells.get((dd, yy), 0) + 1
    w = np.array([(NEWS_WEIGHT if dd.startswith("news") else 1.0) * CELL_WEIGHTS.get(dd, 1.0) / cells[(dd, yy)] for dd, yy in zip(d, y)])
    w *= len(w) / w.sum()
    if kind == "trees":
        booster = lgb.train(
            {"objective": "binary", "num_leaves": 7, "learning_rate": 0.05, "min_data_in_leaf": 100, "num_threads": 1,
             "deterministic": True, "force_row_wise": True, "seed": SEED, "verbose": -1},
            lgb.Dataset(x.astype(np.float32), y, weight=w, feature_name=ABSTAIN_NAMES), num_boost_round=150)
        a = {"kind": "trees", "booster": booster}
    else:
        mu, sd = x.mean(0), x.std(0) + 1e-9
        lr = LogisticRegression(C=1.0, max_iter=2000, random_state=SEED)
        lr.fit((x - mu) / sd, y, sample_weight=w)
        a = {"kind": "logistic", "weights": lr.coef_[0] / sd, "bias": float(lr.intercept_[0] - (lr.coef_[0] * mu / sd).sum())}
    prob = probabilities(a, x)
    # Threshold: answer ANSWER_SHARE of the answerable fitting questions, each domain weighing the same (refusing
    # an answerable question costs more than quoting on an unanswerable one: the quote still shows its source).
    pos = y == 1
    order = np.argsort(prob[pos])
    cum = np.cumsum(w[pos][order]) / w[pos].sum()
    a["threshold"] = float(prob[pos][order][np.searchsorted(cum, 1 - ANSWER_SHARE)])
    return a


def probabilities(a, x):
    if a["kind"] == "trees":
        return 1 / (1 + np.exp(-a["booster"].predict(x.astype(np.float32), raw_score=True, num_threads=1)))
    return 1 / (1 + np.exp(-(x @ a["weights"] + a["bias"])))


ROW_CACHE = {}


def probability(a, i):
    if i not in ROW_CACHE:
        ROW_CACHE[i] = abstain_row(i)
    return probabilities(a, ROW_CACHE[i][None, :])[0]


def refused(a, sets, keep=lambda m: True):
    ids = select(lambda m: m["set"] in sets and keep(m))
    if not ids:
        return float("nan")
    return sum(probability(a, i) < a["threshold"] for i in ids) / len(ids)


# The year of each news question, for measuring on the year the abstention was not fitted on.
news_year = {}
news_file = os.path.join(ROOT, "..", "shared", "eval", "news", "questions-dev.jsonl")
for k, line in enumerate(open(news_file)):
    if line.strip():
        news_year[f"news#{k}"] = json.loads(line)["file"][:4]


def answered_recall(a, year, news_set="news"):
    """R@1, R@5 and the share refused of one year's news questions over `news_set`'s weeks (a refusal is a miss)."""
    ids = select(lambda m: m["set"] == news_set and news_year[m["id"]] == year)
    r1 = r5 = ref = 0
    for i in ids:
        if probability(a, i) < a["threshold"]:
            ref += 1
            continue
        lab = labels[rows(i)][np.argsort(-ranker_scores(i), kind="stable")[:5]]
        r1 += lab[0] == 1 if len(lab) else 0
        r5 += lab.sum() > 0
    n = max(1, len(ids))
    return r1 / n, r5 / n, ref / n


def separation(a, year):
    """Over one year's weeks: the chance that one of its own questions gets a higher probability than one of the other
    year's (ROC AUC, the trade-off at every threshold), and the other year's share refused at the threshold refusing
    10% of its own (chosen on these very questions: a point of the curve, not a figure to ship)."""
    own = np.array([probability(a, i) for i in select(lambda m: m["set"] == f"news-{year}-own")])
    other = np.array([probability(a, i) for i in select(lambda m: m["set"] == f"news-{year}-other")])
    ranks = rankdata(np.concatenate([own, other]))[: len(own)]
    return (ranks.sum() - len(own) * (len(own) + 1) / 2) / (len(own) * len(other)), float((other < np.quantile(own, 0.1)).mean())


SETS = abstention_sets(dump.sets, DUMP)  # QUOTEBOT_WITH, QUOTEBOT_LEAVE_OUT
squad_fit = dump.abstention_squad(SETS)
CELL_WEIGHTS = dump.cell_weights(squad_fit)  # the recipe's (fit_options.RECIPE_CELL_WEIGHTS), QUOTEBOT_CELL_WEIGHT over them
report = {}
for kind in (["logistic", "trees"] if os.environ.get("QUOTEBOT_GRID") == "1" else [ABSTAIN_KIND]):
    for label, news_sets, held_out in [
        ("SQuAD only", [], ["2020", "2021"]),
        ("SQuAD + news 2020", ["news-2020-own", "news-2020-other"], ["2021"]),
        ("SQuAD + news 2021", ["news-2021-own", "news-2021-other"], ["2020"]),
    ]:
        a = fit_abstention(squad_fit + select(lambda m: m["set"] in news_sets), kind)
        line = {
            "squad-dev answerable refused": refused(a, ["squad-dev"]),
            "squad-dev-off refused": refused(a, ["squad-dev-off"]),
        }
        for y in held_out:
            line[f"news {y} own refused"] = refused(a, [f"news-{y}-own"])
            line[f"news {y} other refused"] = refused(a, [f"news-{y}-other"])
            line[f"news {y} own R@1"] = answered_recall(a, y, f"news-{y}-own")[0]
            line[f"news {y} own/other AUC"], line[f"news {y} other refused at 10% own refused"] = separation(a, y)
            r1, r5, ref = answered_recall(a, y)
            line[f"news all weeks, {y} questions: R@1"] = r1
            line[f"news all weeks, {y} questions: R@5"] = r5
            line[f"news all weeks, {y} questions: refused"] = ref
        report[f"{kind}, fitted on {label}"] = line
        print(f"  {kind} abstention fitted on {label}: " + ", ".join(f"{k} {v:.3f}" for k, v in line.items()), file=sys.stderr)

shipped = fit_abstention(squad_fit + select(lambda m: m["set"] in ["news-2020-own", "news-2020-other", "news-2021-own", "news-2021-other"]))
if shipped["kind"] == "trees":
    abstention = {"features": ABSTAIN_NAMES, "trees": flat_trees(shipped["booster"]), "threshold": round(shipped["threshold"], 6)}
else:
    abstention = {
        "features": ABSTAIN_NAMES,
        "weights": [round(float(v), 6) for v in shipped["weights"]],
        "bias": round(shipped["bias"], 6),
        "threshold": round(shipped["threshold"], 6),
    }

doc = {
    "about": "Ranker and abstention for this embedding model; written by training/train_ranker.py (see README).",
    "shortlist": info["shortlist"],
    "ranker": {"features": NAMES, "trees": trees},
    "abstention": abstention,
    # with the seed when not 7, the cell weights and the sets when not the recipe's (train_ce_stage.py reads them)
    "fitted": fitted_record(params, drop, report, CELL_WEIGHTS, SETS, dump.sets),
}
if os.environ.get("QUOTEBOT_DRY") == "1":  # experiments: print the figures, write nothing
    sys.exit(0)
with open(OUT, "w") as f:
    json.dump(doc, f, separators=(",", ":"))
# A fixture for the tree evaluator's test: a few fixed rows and LightGBM's own predictions.
fixture_ids = VALID["squad-dev"][:6]
fixture_rows = np.concatenate([X[rows(i)][:4] for i in fixture_ids])
fixture = {"rows": fixture_rows.tolist(), "scores": model.predict(fixture_rows, num_threads=1).tolist()}
with open(os.path.join(ROOT, "src", "engine", "ranking", "fixtures", "ranker-rows.json"), "w") as f:
    json.dump(fixture, f)
print(f"wrote {OUT} ({os.path.getsize(OUT) / 1e6:.1f} MB, {len(trees)} trees) in {time.time() - t0:.0f} s", file=sys.stderr)
