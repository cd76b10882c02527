import { describe, expect, it } from 'vitest';
import { parseArticle } from '../corpus/articles';
import { parseModelParameters } from '../ranking/parameters';
import { answerQuestion } from '../answer';
import { buildSearchIndex } from '../retrieval/search-index';

const bytes = (s: string) => new TextEncoder().encode(s);
const wire = parseArticle(
  'wire.txt',
  bytes('Wire story\n\nObama and Putin met for 90 minutes on the sidelines of the summit in Hangzhou.\n\nThe talks covered Syria and Ukraine.\n\nKerry met Lavrov for another hour on Monday.\n'),
);
const reprint = parseArticle(
  'reprint.md',
  bytes('---\ntitle: Reprint\nurl: https://example.org/r\n---\n\nObama and Putin met for 90 minutes on the sidelines of the summit in Hangzhou, China.\n'),
);
// Lexical signals only (one-dimensional zero vectors) and the default (linear) ranking: selection is under test.
const index = await buildSearchIndex([wire, reprint], null);
const defaults = parseModelParameters({}, 'test');

/** The engine's question path, without embeddings. */
async function select(text: string, top: number) {
  return (await answerQuestion(index, { embedder: null, parameters: defaults, crossEncoder: null }, text, top)).quotes;
}

describe('the question path: quotes', async () => {
  it('abstains when the sources do not answer', async () => {
    expect(await select('What is the weather in Moscow tomorrow?', 3)).toEqual([]);
  });

  it('folds the same sentence from another article into alsoIn, with context and highlights', async () => {
    const quotes = await select('How long did Obama and Putin meet in Hangzhou?', 3);
    expect(quotes[0].quote).toMatch(/^Obama and Putin met for 90 minutes/);
    expect(quotes[0].alsoIn).toHaveLength(1);
    expect(quotes.filter((q) => q.quote.includes('90 minutes'))).toHaveLength(1);
    expect(quotes[0].highlights.map(([s, e]) => quotes[0].quote.slice(s, e))).toEqual(expect.arrayContaining(['Obama', 'Putin', 'met', 'Hangzhou']));
    const wireFirst = quotes[0].source.file === 'wire.txt';
    expect(quotes[0].context).toEqual({ before: null, after: wireFirst ? 'The talks covered Syria and Ukraine.' : null });
    expect(quotes[0].alsoIn[0].file).toBe(wireFirst ? 'reprint.md' : 'wire.txt');
    expect(quotes[0].score).toBeGreaterThan(0);
    expect(quotes[0].score).toBeLessThanOrEqual(1);
  });

  it('marks the answering words: the duration for "how long", also among the highlights', async () => {
    const [best] = await select('How long did Obama and Putin meet in Hangzhou?', 1);
    expect(best.answerSpans.map(([s, e]) => best.quote.slice(s, e))).toEqual(['90 minutes']);
    const marked = best.highlights.map(([s, e]) => best.quote.slice(s, e));
    expect(marked).toContain('90 minutes');
    // Highlights stay sorted and disjoint for the renderer.
    best.highlights.forEach(([s, e], i) => {
      expect(e).toBeGreaterThan(s);
      if (i > 0) expect(s).toBeGreaterThanOrEqual(best.highlights[i - 1][1]);
    });
  });

  it('counts a sentence mostly contained in another as the same report, but not a merely related one', async () => {
    const articles = [
      'Obama and Putin met for 90 minutes on the sidelines of the summit in Hangzhou, said the official, who spoke on condition of anonymity.',
      'Obama and Putin met for 90 minutes on the sidelines of the summit in Hangzhou, a senior official said.',
      'Obama and Putin met for talks on the sidelines of the summit in Hangzhou on Monday, officials said.',
      // Unrelated sentences, so the question's words are rare enough to be answered.
      Array.from({ length: 12 }, (_, i) => `The market report number ${i} covered grain prices and shipping rates.`).join('\n\n'),
    ].map((body, i) => parseArticle(`a${i}.txt`, bytes(`Story ${i}\n\n${body}\n`)));
    const idx = await buildSearchIndex(articles, null);
    const { quotes } = await answerQuestion(idx, { embedder: null, parameters: defaults, crossEncoder: null }, 'How long did Obama and Putin meet on the sidelines in Hangzhou?', 3);
    const minutes = quotes.filter((q) => q.quote.includes('90 minutes'));
    expect(minutes).toHaveLength(1);
    expect(minutes[0].alsoIn).toHaveLength(1);
    expect(quotes.some((q) => q.quote.includes('for talks'))).toBe(true);
  });

  it('never returns more than asked, and every quote is the exact text at its offsets', async () => {
    const quotes = await select('Obama Putin Kerry Lavrov met talks', 1);
    expect(quotes).toHaveLength(1);
    const all = await select('Obama Putin Kerry Lavrov met talks', 5);
    for (const q of all) {
      const article = [wire, reprint].find((a) => a.file === q.source.file)!;
      expect(article.text.slice(q.start, q.end)).toBe(q.quote);
    }
  });
});
