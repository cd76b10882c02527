import { describe, expect, it } from 'vitest';
import { answerCues, answerSpans, CueWordCache, cueCounts } from './answer-cues';

describe('answerCues', () => {
  const spans = (xs: Array<{ word: string }>) => xs.map((x) => x.word);

  it('finds durations, numbers, dates and names the question does not already name', () => {
    const cues = answerCues('On Monday, Obama and Putin met for 90 minutes in Hangzhou with 12 aides, Peskov said on Sept. 5, 2016.', new Set(['obama', 'putin']));
    expect(spans(cues.duration)).toEqual(['90 minutes']);
    expect(spans(cues.number)).toEqual(['12']);
    expect(spans(cues.date)).toEqual(['Monday', 'Sept. 5, 2016']);
    expect(spans(cues.place)).toEqual(['Hangzhou']);
    expect(spans(cues.person)).toEqual(['Peskov']);
    expect(spans(cues.name)).toEqual(['Hangzhou', 'Peskov']);
  });

  it('reads years from 1000 to 2099 as dates', () => {
    expect(spans(answerCues('In 1018, Roger de Tosny travelled to Iberia; the Black Death subsided by 1350.', new Set()).date)).toEqual(['1018', '1350']);
    expect(spans(answerCues('The team scored 999 points.', new Set()).date)).toEqual([]);
  });

  it('joins a capitalised name and skips the sentence-initial word', () => {
    const cues = answerCues('The singer Mariah Carey topped the chart.', new Set());
    expect(spans(cues.person)).toEqual(['Mariah Carey']);
  });

  it('gives the spans for the asked type, falling back to names', () => {
    const cues = answerCues('They met Vladimir Putin in 2016 for two hours.', new Set());
    expect(spans(answerSpans('duration', cues))).toEqual(['two hours']);
    expect(spans(answerSpans('date', cues))).toEqual(['2016']);
    expect(spans(answerSpans('person', cues))).toEqual(['Vladimir Putin']);
    expect(answerSpans('other', cues)).toEqual([]);
  });

  const sentences = [
    'On Monday, Obama and Putin met for 90 minutes in Hangzhou with 12 aides, Peskov said on Sept. 5, 2016.',
    'The singer Mariah Carey topped the chart.',
    'They met Vladimir Putin in 2016 for two hours.',
    'In May 1999, about 3,000 people fled to Geneva from Aleppo in three weeks.',
    'Élodie Müller, CEO of Nestlé, arrived in São Paulo on Tuesday.',
  ];

  it('counts the spans of each kind, without making them', () => {
    for (const s of sentences) {
      const cues = answerCues(s, new Set(['putin']));
      expect(cueCounts(s, new Set(['putin'])), s).toEqual([cues.person, cues.date, cues.number, cues.duration, cues.place, cues.name].map((x) => x.length));
    }
  });

  it('gives the same cues from its word cache as without one, also once the cache is full', () => {
    const uncached = new CueWordCache(0);
    const small = new CueWordCache(2);
    for (const questionWords of [new Set<string>(), new Set(['obama', 'putin']), new Set(['geneva', 'may'])]) {
      for (const s of [...sentences, ...sentences]) {
        const expected = answerCues(s, questionWords, uncached);
        expect(answerCues(s, questionWords), s).toEqual(expected);
        expect(answerCues(s, questionWords, small), s).toEqual(expected);
        expect(cueCounts(s, questionWords, small), s).toEqual(cueCounts(s, questionWords, uncached));
      }
    }
  });
});
