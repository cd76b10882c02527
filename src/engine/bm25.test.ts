import { describe, expect, it } from 'vitest';
import { Bm25Index, topK } from './bm25';

describe('Bm25Index', () => {
  // terms: 0 obama, 1 putin, 2 met, 3 tea
  const index = new Bm25Index([[0, 1, 2], [3, 3, 2], [0, 0, 0, 0, 0, 0, 0, 0, 1], [2]], 4);

  it('stores postings as flat arrays, and an index made from them (a snapshot) scores the same', () => {
    expect(Array.from(index.arrays.offsets)).toEqual([0, 2, 4, 7, 8]);
    expect(Array.from(index.arrays.docs.subarray(4, 7))).toEqual([0, 1, 3]); // "met", in document order
    const copy = new Bm25Index({ ...index.arrays });
    for (const q of [[0], [2, 3], [1, 0, 1], [9]]) expect(copy.scores(q)).toEqual(index.scores(q));
    expect(copy.idf(2)).toBe(index.idf(2));
  });

  it('scores only documents holding a query term, rarer terms higher', () => {
    const s = index.scores([3]);
    expect([...s.keys()]).toEqual([1]);
    expect(index.idf(3)).toBeGreaterThan(index.idf(2));
  });

  it('prefers the shorter document at equal term frequency and saturates repeated terms', () => {
    const lengths = new Bm25Index([[0, 1], [0, 1, 2, 2, 2, 2, 2, 2], [2]], 3);
    const s = lengths.scores([0, 1]);
    expect(s.get(0)!).toBeGreaterThan(s.get(1)!);
    expect(topK(s, 1)[0].doc).toBe(0);
    const repeated = index.scores([0]); // doc 2 has the term 8 times, doc 0 once
    expect(repeated.get(2)!).toBeLessThan(8 * repeated.get(0)!);
  });

  it('weights terms and counts a repeated query term once', () => {
    expect(index.scores([3, 3]).get(1)).toBeCloseTo(index.scores([3]).get(1)!);
    expect(index.scores([3], [0.5]).get(1)).toBeCloseTo(index.scores([3]).get(1)! / 2);
  });

  it('ignores unknown term ids', () => {
    expect(index.scores([-1, 99]).size).toBe(0);
  });
});
