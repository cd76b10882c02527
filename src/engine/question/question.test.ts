import { beforeAll, describe, expect, it } from 'vitest';
import { readDataFolder } from '../corpus/articles';
import { analyseQuestion, lookUpUnknownWord } from './question';
import { buildSearchIndex, type SearchIndex } from '../retrieval/search-index';

describe('analyseQuestion on the seed articles', () => {
  let index: SearchIndex;
  beforeAll(async () => {
    const { articles } = await readDataFolder('data');
    index = await buildSearchIndex(articles, null);
  });
  const weights = (text: string) => Object.fromEntries(analyseQuestion(index, text).terms.map((t) => [t.term, t.weight]));

  it('weighs the words that ask for a kind of answer less than the topic\'s', () => {
    expect(weights('What issues did Obama and Putin clarify?')).toEqual({ issu: 0.3, obama: 1, putin: 1, clarifi: 1 });
    expect(weights('What day of the week did the leaders meet?')).toEqual({ dai: 0.3, week: 0.3, leader: 1, meet: 1 });
    expect(weights('How long did Obama and Putin meet?')).toMatchObject({ long: 0.3, meet: 1 });
    expect(weights('Did the leaders meet this week?')).toEqual({ leader: 1, meet: 1, week: 1 });
  });

  it('asks for the country the sources name when they lack the demonym', () => {
    const question = analyseQuestion(index, 'How did an American official characterise the meeting?');
    expect(question.terms.filter((t) => t.term === 'us' || t.term === 'american')).toEqual([{ term: 'us', id: index.vocabulary.get('us'), weight: 0.8 }]);
    expect(question.names).toEqual(['us']);
    // A demonym the sources use stays as it is.
    expect(analyseQuestion(index, 'What did the Russian spokesman say?').names).toEqual(['russian']);
  });

  it('reads a word the corpus lacks as a typo first, then as a demonym, else keeps it unknown', () => {
    expect(lookUpUnknownWord(index, 'Ptuin')).toEqual({ how: 'corrected', terms: ['putin'] });
    expect(lookUpUnknownWord(index, 'American')).toEqual({ how: 'country', terms: ['us'] });
    expect(lookUpUnknownWord(index, 'Americans')).toEqual({ how: 'country', terms: ['us'] });
    expect(lookUpUnknownWord(index, 'Zanzibarian')).toEqual({ how: 'unknown', terms: ['zanzibarian'] });
  });
});
