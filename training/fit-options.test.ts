import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** fit_options.py, the environment knobs of train_ranker.py and train_ce_stage.py (standard library only). */
const TRAINING = import.meta.dirname;
const HAS_PYTHON = spawnSync('python3', ['--version']).status === 0;
if (!HAS_PYTHON) console.warn('python3 is not on the PATH: the training knobs (fit_options.py) are not checked');

/** Runs `expression` with fit_options imported (after `setup`'s lines), in an environment of only `env`. */
function python(expression: string, env: Record<string, string>, setup: string) {
  const code = `import json, sys\nsys.path.insert(0, ${JSON.stringify(TRAINING)})\nfrom fit_options import *\n${setup}\nprint(json.dumps(${expression}))`;
  return spawnSync('python3', ['-c', code], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 20_000 });
}

/** `expression`'s printed JSON, or its exit. */
function knobs(expression: string, env: Record<string, string> = {}, setup = '') {
  const run = python(expression, env, setup);
  return run.status === 0 ? JSON.parse(run.stdout) : { status: run.status, stderr: run.stderr.trim() };
}

/** `expression`'s printed JSON and what it said on stderr, or its exit. */
function knobsSaying(expression: string, env: Record<string, string> = {}, setup = '') {
  const run = python(expression, env, setup);
  return run.status === 0 ? { value: JSON.parse(run.stdout), said: run.stderr.trim() } : { status: run.status, stderr: run.stderr.trim() };
}

// The sets the committed models' abstention fitted on (their dump's squad-train* sets, the news years' weeks).
const FITTED_SETS = ['squad-train', 'squad-train-far', 'squad-train-own', 'squad-train-other', 'squad-train-small', 'squad-train-small-other',
  'news-2020-own', 'news-2020-other', 'news-2021-own', 'news-2021-other'];
const SETS = JSON.stringify(FITTED_SETS);
// fitted_record's last two arguments for a fit on the sets of a dump of FITTED_SETS with neither QUOTEBOT_WITH nor _LEAVE_OUT
const DEFAULT_SETS = `default_sets(${SETS}), ${SETS}`;

