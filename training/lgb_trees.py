"""LightGBM models as the flat arrays src/engine/ranking/trees.ts evaluates, and bags of them (shared by the training
scripts)."""
import os

import lightgbm as lgb


class Bag:
    """The mean of several LightGBM fits of one ranker at other seeds (fit_options.bag_seeds). `predict` is the mean of
    the fits' scores; `flat_trees` stores it for the engine as one tree list with every leaf divided by the number of
    fits, since the engine sums trees (so the engine needs no notion of a bag)."""

    def __init__(self, boosters):
        self.boosters = list(boosters)

    def predict(self, x, num_threads=1):
        return sum(b.predict(x, num_threads=num_threads) for b in self.boosters) / len(self.boosters)


def fit_bag(fit, seeds):
    """`fit(seed)` at each seed: the one booster itself for one seed (the recipe, byte for byte), else their Bag. Both
    scripts' `fit` trains on one Dataset, which LightGBM bins at the first fit, from rows sampled at the first seed
    (past 200,000 rows, as the dumps are): so the fits differ in their row and feature sampling only, and a later fit
    is not the single fit QUOTEBOT_SEED=1007 gives (checked on a 300,000-row set)."""
    boosters = [fit(s) for s in seeds]
    return boosters[0] if len(boosters) == 1 else Bag(boosters)


def fit_files(path, size):
    """Where a ranker of `size` fits is saved: `path` itself for one, else `path`'s name with -0, -1, ... before .txt."""
    root, ext = os.path.splitext(path)
    return [path] if size == 1 else [f"{root}-{k}{ext}" for k in range(size)]


def save_model(model, path):
    """Saves a booster or a Bag's fits (fit_files); each through a new file, so a dump folder hard-linked to
    another (cp -al) keeps the other's."""
    boosters = model.boosters if isinstance(model, Bag) else [model]
    for booster, where in zip(boosters, fit_files(path, len(boosters))):
        booster.save_model(where + ".tmp")
        os.replace(where + ".tmp", where)


def missing_file(path, size):
    """The first of a ranker's files (fit_files) that does not exist, else None: a bag whose run stopped part way
    is as missing as none, never loaded as fewer fits; a message names this file, which `path` of a bag is not."""
    return next((f for f in fit_files(path, size) if not os.path.exists(f)), None)


def load_model(path, size):
    """A ranker `save_model` saved with `size` fits; None when any of its files is missing (`missing_file`)."""
    if missing_file(path, size) is not None:
        return None
    boosters = [lgb.Booster(model_file=f) for f in fit_files(path, size)]
    return boosters[0] if size == 1 else Bag(boosters)


def flat_trees(model):
    """LightGBM's JSON dump as flat arrays (see src/engine/ranking/trees.ts); a Bag's fits' trees in one list, every
    leaf divided by their number."""
    if isinstance(model, Bag):
        scale = 1 / len(model.boosters)
        return [{**tree, "leaf": [v * scale for v in tree["leaf"]]} for b in model.boosters for tree in flat_trees(b)]
    out = []
    for info_ in model.dump_model()["tree_info"]:
        feature, threshold, left, right, leaf = [], [], [], [], []

        def visit(node):
            if "leaf_index" in node or "split_index" not in node:
                leaf.append(float(node.get("leaf_value", 0.0)))
                return ~(len(leaf) - 1)
            i = len(feature)
            assert node["decision_type"] == "<=", node["decision_type"]
            feature.append(int(node["split_feature"]))
            threshold.append(float(node["threshold"]))
            left.append(0)
            right.append(0)
            left[i] = visit(node["left_child"])
            right[i] = visit(node["right_child"])
            return i

        visit(info_["tree_structure"])  # internal node 0 is the root; leaves are numbered in visiting order
        out.append({"feature": feature, "threshold": threshold, "left": left, "right": right, "leaf": leaf})
    return out
