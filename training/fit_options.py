"""The environment knobs train_ranker.py and train_ce_stage.py both read (every QUOTEBOT_* knob is listed in
docs/development.md). Standard library only: the tests check it with the system python3.

    fitted_model(OUT)                               # quotebot.json as train_ranker.py wrote it, or one line to run it
    seed()                                          # QUOTEBOT_SEED, default 7
    bag()                                           # QUOTEBOT_BAG=K, default 1: the fits a lambdarank ranker averages
    bag_seeds()                                     # the seeds of those K fits ([seed()] when 1)
    stage_dropped(doc["fitted"])                    # the features the cross-encoder stage leaves out
    stage_seed(doc["fitted"])                       # the seed it fits at (the ranker's, as quotebot.json records it)
    stage_bag(doc["fitted"])                        # the number of fits it averages (the ranker's, likewise)
    fitted_record(params, drop, report, weights, sets, dump_sets)   # quotebot.json's `fitted`, with `seed` / `bag` /
                                                    # `cellWeights` / `abstentionSets` when not the recipe's
    abstention_sets({"squad-train", ...}, DUMP)     # the squad-train* sets the abstention fits on (QUOTEBOT_WITH, _LEAVE_OUT)
    stage_sets(doc["fitted"], {"squad-train", ...}, DUMP)   # the sets the stage's abstention fits on (the ranker step's)
    cell_weights({"squad-train-small", ...})        # the recipe's and QUOTEBOT_CELL_WEIGHT's weights of those sets' cells
    stage_cell_weights(doc["fitted"], {...})        # the weights the stage's abstention fits with (the ranker step's)
    ranker_file(DUMP, {"num_leaves": 15, "rounds": 300}, ())   # DUMP/ranker-15-300-.txt at seed 7, one fit
"""
import json
import math
import os
import sys

SHIPPED_SEED = 7
# Sets a dump may hold that the abstention fits take only when QUOTEBOT_WITH names them: measured, not shipped
# (docs/measurements.md), so a dump extended for an experiment refits as before unless asked.
EXPERIMENT_SETS = ("squad-train-small-near",)
# The recipe's cell weights (QUOTEBOT_CELL_WEIGHT overrides them; every other cell weighs 1): the small corpora's
# answerable cell at half weight, chosen on seed para, the held-out news lines and SQuAD dev among five refits
# (docs/measurements.md, "The small corpora's answerable cell at half weight"); at 1 the abstention answered more
# off-topic questions about the same event.
RECIPE_CELL_WEIGHTS = {"squad-train-small": 0.5}


def seed():
    """QUOTEBOT_SEED: the seed of every fit of both steps (default 7, the committed models'). Other seeds give a
    refit's spread (dry runs); a fixed ship rule uses seed 7 alone."""
    raw = os.environ.get("QUOTEBOT_SEED", str(SHIPPED_SEED))
    try:
        return int(raw)
    except ValueError:
        sys.exit(f"QUOTEBOT_SEED must be an integer, not {raw!r}")


def bag():
    """QUOTEBOT_BAG=K (default 1, the recipe): each lambdarank ranker of both steps is the mean of K fits, at the seeds
    `bag_seeds` gives. One fit's figures move with its seed (LightGBM's row and feature sampling); a mean of K moves
    less, so a refit measures the recipe rather than one seed's draw."""
    raw = os.environ.get("QUOTEBOT_BAG", "1")
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if size < 1:
        sys.exit(f"QUOTEBOT_BAG must be a whole number of fits, 1 or more, not {raw!r}")
    return size


def bag_seeds(at_seed=None, size=None):
    """The seeds of a ranker's fits: `at_seed` (else QUOTEBOT_SEED's) for the first, then 1000 apart, so the bags of
    neighbouring seeds (7 and 8) share no fit."""
    at_seed = seed() if at_seed is None else at_seed
    return [at_seed + 1000 * k for k in range(bag() if size is None else size)]


