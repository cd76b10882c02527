import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from './features';
import { OFFLINE_MODEL } from '../encoders/embedder';
import { loadModelParameters, parseModelParameters } from './parameters';
import { TreeEnsemble } from './trees';

const names = ['a', 'b'];
// One stump on b, one two-level tree on a then b, one single leaf.
const ensemble = new TreeEnsemble(
  {
    features: names,
    trees: [
      { feature: [1], threshold: [0.5], left: [-1], right: [-2], leaf: [1, 2] },
      { feature: [0, 1], threshold: [0, 3], left: [-1, -2], right: [1, -3], leaf: [10, 20, 30] },
      { feature: [], threshold: [], left: [], right: [], leaf: [0.25] },
    ],
  },
  names,
);

describe('TreeEnsemble', () => {
  it('sums the leaf each tree sends the row to (left when value <= threshold)', () => {
    expect(ensemble.score([0, 0.5])).toBe(1 + 10 + 0.25);
    expect(ensemble.score([1, 0.6])).toBe(2 + 20 + 0.25);
    expect(ensemble.score([1, 4])).toBe(2 + 30 + 0.25);
    expect(ensemble.score([9, 9, 1, 4], 2)).toBe(2 + 30 + 0.25);
  });

  it('refuses an ensemble trained on other features, or a malformed tree', () => {
    expect(() => new TreeEnsemble({ features: ['b', 'a'], trees: [] }, names)).toThrow(/other features/);
    expect(() => new TreeEnsemble({ features: names, trees: [{ feature: [2], threshold: [0], left: [-1], right: [-2], leaf: [0, 1] }] }, names)).toThrow(/malformed/);
  });
});

describe('the offline model\'s ranker', () => {
  it('scores fixed rows exactly as LightGBM did when it was trained', () => {
    const warnings: string[] = [];
    const p = loadModelParameters(OFFLINE_MODEL, 'offline', (m) => warnings.push(m));
    expect(warnings).toEqual([]);
    expect(p.ranker!.size).toBeGreaterThan(10);
    const fixture = JSON.parse(readFileSync(new URL('./fixtures/ranker-rows.json', import.meta.url), 'utf8')) as { rows: number[][]; scores: number[] };
    expect(fixture.rows.length).toBeGreaterThan(5);
    fixture.rows.forEach((row, i) => {
      expect(row).toHaveLength(FEATURE_NAMES.length);
      expect(p.ranker!.score(Float32Array.from(row))).toBeCloseTo(fixture.scores[i], 9);
    });
  });
});

describe('model parameters', () => {
  it('a model without its own file gets the defaults and one warning', () => {
    const warnings: string[] = [];
    const p = loadModelParameters(null, 'Xenova/all-MiniLM-L6-v2', (m) => warnings.push(m));
    expect(p.ranker).toBeNull();
    expect(p.source).toBe('defaults');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/all-MiniLM-L6-v2 has no quotebot.json/);
  });

  it('rejects an abstention model over unknown signals', () => {
    expect(() => parseModelParameters({ abstention: { features: ['nope'], weights: [1], bias: 0, threshold: 0.5 } }, 'x')).toThrow(/unknown signals/);
  });
});
