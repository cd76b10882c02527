import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** dump_rows.py's CandidateDump over a small dump written here: the rankers' training groups and their weights. */
const TRAINING = import.meta.dirname;
const HAS_NUMPY = spawnSync('python3', ['-c', 'import numpy']).status === 0;
if (!HAS_NUMPY) console.warn('python3 with numpy is not on the PATH: dump_rows.py\'s ranker groups are not checked');

const NAMES = ['bm25', 'coverage'];
/** Groups of a dump: set, id (TITLE#p.q), and each row's coverage and label. */
const GROUPS: Array<[string, string, Array<[number, number]>]> = [
  ['squad-train', 'A#0.0', [[0.9, 0], [0.6, 1]]], // the gold asked in the question's words
  ['squad-train', 'A#0.3', [[0.8, 0], [0.1, 1]]], // the gold shares little with the question
  ['squad-train', 'B#1.0', [[0.5, 1], [0.2, 0]]],
  ['squad-train-small', 'B#1.0', [[0.2, 1]]],
  ['squad-train-small-ranker', 'A#0.3', [[0.1, 0], [0.2, 1]]],
  ['squad-train-small-ranker', 'A#0.6', [[0.1, 0]]], // its gold fell out of the shortlist: nothing to rank
];

const dir = mkdtempSync(path.join(tmpdir(), 'dump-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, 'features.json'), JSON.stringify({ names: NAMES, count: NAMES.length, shortlist: 40 }));
writeFileSync(
  path.join(dir, 'groups.jsonl'),
  GROUPS.map(([set, id, rows]) => JSON.stringify({ set, id, answerable: true, n: rows.length, labels: rows.map((r) => r[1]).join('') })).join('\n') + '\n',
);
const floats = new Float32Array(GROUPS.flatMap(([, , rows]) => rows.flatMap(([coverage]) => [1, coverage])));
writeFileSync(path.join(dir, 'features.f32'), Buffer.from(floats.buffer));

/** `expression` evaluated with `dump` the CandidateDump of the dump above, as JSON. */
function evaluate(expression: string) {
  const code = `import json, sys\nsys.path.insert(0, ${JSON.stringify(TRAINING)})\nfrom dump_rows import CandidateDump\ndump = CandidateDump(${JSON.stringify(dir)})\nprint(json.dumps(${expression}))`;
  const run = spawnSync('python3', ['-c', code], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 20_000 });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout);
}
const groups = (weights: object) => evaluate(`(lambda g: [g[0], g[1].tolist()])(dump.ranker_groups(dump.select(lambda m: m["set"] == "squad-train"), ${JSON.stringify(weights)}))`);

describe.skipIf(!HAS_NUMPY)('the rankers\' training groups (dump_rows.py)', () => {
  it('trains on squad-train alone, each group 1, with the recipe\'s weights (none)', () => {
    expect(groups({})).toEqual([[0, 1, 2], [1, 1, 1]]);
  });

  it('adds the groups with a gold of the sets named, at their weight, after squad-train\'s', () => {
    expect(groups({ 'squad-train-small-ranker': 0.5 })).toEqual([[0, 1, 2, 4], [1, 1, 1, 0.5]]);
  });

  it('weighs the squad-train groups whose gold row covers less than 0.3 of the question by the paraphrase weight', () => {
    expect(groups({ paraphrase: 3 })).toEqual([[0, 1, 2], [1, 3, 1]]);
  });
});