def stage_bag(fitted):
    """The number of fits train_ranker.py's ranker averaged, which the cross-encoder stage's ranker averages too and
    finds that ranker's files by: a written quotebot.json records it when not 1 (`fitted.bag`), as `stage_seed` reads
    the seed; a dry run writes none, so the stage then takes QUOTEBOT_BAG."""
    if os.environ.get("QUOTEBOT_DRY") == "1":
        return bag()
    fitted_with = fitted.get("bag", 1)
    if "QUOTEBOT_BAG" in os.environ and bag() != fitted_with:
        print(f"  QUOTEBOT_BAG={bag()} set aside: quotebot.json's ranker averaged {fitted_with} fits, and the stage pairs with it", file=sys.stderr)
    return fitted_with


def stage_dropped(fitted):
    """The features train_ranker.py left out (its QUOTEBOT_DROP), which the cross-encoder stage leaves out too. A
    written quotebot.json names them (`fitted.dropped`); a dry run (QUOTEBOT_DRY=1) writes none, so the stage then
    takes QUOTEBOT_DROP from the environment, as train_ranker.py did (else it would look for the wrong ranker file)."""
    if os.environ.get("QUOTEBOT_DRY") == "1":
        return [n for n in os.environ.get("QUOTEBOT_DROP", "").split(",") if n]
    return fitted.get("dropped", [])


def stage_seed(fitted):
    """The seed train_ranker.py fitted at, which the cross-encoder stage fits at and finds that ranker's file by. A
    written quotebot.json records it when not 7 (`fitted.seed`; none: 7), so the stage run alone later pairs with the
    right ranker whatever QUOTEBOT_SEED then says; a dry run writes none, so the stage then takes QUOTEBOT_SEED, as
    train_ranker.py did (as `stage_dropped` does QUOTEBOT_DROP)."""
    if os.environ.get("QUOTEBOT_DRY") == "1":
        return seed()
    fitted_at = fitted.get("seed", SHIPPED_SEED)
    if "QUOTEBOT_SEED" in os.environ and seed() != fitted_at:
        print(f"  QUOTEBOT_SEED={seed()} set aside: quotebot.json's ranker was fitted at seed {fitted_at}, and the stage pairs with it", file=sys.stderr)
    return fitted_at


def fitted_record(params, drop, report, weights, sets, dump_sets):
    """quotebot.json's `fitted` as train_ranker.py writes it: the ranker's recipe, the features left out, the abstention
    report, at a seed other than 7 only the seed (read back by `stage_seed`), a bag of more than one fit its size (read
    back by `stage_bag`), and only when they are not the recipe's the abstention's cell weights (`weights`, from
    `cell_weights`; read back by `stage_cell_weights`) and its squad-train* sets (`sets`, from `abstention_sets`,
    against `default_sets(dump_sets)`; read back by `stage_sets`). With no knob the file is byte for byte what it was
    before the seed, the bag, the weights and the sets were recorded."""
    record = {"ranker": params, "dropped": list(drop), "abstentionReport": report}
    if seed() != SHIPPED_SEED:
        record["seed"] = seed()
    if bag() != 1:
        record["bag"] = bag()
    if not is_recipe(weights):
        record["cellWeights"] = dict(sorted(weights.items()))
    if set(sets) != default_sets(dump_sets):
        record["abstentionSets"] = sorted(sets)
    return record


def fitted_model(path):
    """quotebot.json as train_ranker.py wrote it, for train_ce_stage.py to add its stage to. Missing, not JSON, or
    without the `fitted` block the stage reads its knobs from: one line saying to run train_ranker.py first, rather
    than a traceback."""
    try:
        with open(path) as f:
            doc = json.load(f)
    except FileNotFoundError:
        sys.exit(f"{path} is missing: run train_ranker.py first")
    except ValueError as err:
        sys.exit(f"{path} is not JSON ({err}): run train_ranker.py first")
    if not isinstance(doc, dict) or not isinstance(doc.get("fitted"), dict):
        sys.exit(f"{path} has no `fitted` block (train_ranker.py's record of its fit): run train_ranker.py first")
    return doc


