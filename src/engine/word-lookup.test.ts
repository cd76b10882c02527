import { describe, expect, it } from 'vitest';
import { editDistance, WordLookup } from './word-lookup';

const lookup = new WordLookup([
  { word: 'Peskov', count: 3 },
  { word: 'Putin', count: 20 },
  { word: 'put', count: 5 },
  { word: 'ninety', count: 2 },
  { word: 'meeting', count: 9 },
]);

describe('WordLookup', () => {
  it('completes prefixes, most frequent first', () => {
    expect(lookup.complete('pu').map((w) => w.word)).toEqual(['Putin', 'put']);
    expect(lookup.complete('PES').map((w) => w.word)).toEqual(['Peskov']);
    expect(lookup.complete('')).toEqual([]);
  });

  it('corrects misspellings within a small edit distance', () => {
    expect(lookup.correct('Peskof').map((w) => w.word)).toEqual(['Peskov']);
    expect(lookup.correct('ninty').map((w) => w.word)).toEqual(['ninety']);
    expect(lookup.correct('meetting').map((w) => w.word)).toEqual(['meeting']);
    expect(lookup.correct('banana')).toEqual([]);
  });
});

describe('editDistance', () => {
  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('ptuin', 'putin')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
