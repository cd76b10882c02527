import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FlatTree, TreeEnsemble } from '../src/engine/ranking/trees';

/** lgb_trees.py's bags (QUOTEBOT_BAG) as the engine evaluates them: fitted by LightGBM, so only where python has it. */
const TRAINING = import.meta.dirname;
const PYTHON = [path.join(TRAINING, '..', '.venv', 'bin', 'python'), 'python3'].find(
  (python) => spawnSync(python, ['-c', 'import lightgbm, numpy']).status === 0,
);
if (!PYTHON) console.warn('no python with lightgbm and numpy: the bag\'s trees (lgb_trees.py) are not checked against the engine');

// A bag of 3 lambdarank fits on random groups of 20 rows, its flat trees, and LightGBM's scores of a few other rows.
const FIT = `import json, sys
import numpy as np, lightgbm as lgb
sys.path.insert(0, ${JSON.stringify(TRAINING)})
from lgb_trees import fit_bag, flat_trees
rng = np.random.default_rng(0)
x = rng.normal(size=(600, 3)).astype(np.float32)
y = np.zeros(600); y[np.arange(0, 600, 20) + (x[::20, 0] > 0)] = 1
ds = lgb.Dataset(x, y, group=[20] * 30, free_raw_data=False)
p = {"objective": "lambdarank", "num_threads": 1, "deterministic": True, "force_row_wise": True, "verbose": -1,
     "min_data_in_leaf": 10, "num_leaves": 5, "bagging_fraction": 0.8, "bagging_freq": 1, "feature_fraction": 0.7}
bag = fit_bag(lambda s: lgb.train({**p, "seed": s}, ds, num_boost_round=20), [7, 1007, 2007])
rows = rng.normal(size=(12, 3)).astype(np.float32)
print(json.dumps({"trees": flat_trees(bag), "rows": rows.tolist(), "bag": bag.predict(rows).tolist(),
                  "fits": [b.predict(rows).tolist() for b in bag.boosters]}))`;

describe.skipIf(!PYTHON)('a bag of LightGBM fits (lgb_trees.py) through the engine', () => {
  it('stores the mean of its fits as one tree list the engine sums to LightGBM\'s mean, the fits at their own seeds', () => {
    const run = spawnSync(PYTHON!, ['-c', FIT], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    const { trees, rows, bag, fits } = JSON.parse(run.stdout) as { trees: FlatTree[]; rows: number[][]; bag: number[]; fits: number[][] };
    const engine = new TreeEnsemble({ features: ['a', 'b', 'c'], trees }, ['a', 'b', 'c']);
    expect(engine.size).toBe(3 * 20);
    rows.forEach((row, i) => {
      expect(engine.score(row)).toBeCloseTo(bag[i], 9);
      expect(bag[i]).toBeCloseTo((fits[0][i] + fits[1][i] + fits[2][i]) / 3, 12);
    });
    // the seeds reach the fits: three fits of one seed would average to any one of them
    expect(fits[1].some((s, i) => Math.abs(s - fits[0][i]) > 1e-6)).toBe(true);
  }, 60_000);
});
