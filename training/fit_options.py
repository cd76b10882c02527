"""The environment knobs train_ranker.py and train_ce_stage.py both read (every QUOTEBOT_* knob is listed in
docs/development.md). Standard library only: the tests check it with the system python3.

    seed()                                          # QUOTEBOT_SEED, default 7
    stage_dropped(doc["fitted"])                    # the features the cross-encoder stage leaves out
    cell_weight("squad-train-small-near")           # QUOTEBOT_CELL_WEIGHT's weight of that abstention cell, else 1
    ranker_file(DUMP, {"num_leaves": 15, "rounds": 300}, ())   # DUMP/ranker-15-300-.txt at seed 7
"""
import os
import sys

SHIPPED_SEED = 7


def seed():
    """QUOTEBOT_SEED: the seed of every fit of both steps (default 7, the committed models'). Other seeds give a
    refit's spread (dry runs); a fixed ship rule uses seed 7 alone."""
    raw = os.environ.get("QUOTEBOT_SEED", str(SHIPPED_SEED))
    try:
        return int(raw)
    except ValueError:
        sys.exit(f"QUOTEBOT_SEED must be an integer, not {raw!r}")


def stage_dropped(fitted):
    """The features train_ranker.py left out (its QUOTEBOT_DROP), which the cross-encoder stage leaves out too. A
    written quotebot.json names them (`fitted.dropped`); a dry run (QUOTEBOT_DRY=1) writes none, so the stage then
    takes QUOTEBOT_DROP from the environment, as train_ranker.py did (else it would look for the wrong ranker file)."""
    if os.environ.get("QUOTEBOT_DRY") == "1":
        return [n for n in os.environ.get("QUOTEBOT_DROP", "").split(",") if n]
    return fitted.get("dropped", [])


def ranker_file(dump, params, drop):
    """Where train_ranker.py saves its LightGBM ranker in the dump folder and train_ce_stage.py reads it back. A seed
    other than 7 is in the name, so a dry run at another seed leaves the folder's seed-7 ranker as it was."""
    tag = "" if seed() == SHIPPED_SEED else f"-seed{seed()}"
    return os.path.join(dump, f"ranker-{params['num_leaves']}-{params['rounds']}-{'-'.join(drop)}{tag}.txt")


def cell_weight(domain):
    """QUOTEBOT_CELL_WEIGHT=set=w,set=w: the weight of those sets' (domain, answerable) abstention cells against every
    other cell's 1 (experiments: how much a new set should count). Unnamed domains weigh 1."""
    weights = {}
    for item in filter(None, os.environ.get("QUOTEBOT_CELL_WEIGHT", "").split(",")):
        name, _, value = item.partition("=")
        try:
            weights[name] = float(value)
        except ValueError:
            sys.exit(f"QUOTEBOT_CELL_WEIGHT takes set=weight,set=weight, not {item!r}")
    return weights.get(domain, 1.0)