// Each case starts python3 a few times: seconds under load, so more than vitest's 5 s default.
describe.skipIf(!HAS_PYTHON)('the training knobs (fit_options.py)', { timeout: 60_000 }, () => {
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

  it('records the seed in quotebot.json only when not 7, and the stage fits at the recorded seed, with that seed\'s ranker file', () => {
    const record = (env: Record<string, string>) => knobs(`fitted_record({"num_leaves": 15, "rounds": 300}, ("position",), {"r": 1}, cell_weights(${SETS}), ${DEFAULT_SETS})`, env);
    expect(record({})).toEqual({ ranker: { num_leaves: 15, rounds: 300 }, dropped: ['position'], abstentionReport: { r: 1 } });
    expect(record({ QUOTEBOT_SEED: '7' })).toEqual(record({}));
    expect(record({ QUOTEBOT_SEED: '8' })).toEqual({ ranker: { num_leaves: 15, rounds: 300 }, dropped: ['position'], abstentionReport: { r: 1 }, seed: 8 });
    // A refit at seed 8 written, then train_ce_stage.py run alone (QUOTEBOT_SEED unset, or another): seed 8's ranker file.
    const written = JSON.stringify(record({ QUOTEBOT_SEED: '8' }));
    const stage = (env: Record<string, string>) =>
      knobs(`[stage_seed(fitted), ranker_file("/d", fitted["ranker"], fitted["dropped"], stage_seed(fitted))]`, env, `fitted = json.loads(${JSON.stringify(written)})`);
    expect(stage({})).toEqual([8, '/d/ranker-15-300-position-seed8.txt']);
    expect(stage({ QUOTEBOT_SEED: '9' })).toEqual([8, '/d/ranker-15-300-position-seed8.txt']);
    // No seed recorded: seed 7; a dry run (nothing written) takes QUOTEBOT_SEED, as train_ranker.py did.
    expect(knobs('stage_seed({})', { QUOTEBOT_SEED: '9' })).toBe(7);
    expect(knobs('stage_seed({"seed": 8})', { QUOTEBOT_DRY: '1', QUOTEBOT_SEED: '9' })).toBe(9);
    expect(knobs('stage_seed({})', { QUOTEBOT_DRY: '1' })).toBe(7);
  });

  it('QUOTEBOT_BAG averages K fits at seeds 1000 apart, records K when not 1, and the stage pairs with the recorded bag and its files', () => {
    expect(knobs('[bag(), bag_seeds()]')).toEqual([1, [7]]);
    expect(knobs('[bag(), bag_seeds()]', { QUOTEBOT_BAG: '3', QUOTEBOT_SEED: '8' })).toEqual([3, [8, 1008, 2008]]);
    for (const bad of ['0', 'four', '-2']) {
      expect(knobs('bag()', { QUOTEBOT_BAG: bad })).toEqual({ status: 1, stderr: `QUOTEBOT_BAG must be a whole number of fits, 1 or more, not '${bad}'` });
    }
    const record = (env: Record<string, string>) => knobs(`fitted_record({"num_leaves": 15, "rounds": 300}, (), {}, cell_weights(${SETS}), ${DEFAULT_SETS})`, env);
    expect(record({ QUOTEBOT_BAG: '1' })).toEqual(record({}));
    expect(record({ QUOTEBOT_BAG: '4' })).toEqual({ ...record({}), bag: 4 });
    // A bag of 4 at seed 8 written, then the stage run alone with other knobs: the recorded bag, seed and file name.
    const written = JSON.stringify(record({ QUOTEBOT_BAG: '4', QUOTEBOT_SEED: '8' }));
    const stage = (env: Record<string, string>) => knobsSaying(
      '[stage_bag(fitted), bag_seeds(stage_seed(fitted), stage_bag(fitted)), ranker_file("/d", fitted["ranker"], [], stage_seed(fitted), stage_bag(fitted))]',
      env, `fitted = json.loads(${JSON.stringify(written)})`);
    expect(stage({})).toEqual({ value: [4, [8, 1008, 2008, 3008], '/d/ranker-15-300--seed8-bag4.txt'], said: '' });
    expect(stage({ QUOTEBOT_BAG: '4' }).said).toBe(''); // the knob agreeing: nothing set aside, nothing said
    expect(stage({ QUOTEBOT_BAG: '2' })).toMatchObject({ value: [4, [8, 1008, 2008, 3008], '/d/ranker-15-300--seed8-bag4.txt'] });
    expect(stage({ QUOTEBOT_BAG: '2' }).said).toContain("QUOTEBOT_BAG=2 set aside: quotebot.json's ranker averaged 4 fits");
    // Nothing recorded: one fit; a dry run (nothing written) takes QUOTEBOT_BAG, as train_ranker.py did.
    expect(knobs('stage_bag({})', { QUOTEBOT_BAG: '3' })).toBe(1);
    expect(knobs('stage_bag({"bag": 4})', { QUOTEBOT_DRY: '1', QUOTEBOT_BAG: '3' })).toBe(3);
    expect(knobs('ranker_file("/d", {"num_leaves": 15, "rounds": 300}, ())', { QUOTEBOT_BAG: '4' })).toBe('/d/ranker-15-300--bag4.txt');
  });

  it('writes the committed (seed 7) quotebot.json byte for byte as before the seed was recorded', () => {
    // The committed file's own `fitted`, rebuilt by the writer (train_ce_stage.py then adds `crossEncoder`, in place).
    const setup = (dumpSets: string[]) => [
      'import hashlib, os',
      `dump_sets = ${JSON.stringify(dumpSets)}`,
      `raw = open(os.path.join(${JSON.stringify(TRAINING)}, "..", "models", "glove-sif-100d", "quotebot.json"), "rb").read()`,
      'doc = json.loads(raw)',
      'f = doc["fitted"]',
      `doc["fitted"] = {**fitted_record(f["ranker"], f["dropped"], f["abstentionReport"], cell_weights(${SETS}), abstention_sets(dump_sets, "D"), dump_sets), "crossEncoder": f["crossEncoder"]}`,
      'sha = lambda b: hashlib.sha256(b).hexdigest()',
    ].join('\n');
    const digests = (env: Record<string, string>, dumpSets = FITTED_SETS) => {
      const run = knobs('[sha(raw), sha(json.dumps(doc, separators=(",", ":")).encode())]', env, setup(dumpSets));
      // a run that exited (a knob refused) has no digests: never a `.not.toBe(committed)` passed by undefined
      expect(run).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/), expect.stringMatching(/^[0-9a-f]{64}$/)]);
      return run as string[];
    };
    const [committed, rebuilt] = digests({});
    expect(rebuilt).toBe(committed);
    expect(digests({ QUOTEBOT_SEED: '8' })[1]).not.toBe(committed);
    // the recipe's weights named, or a cell named at 1, fit as the recipe: the file stays byte for byte; another weight does not
    expect(digests({ QUOTEBOT_CELL_WEIGHT: 'squad-train-small=0.5,news-2020-own=1' })[1]).toBe(committed);
    expect(digests({ QUOTEBOT_CELL_WEIGHT: 'squad-train-small=1' })[1]).not.toBe(committed);
    // the default sets (a dump extended with the experiment, not taken in): byte for byte; a set left out or taken in: not
    const extended = [...FITTED_SETS, 'squad-train-small-near'];
    expect(digests({}, extended)[1]).toBe(committed);
    expect(digests({ QUOTEBOT_WITH: '' }, extended)[1]).toBe(committed);
    expect(digests({ QUOTEBOT_WITH: 'squad-train-small-near' }, extended)[1]).not.toBe(committed);
    expect(digests({ QUOTEBOT_LEAVE_OUT: 'squad-train-small-other' })[1]).not.toBe(committed);
  });

  it('records the abstention\'s squad-train* sets in quotebot.json only when QUOTEBOT_WITH / QUOTEBOT_LEAVE_OUT changed them, sorted', () => {
    const recorded = (env: Record<string, string>, dumpSets = FITTED_SETS) =>
      knobs(`fitted_record({}, (), {}, {}, abstention_sets(dump_sets, "D"), dump_sets).get("abstentionSets")`, env, `dump_sets = ${JSON.stringify(dumpSets)}`);
    const extended = [...FITTED_SETS, 'squad-train-small-near'];
    const squad = FITTED_SETS.filter((s) => s.startsWith('squad-train')).sort();
    expect(recorded({})).toBe(null);
    expect(recorded({}, extended)).toBe(null); // the experiment left out, as by default
    expect(recorded({ QUOTEBOT_WITH: 'squad-train-small-near' }, extended)).toEqual([...squad, 'squad-train-small-near'].sort());
    expect(recorded({ QUOTEBOT_LEAVE_OUT: 'squad-train-small,squad-train-small-other' })).toEqual(
      squad.filter((s) => !s.startsWith('squad-train-small')),
    );
  });

  it('the stage fits on the sets quotebot.json records (else the dump\'s default), setting a differing knob aside; a dry run takes the knobs', () => {
    const extended = [...FITTED_SETS, 'squad-train-small-near'];
    const squad = FITTED_SETS.filter((s) => s.startsWith('squad-train')).sort();
    const written = (env: Record<string, string>, dumpSets = extended) =>
      JSON.stringify(knobs(`fitted_record({}, (), {}, {}, abstention_sets(dump_sets, "D"), dump_sets)`, env, `dump_sets = ${JSON.stringify(dumpSets)}`));
    const stage = (env: Record<string, string>, fitted: string, dumpSets = extended) =>
      knobsSaying(`sorted(stage_sets(json.loads(${JSON.stringify(fitted)}), ${JSON.stringify(dumpSets)}, "D"))`, env);
    // train_ce_stage.py run alone after QUOTEBOT_LEAVE_OUT (unset now, or another): the ranker step's sets, not the default
    const leftOut = written({ QUOTEBOT_LEAVE_OUT: 'squad-train-small-other' }, FITTED_SETS);
    const withoutOther = squad.filter((s) => s !== 'squad-train-small-other');
    expect(stage({}, leftOut, FITTED_SETS)).toEqual({ value: withoutOther, said: '' });
    expect(stage({ QUOTEBOT_LEAVE_OUT: 'squad-train-small-other' }, leftOut, FITTED_SETS)).toEqual({ value: withoutOther, said: '' });
    expect(stage({ QUOTEBOT_LEAVE_OUT: 'squad-train-small' }, leftOut, FITTED_SETS)).toEqual({
      value: withoutOther,
      said: `QUOTEBOT_LEAVE_OUT=squad-train-small set aside: quotebot.json's abstention was fitted on ${withoutOther.join(', ')}, and the stage fits on them`,
    });
    // after QUOTEBOT_WITH: the experiment taken in again, with the weights recorded for it
    const near = written({ QUOTEBOT_WITH: 'squad-train-small-near' });
    expect(stage({}, near)).toEqual({ value: [...squad, 'squad-train-small-near'].sort(), said: '' });
    const nearWeights = JSON.stringify({ ...JSON.parse(near), cellWeights: { 'squad-train-small': 0.5, 'squad-train-small-near': 5 } });
    expect(knobs(`stage_cell_weights(fitted, stage_sets(fitted, ${JSON.stringify(extended)}, "D"))`, {}, `fitted = json.loads(${JSON.stringify(nearWeights)})`)).toEqual({
      'squad-train-small': 0.5,
      'squad-train-small-near': 5,
    });
    // nothing recorded: the dump's default, whatever the knobs say (a knob giving the same sets says nothing)
    expect(stage({}, '{}')).toEqual({ value: squad, said: '' });
    expect(stage({ QUOTEBOT_WITH: '' }, '{}')).toEqual({ value: squad, said: '' });
    expect(stage({ QUOTEBOT_WITH: 'squad-train-small-near', QUOTEBOT_LEAVE_OUT: 'squad-train-far' }, '{}')).toEqual({
      value: squad,
      said: `QUOTEBOT_WITH=squad-train-small-near QUOTEBOT_LEAVE_OUT=squad-train-far set aside: quotebot.json's abstention was fitted on ${squad.join(', ')}, and the stage fits on them`,
    });
    // recorded sets the dump does not hold (the experiment's copy not given): refused, never fitted on fewer sets
    expect(stage({}, near, FITTED_SETS)).toEqual({
      status: 1,
      stderr: "quotebot.json's abstention was fitted on sets D does not hold: ['squad-train-small-near'] (the stage fits on the ranker step's sets: give it that dump)",
    });
    // a dry run (nothing written) takes the knobs, as train_ranker.py did
    expect(stage({ QUOTEBOT_DRY: '1', QUOTEBOT_WITH: 'squad-train-small-near' }, '{}')).toEqual({ value: [...squad, 'squad-train-small-near'].sort(), said: '' });
    expect(stage({ QUOTEBOT_DRY: '1' }, near)).toEqual({ value: squad, said: '' });
  });

  it('records the cell weights in quotebot.json only when not the recipe\'s: all of them, every other cell 1', () => {
    const recorded = (env: Record<string, string>, sets = FITTED_SETS) =>
      knobs(`fitted_record({}, (), {}, cell_weights(${JSON.stringify(sets)}), ${DEFAULT_SETS}).get("cellWeights")`, env);
    expect(recorded({})).toBe(null);
    expect(recorded({ QUOTEBOT_CELL_WEIGHT: 'squad-train-small=0.5' })).toBe(null);
    expect(recorded({ QUOTEBOT_CELL_WEIGHT: 'squad-train-small=1' })).toEqual({ 'squad-train-small': 1 });
    expect(recorded({ QUOTEBOT_CELL_WEIGHT: 'squad-train-small-near=5' }, [...FITTED_SETS, 'squad-train-small-near'])).toEqual({
      'squad-train-small': 0.5,
      'squad-train-small-near': 5,
    });
    // the small corpora left out (QUOTEBOT_LEAVE_OUT): no recipe weight is set aside, nothing recorded
    expect(recorded({}, FITTED_SETS.filter((s) => s !== 'squad-train-small'))).toBe(null);
    expect(knobs(`fitted_record({}, (), {}, cell_weights(${SETS}), ${DEFAULT_SETS})`, { QUOTEBOT_SEED: '8', QUOTEBOT_CELL_WEIGHT: 'news-2021-own=2' })).toEqual({
      ranker: {}, dropped: [], abstentionReport: {}, seed: 8, cellWeights: { 'news-2021-own': 2, 'squad-train-small': 0.5 },
    });
  });

  it('the stage fits with the cell weights quotebot.json records (else the recipe\'s), setting a differing knob aside; a dry run takes the knob', () => {
    const written = JSON.stringify(knobs(`fitted_record({}, (), {}, cell_weights(${SETS}), ${DEFAULT_SETS})`, { QUOTEBOT_CELL_WEIGHT: 'squad-train-small=1' }));
    const stage = (env: Record<string, string>, fitted = written, sets = FITTED_SETS) =>
      knobsSaying(`stage_cell_weights(json.loads(${JSON.stringify(fitted)}), ${JSON.stringify(sets)})`, env);
    // train_ce_stage.py run alone after an override (QUOTEBOT_CELL_WEIGHT unset, or another): the ranker step's weights
    expect(stage({})).toEqual({ value: { 'squad-train-small': 1 }, said: '' });
    expect(stage({ QUOTEBOT_CELL_WEIGHT: 'squad-train-small=1' })).toEqual({ value: { 'squad-train-small': 1 }, said: '' });
    expect(stage({ QUOTEBOT_CELL_WEIGHT: 'squad-train-small=0.25' })).toEqual({
      value: { 'squad-train-small': 1 },
      said: 'QUOTEBOT_CELL_WEIGHT=squad-train-small=0.25 set aside: quotebot.json\'s abstention was fitted with cell weights {"squad-train-small": 1}, and the stage fits with them',
    });
    // nothing recorded: the recipe's, whatever the knob says (a cell named at 1 is no change, and says nothing)
    expect(stage({}, '{}')).toEqual({ value: { 'squad-train-small': 0.5 }, said: '' });
    expect(stage({ QUOTEBOT_CELL_WEIGHT: 'news-2020-own=1' }, '{}')).toEqual({ value: { 'squad-train-small': 0.5 }, said: '' });
    expect(stage({ QUOTEBOT_CELL_WEIGHT: 'squad-train-small=1' }, '{}')).toMatchObject({ value: { 'squad-train-small': 0.5 } });
    expect(stage({}, '{}', ['squad-train', 'news-2020-own'])).toEqual({ value: {}, said: '' });
    // a dry run (nothing written) takes QUOTEBOT_CELL_WEIGHT, as train_ranker.py did
    expect(stage({ QUOTEBOT_DRY: '1', QUOTEBOT_CELL_WEIGHT: 'squad-train-small=0.25' })).toEqual({ value: { 'squad-train-small': 0.25 }, said: '' });
    expect(stage({ QUOTEBOT_DRY: '1' })).toEqual({ value: { 'squad-train-small': 0.5 }, said: '' });
    // recorded weights of a set the stage does not fit on (a file older than fitted.abstentionSets): refused, never fitted at 1
    const near = JSON.stringify({ cellWeights: { 'squad-train-small': 0.5, 'squad-train-small-near': 5 } });
    expect(stage({}, near)).toEqual({
      status: 1,
      stderr: "quotebot.json's abstention was fitted with cell weights of sets the stage does not fit on: ['squad-train-small-near'] (a quotebot.json written before fitted.abstentionSets: refit it)",
    });
    expect(stage({}, near, [...FITTED_SETS, 'squad-train-small-near'])).toMatchObject({ value: { 'squad-train-small': 0.5, 'squad-train-small-near': 5 } });
    // run alone after a knob-free ranker step with an experiment's knobs left set: both set aside, never a refusal
    const extended = [...FITTED_SETS, 'squad-train-small-near'];
    const env = { QUOTEBOT_WITH: 'squad-train-small-near', QUOTEBOT_CELL_WEIGHT: 'squad-train-small-near=5' };
    const alone = knobsSaying(`stage_cell_weights({}, stage_sets({}, ${JSON.stringify(extended)}, "D") | {"news-2020-own"})`, env);
    expect(alone).toMatchObject({ value: { 'squad-train-small': 0.5 } });
    expect(alone.said).toContain('QUOTEBOT_CELL_WEIGHT=squad-train-small-near=5 set aside');
    // a malformed knob is still refused, set aside or not
    expect(stage({ QUOTEBOT_CELL_WEIGHT: 'squad-train-small-near=-5' }, '{}')).toMatchObject({ status: 1 });
  });

  it('fits the abstention on the squad-train* sets, the near-topic one only when QUOTEBOT_WITH names it, and refuses a set the dump lacks', () => {
    const kept = (env: Record<string, string>) => knobs('sorted(abstention_sets({"squad-dev", "squad-train", "squad-train-small", "squad-train-small-near"}, "D"))', env);
    expect(kept({})).toEqual(['squad-train', 'squad-train-small']); // a dump extended with the experiment refits as before
    expect(kept({ QUOTEBOT_WITH: 'squad-train-small-near' })).toEqual(['squad-train', 'squad-train-small', 'squad-train-small-near']);
    expect(kept({ QUOTEBOT_WITH: 'squad-train-small-near', QUOTEBOT_LEAVE_OUT: 'squad-train-small' })).toEqual(['squad-train', 'squad-train-small-near']);
    expect(kept({ QUOTEBOT_WITH: 'squad-train-near' })).toEqual({ status: 1, stderr: "QUOTEBOT_WITH names no squad-train* set of D: ['squad-train-near']" });
    expect(kept({ QUOTEBOT_LEAVE_OUT: 'squad-train-smal' })).toEqual({ status: 1, stderr: "QUOTEBOT_LEAVE_OUT names no squad-train* set of D: ['squad-train-smal']" });
    // squad-dev is never fitted on: leaving it out would change nothing, and say nothing
    expect(kept({ QUOTEBOT_LEAVE_OUT: 'squad-dev' })).toEqual({ status: 1, stderr: "QUOTEBOT_LEAVE_OUT names no squad-train* set of D: ['squad-dev']" });
    expect(kept({ QUOTEBOT_WITH: 'squad-train-small' })).toEqual({
      status: 1,
      stderr: "QUOTEBOT_WITH takes only squad-train-small-near (the fits take every other set unasked), not ['squad-train-small']",
    });
  });

  it('QUOTEBOT_CELL_WEIGHT weighs the abstention cells of fitted sets it names, and refuses a bad weight or a set not fitted', () => {
    const weights = (value: string) => knobs('cell_weights({"squad-train-small-near", "news-2020-own", "squad-train-small"})', { QUOTEBOT_CELL_WEIGHT: value });
    expect(weights('squad-train-small-near=0.5,news-2020-own=2')).toEqual({ 'squad-train-small': 0.5, 'squad-train-small-near': 0.5, 'news-2020-own': 2 });
    // the recipe: the small corpora's answerable cell at half weight, every other cell at 1; the knob overrides it
    expect(weights('')).toEqual({ 'squad-train-small': 0.5 });
    expect(weights('squad-train-small=1')).toEqual({ 'squad-train-small': 1 });
    // a fit without the small corpora (QUOTEBOT_LEAVE_OUT) gets no weight for them, and no error
    expect(knobs('cell_weights({"news-2020-own", "squad-train"})')).toEqual({});
    // the half weight is the answerable small set's alone: the other-article small set keeps 1, also when fitted alone
    expect(knobs('cell_weights({"squad-train-small", "squad-train-small-other"})')).toEqual({ 'squad-train-small': 0.5 });
    expect(knobs('cell_weights({"squad-train", "squad-train-small-other"})')).toEqual({});
    const bad = (item: string) => ({ status: 1, stderr: `QUOTEBOT_CELL_WEIGHT takes set=weight,set=weight, each set once, each weight above 0, not '${item}'` });
    for (const item of ['x=half', 'foo', 'squad-train-small=-5', 'squad-train-small=0', 'squad-train-small=nan', 'squad-train-small=inf', '=2'])
      expect(weights(item)).toEqual(bad(item));
    expect(weights('squad-train-small=1,squad-train-small=2')).toEqual(bad('squad-train-small=2'));
    expect(weights('squad-train-smal-near=5')).toEqual({
      status: 1,
      stderr: "QUOTEBOT_CELL_WEIGHT names no set the abstention fits on: ['squad-train-smal-near'] (they are news-2020-own, squad-train-small, squad-train-small-near)",
    });
  });

  it('names the ranker file by its seed when not 7, so a dry run at another seed keeps the seed-7 ranker', () => {
    const file = (env: Record<string, string>) => knobs(`ranker_file("/d", {"num_leaves": 15, "rounds": 300}, ("position",))`, env);
    expect(file({})).toBe('/d/ranker-15-300-position.txt');
    expect(file({ QUOTEBOT_SEED: '7' })).toBe('/d/ranker-15-300-position.txt');
    expect(file({ QUOTEBOT_SEED: '8' })).toBe('/d/ranker-15-300-position-seed8.txt');
  });

  it('reads quotebot.json for the stage, or says in one line to run train_ranker.py first when it is missing or not its output', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fitted-model-'));
    const file = (name: string, text: string) => (writeFileSync(path.join(dir, name), text), path.join(dir, name));
    const read = (where: string) => knobs(`fitted_model(${JSON.stringify(where)})`);
    const rerun = (where: string, problem: string) => ({ status: 1, stderr: `${where} ${problem}: run train_ranker.py first` });
    expect(read(file('good.json', '{"fitted":{"dropped":[]},"ranker":{}}'))).toEqual({ fitted: { dropped: [] }, ranker: {} });
    expect(read(path.join(dir, 'absent.json'))).toEqual(rerun(path.join(dir, 'absent.json'), 'is missing'));
    for (const [name, text] of [['empty.json', '{}'], ['list.json', '[]'], ['null.json', '{"fitted":null}']])
      expect(read(file(name, text))).toEqual(rerun(path.join(dir, name), "has no `fitted` block (train_ranker.py's record of its fit)"));
    expect(read(file('cut.json', '{"fitted":{"dro'))).toEqual({ status: 1, stderr: expect.stringMatching(/^\S+cut\.json is not JSON \(.*\): run train_ranker\.py first$/) });
    rmSync(dir, { recursive: true, force: true }); // after the checks: a failing run leaves its files to look at
  });
});

