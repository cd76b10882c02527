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

  it('finds the same top k as scoring everything, to the bit, on random corpora (MaxScore pruning is exact)', () => {
    const random = seeded(7);
    for (let round = 0; round < 20; round++) {
      // Zipf-like term draws: a few very common terms (long postings, low IDF) and many rare ones.
      const vocabulary = 20 + Math.floor(random() * 200);
      const draw = () => Math.min(vocabulary - 1, Math.floor(vocabulary * random() ** 3));
      const docs = Array.from({ length: 50 + Math.floor(random() * 2000) }, () => Array.from({ length: 1 + Math.floor(random() * 25) }, draw));
      const index = new Bm25Index(docs, vocabulary);
      for (let q = 0; q < 25; q++) {
        const terms = Array.from({ length: 1 + Math.floor(random() * 8) }, () => (random() < 0.05 ? -1 : draw()));
        const weights = terms.map(() => (random() < 0.5 ? 1 : 0.2 + random()));
        const k = [1, 3, 10, 200][Math.floor(random() * 4)];
        const full = index.scores(terms, weights);
        expect(index.top(terms, weights, k)).toEqual(topK(full, k));
        const doc = Math.floor(random() * docs.length);
        expect(index.scoreOf(doc, docs[doc], terms, weights)).toBe(full.get(doc) ?? 0);
      }
    }
  });

  it('keeps the lower document of a tie at the k-th place, as the exhaustive order does', () => {
    const ties = new Bm25Index([[0, 1], [0, 1], [0, 1], [2]], 3);
    expect(ties.top([0, 1], undefined, 2).map((s) => s.doc)).toEqual([0, 1]);
    expect(ties.top([0, 1], undefined, 2)).toEqual(topK(ties.scores([0, 1]), 2));
    expect(ties.top([-1, 7], undefined, 5)).toEqual([]);
    expect(ties.top([0], undefined, 0)).toEqual([]);
  });
});

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
