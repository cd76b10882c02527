import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** fit_options.py, the environment knobs of train_ranker.py and train_ce_stage.py (standard library only). */
const TRAINING = import.meta.dirname;
const HAS_PYTHON = spawnSync('python3', ['--version']).status === 0;
if (!HAS_PYTHON) console.warn('python3 is not on the PATH: the training knobs (fit_options.py) are not checked');

/** Runs `expression` with fit_options imported, in an environment of only `env`; its printed JSON, or its exit. */
function knobs(expression: string, env: Record<string, string> = {}) {
  const code = `import json, sys; sys.path.insert(0, ${JSON.stringify(TRAINING)}); from fit_options import *; print(json.dumps(${expression}))`;
  const run = spawnSync('python3', ['-c', code], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 20_000 });
  return run.status === 0 ? JSON.parse(run.stdout) : { status: run.status, stderr: run.stderr.trim() };
}

describe.skipIf(!HAS_PYTHON)('the training knobs (fit_options.py)', () => {
  it('QUOTEBOT_SEED sets both fits\' seed, 7 (the committed models\') when unset, and refuses a non-integer clearly', () => {
    expect(knobs('seed()')).toBe(7);
    expect(knobs('seed()', { QUOTEBOT_SEED: '9' })).toBe(9);
    expect(knobs('seed()', { QUOTEBOT_SEED: 'nine' })).toEqual({ status: 1, stderr: "QUOTEBOT_SEED must be an integer, not 'nine'" });
  });

  it('the stage drops what quotebot.json names, and in a dry run (nothing written) what QUOTEBOT_DROP names', () => {
    const fitted = JSON.stringify({ dropped: ['position'] });
    expect(knobs(`stage_dropped(json.loads(${JSON.stringify(fitted)}))`, { QUOTEBOT_DROP: 'cosine' })).toEqual(['position']);
    expect(knobs(`stage_dropped(json.loads(${JSON.stringify(fitted)}))`, { QUOTEBOT_DRY: '1', QUOTEBOT_DROP: 'cosine,align' })).toEqual(['cosine', 'align']);
    expect(knobs(`stage_dropped(json.loads(${JSON.stringify(fitted)}))`, { QUOTEBOT_DRY: '1' })).toEqual([]);
  });

  it('QUOTEBOT_CELL_WEIGHT weighs the abstention cells of the sets it names, every other one 1, and refuses a bad weight', () => {
    const env = { QUOTEBOT_CELL_WEIGHT: 'squad-train-small-near=0.5,news-2020-own=2' };
    expect(knobs('[cell_weight("squad-train-small-near"), cell_weight("news-2020-own"), cell_weight("squad-train-small")]', env)).toEqual([0.5, 2, 1]);
    expect(knobs('cell_weight(None)')).toBe(1);
    expect(knobs('cell_weight("x")', { QUOTEBOT_CELL_WEIGHT: 'x=half' })).toEqual({ status: 1, stderr: "QUOTEBOT_CELL_WEIGHT takes set=weight,set=weight, not 'x=half'" });
  });

  it('names the ranker file by its seed when not 7, so a dry run at another seed keeps the seed-7 ranker', () => {
    const file = (env: Record<string, string>) => knobs(`ranker_file("/d", {"num_leaves": 15, "rounds": 300}, ("position",))`, env);
    expect(file({})).toBe('/d/ranker-15-300-position.txt');
    expect(file({ QUOTEBOT_SEED: '7' })).toBe('/d/ranker-15-300-position.txt');
    expect(file({ QUOTEBOT_SEED: '8' })).toBe('/d/ranker-15-300-position-seed8.txt');
  });
});