// train_ce_stage.py itself needs numpy, scipy and LightGBM: the project's .venv (training/train-ranker.ts makes it), else python3.
const STAGE_PYTHON = [path.join(TRAINING, '..', '.venv', 'bin', 'python'), 'python3'].find(
  (python) => spawnSync(python, ['-c', 'import lightgbm, numpy, scipy']).status === 0,
);
if (!STAGE_PYTHON) console.warn('no python with lightgbm, numpy and scipy: train_ce_stage.py\'s refusal without quotebot.json is not checked');

/** train_ce_stage.py run from a checkout of training/ alone in `root` (its quotebot.json: root/models/glove-sif-100d/). */
function stageIn(root: string, env: Record<string, string>) {
  if (!existsSync(path.join(root, 'training'))) cpSync(TRAINING, path.join(root, 'training'), { recursive: true, filter: (f) => !f.endsWith('.ts') });
  const run = spawnSync(STAGE_PYTHON!, [path.join(root, 'training', 'train_ce_stage.py')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stderr: run.stderr.trim() };
}

describe.skipIf(!STAGE_PYTHON)('train_ce_stage.py without train_ranker.py\'s output', () => {
  it('stops with one line saying to run train_ranker.py first, before it loads the dump, not with a traceback', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'ce-stage-'));
    const out = path.join(root, 'models', 'glove-sif-100d', 'quotebot.json');
    const stage = () => stageIn(root, { QUOTEBOT_DUMP: path.join(root, 'no-dump') });
    expect(stage()).toEqual({ status: 1, stderr: `${out} is missing: run train_ranker.py first` });
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, '{}');
    expect(stage()).toEqual({ status: 1, stderr: `${out} has no \`fitted\` block (train_ranker.py's record of its fit): run train_ranker.py first` });
    rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it('looks for the recorded bag\'s and seed\'s ranker files whatever the knobs say, and names the first one missing (a partial bag is missing)', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'ce-stage-'));
    mkdirSync(path.join(root, 'models', 'glove-sif-100d'), { recursive: true });
    writeFileSync(path.join(root, 'models', 'glove-sif-100d', 'quotebot.json'), JSON.stringify({ fitted: { ranker: { num_leaves: 15, rounds: 300 }, dropped: [], seed: 8, bag: 4 } }));
    // a dump of one question with one candidate: enough for the stage to reach its ranker
    const dump = path.join(root, 'dump');
    mkdirSync(dump);
    writeFileSync(path.join(dump, 'groups.jsonl'), `${JSON.stringify({ set: 'news', id: 'news#0', n: 1, labels: '1', answerable: true })}\n`);
    writeFileSync(path.join(dump, 'features.json'), JSON.stringify({ names: ['fused'], count: 1, shortlist: 40 }));
    for (const name of ['features.f32', 'ce.f32']) writeFileSync(path.join(dump, name), Buffer.alloc(4));
    const fitFile = (k: number) => path.join(realpathSync(dump), `ranker-15-300--seed8-bag4-${k}.txt`);
    const missing = (k: number) => `${fitFile(k)} is missing: run train_ranker.py first (QUOTEBOT_DUMP=${realpathSync(dump)})`;
    expect(stageIn(root, { QUOTEBOT_DUMP: dump, QUOTEBOT_BAG: '2', QUOTEBOT_SEED: '8' })).toEqual({ status: 1, stderr:
      `QUOTEBOT_BAG=2 set aside: quotebot.json's ranker averaged 4 fits, and the stage pairs with it\n${missing(0)}` });
    for (const k of [0, 1, 3]) writeFileSync(fitFile(k), ''); // a bag cut short: never loaded as fewer fits
    expect(stageIn(root, { QUOTEBOT_DUMP: dump })).toEqual({ status: 1, stderr: missing(2) });
    rmSync(root, { recursive: true, force: true });
  }, 120_000);
});