def ranker_file(dump, params, drop, at_seed=None, size=None):
    """Where train_ranker.py saves its LightGBM ranker in the dump folder and train_ce_stage.py reads it back (at
    `at_seed`, else QUOTEBOT_SEED's; of `size` fits, else QUOTEBOT_BAG's). A seed other than 7 and a bag are in the
    name, so a run at another seed or size leaves the folder's seed-7 ranker as it was (a bag's fits are saved as
    this name's `-0.txt`, `-1.txt`, ...: lgb_trees.fit_files)."""
    at_seed = seed() if at_seed is None else at_seed
    size = bag() if size is None else size
    tag = ("" if at_seed == SHIPPED_SEED else f"-seed{at_seed}") + ("" if size == 1 else f"-bag{size}")
    return os.path.join(dump, f"ranker-{params['num_leaves']}-{params['rounds']}-{'-'.join(drop)}{tag}.txt")


def names(knob):
    """The comma-separated names of an environment knob, as a set."""
    return {n for n in os.environ.get(knob, "").split(",") if n}


def abstention_sets(dump_sets, where):
    """The squad-train* sets of a dump (`where`) both abstention models fit on: every one but the experiment sets
    (EXPERIMENT_SETS, taken only when QUOTEBOT_WITH=set,set names them) and those QUOTEBOT_LEAVE_OUT=set,set names
    (the same fit without them). A name the dump does not hold is refused, so a typo never fits as before unnoticed."""
    leave_out, taken_in = names("QUOTEBOT_LEAVE_OUT"), names("QUOTEBOT_WITH")
    squad = {s for s in dump_sets if s.startswith("squad-train")}
    for knob, named in (("QUOTEBOT_LEAVE_OUT", leave_out), ("QUOTEBOT_WITH", taken_in)):
        if named - squad:
            sys.exit(f"{knob} names no squad-train* set of {where}: {sorted(named - squad)}")
    if taken_in - set(EXPERIMENT_SETS):
        sys.exit(f"QUOTEBOT_WITH takes only {', '.join(EXPERIMENT_SETS)} (the fits take every other set unasked), not {sorted(taken_in - set(EXPERIMENT_SETS))}")
    return (default_sets(dump_sets) | taken_in) - leave_out


def default_sets(dump_sets):
    """The squad-train* sets of a dump the abstention fits on with neither QUOTEBOT_WITH nor QUOTEBOT_LEAVE_OUT: every
    one but the experiment sets."""
    return {s for s in dump_sets if s.startswith("squad-train") and s not in EXPERIMENT_SETS}


def stage_sets(fitted, dump_sets, where):
    """The squad-train* sets train_ranker.py's abstention fitted on, which the cross-encoder stage's abstention fits on
    too: a written quotebot.json records them when the knobs changed them (`fitted.abstentionSets`; none: the dump's
    `default_sets`), so the stage run alone later fits as the ranker step did whatever QUOTEBOT_WITH /
    QUOTEBOT_LEAVE_OUT then say (a differing knob is set aside with one line, as `stage_seed` sets aside QUOTEBOT_SEED);
    recorded sets the dump (`where`) does not hold are refused. A dry run writes none, so the stage then takes the
    knobs (`abstention_sets`), as train_ranker.py did."""
    if os.environ.get("QUOTEBOT_DRY") == "1":
        return abstention_sets(dump_sets, where)
    recorded = fitted.get("abstentionSets")
    if recorded is None:
        recorded = default_sets(dump_sets)
    elif set(recorded) - set(dump_sets):
        sys.exit(f"quotebot.json's abstention was fitted on sets {where} does not hold: {sorted(set(recorded) - set(dump_sets))} "
                 f"(the stage fits on the ranker step's sets: give it that dump)")
    knobs = [k for k in ("QUOTEBOT_WITH", "QUOTEBOT_LEAVE_OUT") if k in os.environ]
    if knobs and abstention_sets(dump_sets, where) != set(recorded):
        print(f"  {' '.join(f'{k}={os.environ[k]}' for k in knobs)} set aside: quotebot.json's abstention was fitted on "
              f"{', '.join(sorted(recorded))}, and the stage fits on them", file=sys.stderr)
    return set(recorded)


