import { describe, expect, it } from 'vitest';
import { parseArticle } from './articles';
import { corpusEvidence, EVIDENCE_NAMES, type EvidenceName } from './evidence';
import { analyseQuestion } from './question';
import { buildSearchIndex } from './search-index';

const article = (file: string, text: string) => parseArticle(file, new TextEncoder().encode(text));
const index = await buildSearchIndex(
  [
    article('a.txt', 'Summit\n\nObama and Putin met in Hangzhou for ninety minutes.\n\nThe talks on Syria ended without a ceasefire deal.\n'),
    article('b.txt', 'Markets\n\nShares in Tokyo rose after the 2016 election.\n\nInvestors in Hangzhou watched the yuan closely.\n'),
  ],
  null,
);
const evidence = (question: string) => {
  const row = corpusEvidence(index, analyseQuestion(index, question));
  return Object.fromEntries(EVIDENCE_NAMES.map((n, i) => [n, row[i]])) as Record<EvidenceName, number>;
};

describe('corpusEvidence', () => {
  it('finds a question whose rare words one paragraph holds together', () => {
    const e = evidence('Where did Obama and Putin meet?');
    expect(e.corpusCoverage).toBeCloseTo(1, 5);
    expect(e.rareTogether).toBe(1);
    expect(e.rarePair).toBe(1);
    expect(e.namesAbsent).toBe(0);
    expect(e.namesTogether).toBe(1);
    expect(e.numbersAbsent).toBe(0);
  });

  it('tells a question whose words the corpus holds only apart, or not at all', () => {
    // Putin and Tokyo both stand in the corpus, never in one paragraph; Merkel and 2021 nowhere.
    const apart = evidence('Did Putin visit Tokyo?');
    expect(apart.rarePair).toBe(0);
    expect(apart.namesTogether).toBe(0.5);
    expect(apart.corpusCoverage).toBeLessThan(0.75);
    const absent = evidence('Did Merkel visit Tokyo in 2021?');
    expect(absent.namesAbsent).toBe(1);
    expect(absent.numbersAbsent).toBe(1);
    expect(absent.rareTogether).toBeLessThan(1);
    expect(evidence('What happened after the 2016 election?').numbersAbsent).toBe(0);
  });

  it('does not depend on the order of the question words', () => {
    expect(evidence('Did Putin visit Tokyo?')).toEqual(evidence('Did Tokyo visit Putin?'));
  });

  it('gives a question of stopwords only zeros, and no names a full share', () => {
    const e = evidence('What was it?');
    expect(e.corpusCoverage).toBe(0);
    expect(e.rareTogether).toBe(0);
    expect(e.namesTogether).toBe(1);
  });
});
