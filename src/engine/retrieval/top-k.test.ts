import { describe, expect, it } from 'vitest';
import { bestOf } from './top-k';

describe('bestOf', () => {
  it('gives the best k of many scores, best first, ties to the lower index, as a full sort does', () => {
    let seed = 3;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    // Rounded to one decimal, so many scores tie.
    const scores = Float32Array.from({ length: 5000 }, () => Math.round(random() * 10) / 10);
    const sorted = [...scores].map((score, index) => ({ index, score })).sort((a, b) => b.score - a.score || a.index - b.index);
    for (const k of [1, 7, 100, 5000]) expect(bestOf(scores, k)).toEqual(sorted.slice(0, k));
  });

  it('gives every score when k exceeds them, and none for k = 0', () => {
    expect(bestOf(Float32Array.of(0.5, 0.25, 1), 10).map((h) => h.index)).toEqual([2, 0, 1]);
    expect(bestOf(Float32Array.of(0.5), 0)).toEqual([]);
  });
});
