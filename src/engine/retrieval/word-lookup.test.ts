import { describe, expect, it } from 'vitest';
import { runInSlices } from '../slices';
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

describe('WordLookup.building (a cold start, in slices)', () => {
  it('makes the same indexes as the constructor: the same export, completions and corrections', async () => {
    const words = Array.from({ length: 300 }, (_, i) => ({ word: `w${(i * 7919) % 1000}ord${i % 13}`, count: 1 + (i % 17) }));
    const built = await runInSlices(WordLookup.building(words, new Set(['word'])));
    const direct = new WordLookup(words, new Set(['word']));
    expect(await built.export()).toEqual(await direct.export());
    expect(built.complete('w1')).toEqual(direct.complete('w1'));
    expect(built.correct('w79ord1')).toEqual(direct.correct('w79ord1'));
    expect(built.complete('w1').length).toBeGreaterThan(1);
  });
});

describe('WordLookup export and import (the snapshot)', () => {
  it('an imported lookup completes and corrects exactly as the one it was exported from', async () => {
    const exported = JSON.parse(JSON.stringify(await lookup.export())) as Awaited<ReturnType<WordLookup['export']>>;
    expect(exported.prefix.length).toBeGreaterThan(0);
    expect(exported.fuzzy.length).toBeGreaterThan(0);
    const imported = new WordLookup(lookup.words, new Set(), exported);
    for (const p of ['pu', 'PES', 'mee', 'n']) expect(imported.complete(p)).toEqual(lookup.complete(p));
    // Misspelt in their first letters, these are found by the fuzzy (sound-alike) index only, not by prefix.
    for (const w of ['Peskof', 'ninty', 'meetting', 'banana', 'Pytin', 'Beskov', 'mieting']) expect(imported.correct(w)).toEqual(lookup.correct(w));
    expect(['Pytin', 'Beskov', 'mieting'].map((w) => imported.correct(w)[0]?.word)).toEqual(['Putin', 'Peskov', 'meeting']);
  });
});

describe('editDistance', () => {
  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('ptuin', 'putin')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