def cell_weights(fitted_sets):
    """QUOTEBOT_CELL_WEIGHT=set=w,set=w: the weight of those sets' (domain, answerable) abstention cells against every
    other cell's 1 (experiments: how much a new set should count), for sets among `fitted_sets` (the domains the
    abstention fits on) and weights above 0 only: a misspelt set or a weight of -5 is refused, never fitted as 1.
    Sets it does not name keep RECIPE_CELL_WEIGHTS' weight when fitted on (`squad-train-small=1`: the older recipe)."""
    weights = knob_weights()
    if set(weights) - set(fitted_sets):
        sys.exit(f"QUOTEBOT_CELL_WEIGHT names no set the abstention fits on: {sorted(set(weights) - set(fitted_sets))} "
                 f"(they are {', '.join(sorted(fitted_sets))})")
    return {**{s: w for s, w in RECIPE_CELL_WEIGHTS.items() if s in fitted_sets}, **weights}


def knob_weights():
    """QUOTEBOT_CELL_WEIGHT's set=weight pairs as named (a malformed item or a weight not above 0 refused), not yet
    checked against the fitted sets (`cell_weights` does; a stage setting the knob aside need not)."""
    weights = {}
    for item in sorted(names("QUOTEBOT_CELL_WEIGHT")):
        name, _, value = item.partition("=")
        try:
            weight = float(value)
        except ValueError:
            weight = math.nan
        if not name or name in weights or not math.isfinite(weight) or weight <= 0:
            sys.exit(f"QUOTEBOT_CELL_WEIGHT takes set=weight,set=weight, each set once, each weight above 0, not {item!r}")
        weights[name] = weight
    return weights


def is_recipe(weights):
    """Whether `cell_weights`' weights are the recipe's: every fitted set at RECIPE_CELL_WEIGHTS' weight, else 1 (a
    recipe set left out of the fit has no weight, and differs from nothing)."""
    return all(w == RECIPE_CELL_WEIGHTS.get(s, 1.0) for s, w in weights.items())


def stage_cell_weights(fitted, fitted_sets):
    """The cell weights train_ranker.py's abstention fitted with, which the cross-encoder stage's abstention fits with
    too: a written quotebot.json records them when not the recipe's (`fitted.cellWeights`, every other cell 1; none:
    the recipe's), so the stage run alone later fits as the ranker step did whatever QUOTEBOT_CELL_WEIGHT then says
    (a differing knob is set aside with one line, as `stage_seed` sets aside QUOTEBOT_SEED); recorded weights of a set
    the stage does not fit on (`stage_sets`: a file written before the sets were recorded) are refused. A dry
    run writes none, so the stage then takes QUOTEBOT_CELL_WEIGHT, as train_ranker.py did."""
    if os.environ.get("QUOTEBOT_DRY") == "1":
        return cell_weights(fitted_sets)
    recorded = fitted.get("cellWeights")
    if recorded is None:
        recorded = {s: w for s, w in RECIPE_CELL_WEIGHTS.items() if s in fitted_sets}
    elif set(recorded) - set(fitted_sets):
        sys.exit(f"quotebot.json's abstention was fitted with cell weights of sets the stage does not fit on: "
                 f"{sorted(set(recorded) - set(fitted_sets))} (a quotebot.json written before fitted.abstentionSets: refit it)")
    # the knob's weights over the recipe's, unchecked against the sets: one naming a set the recorded sets leave out
    # (QUOTEBOT_WITH set aside by `stage_sets`) is set aside too, not refused
    asked = {**{s: w for s, w in RECIPE_CELL_WEIGHTS.items() if s in fitted_sets}, **knob_weights()}
    if "QUOTEBOT_CELL_WEIGHT" in os.environ and not_one(asked) != not_one(recorded):
        print(f"  QUOTEBOT_CELL_WEIGHT={os.environ['QUOTEBOT_CELL_WEIGHT']} set aside: quotebot.json's abstention was fitted "
              f"with cell weights {json.dumps(recorded)}, and the stage fits with them", file=sys.stderr)
    return recorded


def not_one(weights):
    """The weights other than 1 (a cell named at 1 weighs as one not named)."""
    return {s: w for s, w in weights.items() if w != 1}
