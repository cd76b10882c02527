import { describe, expect, it } from 'vitest';
import type { Answer, ReloadReport } from '../engine';
import { addSecret } from '../log';
import { answerToJson, answerToText, reportToText } from './format';

const report: ReloadReport = {
  ok: true,
  articles: 4002,
  sentences: 24_000,
  added: Array.from({ length: 4000 }, (_, i) => `gen${String(i).padStart(5, '0')}.txt`),
  changed: ['a.txt'],
  removed: [],
  errors: [],
  embedded: 24_000,
  model: 'm',
  tookMs: 5000,
  builtAt: new Date(0),
  requestedBy: [],
};

describe('reportToText', () => {
  it('names the first files of a long list and counts the rest, so a folder of thousands stays readable', () => {
    const lines = reportToText(report).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(`  added: ${report.added.slice(0, 10).join(', ')} and 3,990 more`);
    expect(lines[2]).toBe('  changed: a.txt');
  });
});

describe('durations in the terminal', () => {
  it('are told as the bot tells them: a reload of 95 s read "95.0 s" here and "1 min 35 s" on Discord', () => {
    expect(reportToText({ ...report, tookMs: 95_000 }).split('\n')[0]).toBe('Indexed 4002 articles, 24000 sentences in 1 min 35 s (24000 sentences embedded, model m).');
    const answer = { question: 'q', abstained: true, model: 'm', answers: [], articlesSearched: 3, sentencesSearched: 9, tookMs: 1234 };
    expect(answerToText(answer).split('\n').at(-1)).toBe('  [3 articles searched in 1.2 s; model m]');
  });

  it("say an abstention's reason as the bot does: a question whose words the sources lack is not told they do not answer it", () => {
    const answer = { question: 'Wer ist Obama?', abstained: true, model: 'm', answers: [], articlesSearched: 3, sentencesSearched: 9, tookMs: 1 };
    expect(answerToText({ ...answer, abstainedBecause: 'words-absent' as const }).split('\n')[1]).toBe(
      "  Few of this question's words, if any, appear in the sources, so they do not answer it: ask in their own language and words. (List them with :sources in the terminal, /sources on Discord.)",
    );
    expect(answerToText({ ...answer, abstainedBecause: 'not-answered' as const }).split('\n')[1]).toMatch(/^ {2}The sources do not answer this question\./);
  });
});


describe('answerToJson of a quote holding the token', () => {
  it("gives answer spans into the quote as printed, masked: they indexed the unmasked one", () => {
    const token = 'MTExMTExMTExMTExMTExMTEx.GaBcDe.7fakefakefakefakefakefakefakefak12';
    addSecret(token);
    const quote = `DISCORD_TOKEN=${token} was set up in March.`;
    const at = (word: string): [number, number] => [quote.indexOf(word), quote.indexOf(word) + word.length];
    const source = { title: 'settings', file: 'settings.txt', url: null, outlet: null };
    const answer: Answer = {
      question: 'When was the token set up?',
      abstained: false,
      model: 'm',
      answers: [{ quote, source, start: 0, end: quote.length, score: 1, context: { before: null, after: null }, alsoIn: [], highlights: [], answerSpans: [at('DISCORD'), at('GaBcDe'), at('March')] }],
      articlesSearched: 1,
      sentencesSearched: 1,
      tookMs: 1,
    };
    const [shown] = JSON.parse(answerToJson(answer)).answers as Array<{ quote: string; answerSpans: Array<[number, number]> }>;
    expect(shown.quote).toBe('DISCORD_TOKEN=(…) was set up in March.');
    // A span in the masked part is left out: it names no word of what is printed.
    expect(shown.answerSpans.map(([start, end]) => shown.quote.slice(start, end))).toEqual(['DISCORD', 'March']);
  });
});
