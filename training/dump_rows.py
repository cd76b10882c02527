"""Reads the candidate dump training/dump-candidates.ts writes (groups.jsonl, features.json, features.f32): one group
per question, its candidates' feature rows in order. Shared by train_ranker.py and train_ce_stage.py.

    dump = CandidateDump("/tmp/quotebot-dump")
    dump.X[dump.rows(0)]                                   # the first question's candidate rows
    dump.select(lambda m: m["set"] == "squad-dev")         # indexes of the groups a predicate keeps
    dump.abstention_squad(abstention_sets(dump.sets, DUMP)) # the SQuAD train groups the abstention fits on
    dump.cell_weights(dump.abstention_squad(...))          # QUOTEBOT_CELL_WEIGHT's weights of their cells
"""
import json
import os
import sys

import numpy as np

from fit_options import EXPERIMENT_SETS, cell_weights

# SQuAD train articles are split by sorted index % GROUPS: the ranker fits on groups < RANKER_GROUPS, the stages after
# it (and the abstention) on the rest. train_cross_encoder.py draws its off-corpus questions by the same split.
GROUPS = 9
RANKER_GROUPS = 6


def ranker_article(sorted_index: int) -> bool:
    """Whether the SQuAD train article at this index of the sorted titles is one the ranker fits on."""
    return sorted_index % GROUPS < RANKER_GROUPS


class CandidateDump:
    def __init__(self, folder):
        self.folder = folder
        self.meta = [json.loads(l) for l in open(os.path.join(folder, "groups.jsonl")) if l.strip()]
        self.sets = {m["set"] for m in self.meta}
        self.info = json.load(open(os.path.join(folder, "features.json")))
        self.names = self.info["names"]
        self.count = self.info["count"]
        self.X = np.fromfile(os.path.join(folder, "features.f32"), dtype=np.float32).reshape(-1, self.count)
        self.starts = np.concatenate([[0], np.cumsum([m["n"] for m in self.meta])]).astype(np.int64)
        if self.starts[-1] != len(self.X):
            sys.exit(f"{folder}: groups.jsonl counts {self.starts[-1]} rows, features.f32 has {len(self.X)}: an unfinished dump?")
        self.labels = np.concatenate(
            [np.array([int(c) for c in m["labels"]], dtype=np.int32) for m in self.meta if m["n"] > 0] or [np.zeros(0)])
        if len(self.labels) != len(self.X):
            sys.exit(f"{folder}: groups.jsonl has {len(self.labels)} labels for {len(self.X)} rows")
        # The SQuAD train article each question comes from, to keep the fitted models' articles apart.
        titles = sorted({m["id"].split("#")[0] for m in self.meta if m["set"].startswith("squad-train")})
        self.ranker_titles = {t for i, t in enumerate(titles) if ranker_article(i)}

    def ranker_question(self, m):
        """Whether a SQuAD train question's article is one the ranker fits on (`ranker_article`)."""
        return m["id"].split("#")[0] in self.ranker_titles

    def rows(self, i):
        """The slice of group i's candidate rows in X and labels."""
        return slice(self.starts[i], self.starts[i + 1])

    def select(self, pred):
        """The indexes of the groups whose metadata pred keeps, in dump order."""
        return [i for i, m in enumerate(self.meta) if pred(m)]

    def abstention_squad(self, sets):
        """The SQuAD train groups both abstention models fit on: the questions of the articles the ranker does not fit
        on, in the squad-train* `sets` (over their group, their own article, another article, another group, and the
        small corpora): `fit_options.abstention_sets` (the near-topic set only when QUOTEBOT_WITH names it;
        QUOTEBOT_LEAVE_OUT=set,set leaves sets out: experiments), for the stage `fit_options.stage_sets`."""
        left = sorted((self.sets & set(EXPERIMENT_SETS)) - set(sets))
        if left:
            print(f"  {self.folder} holds {', '.join(left)}, an experiment the fits leave out unless QUOTEBOT_WITH names it "
                  f"(the stage: unless quotebot.json records it)", file=sys.stderr)
        if not any(m["set"] == "squad-train-small" for m in self.meta):
            print(f"  {self.folder} has no small-corpus sets (a dump older than training/small-corpora.ts): the abstention fits "
                  f"without them; `npx tsx training/dump-candidates.ts --only small --out OUT` adds them to a copy", file=sys.stderr)
        ids = self.select(lambda m: m["set"] in sets and not self.ranker_question(m))
        counts = {}
        for i in ids:
            key = (self.meta[i]["set"], "answerable" if self.meta[i]["answerable"] else "not")
            counts[key] = counts.get(key, 0) + 1
        print("  abstention fits on SQuAD train: " + ", ".join(f"{s} {a} {n}" for (s, a), n in sorted(counts.items())), file=sys.stderr)
        return ids

    def abstention_domains(self, squad_ids):
        """The sets the abstention fits on: those of `squad_ids` (`abstention_squad`) and the news years' own and other
        weeks."""
        news = {m["set"] for m in self.meta if m["set"].startswith("news-20")}
        return {self.meta[i]["set"] for i in squad_ids} | news

    def cell_weights(self, squad_ids):
        """QUOTEBOT_CELL_WEIGHT's weights (`fit_options.cell_weights`) of the sets the abstention fits on
        (`abstention_domains`)."""
        return cell_weights(self.abstention_domains(squad_ids))
