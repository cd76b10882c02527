import { describe, expect, it } from 'vitest';
import type { Answer, Quote } from '../../src/engine/types';
import { MAX_QUESTION_LENGTH } from '../../src/engine';
import { LIMITS, embedLength, limitViolations } from '../../src/discord/limits';
import { blockQuote } from '../../src/discord/text';
import { contextCustomId, parseContextCustomId, quoteKey, renderContext } from './context-button';
import { DISCORD_QUESTION_MAX_LENGTH, QUOTE_COUNT, definition } from './definition';
import { questionOf, quoteCount } from './index';
import { renderAbstain, renderAnswer, renderChoices } from './render';

const SENTENCE = 'Obama and Putin met for 90 minutes on the sidelines of the Group of 20 economic summit in Hangzhou, China, said the official, who spoke on condition of anonymity.';

function quote(over: Partial<Quote> = {}): Quote {
  return {
    quote: SENTENCE,
    source: { title: 'Putin, Obama agree to continue discussions on Syria', file: '000_f1945c786f8eadba.txt', url: 'https://example.com/a', outlet: 'Reuters' },
    start: 300,
    end: 300 + SENTENCE.length,
    score: 0.9,
    context: { before: 'A senior official said so on Monday.', after: 'The talks will continue.' },
    alsoIn: [],
    answerSpans: [],
    highlights: [
      [0, 5],
      [10, 15],
      [16, 19],
    ],
    ...over,
  };
}

function answer(quotes: Quote[], over: Partial<Answer> = {}): Answer {
  return { question: 'How long did Obama and Putin meet?', abstained: false, model: 'glove-sif-100d (offline)', answers: quotes, articlesSearched: 2, sentencesSearched: 33, tookMs: 12.3, ...over };
}

/** Undo escaping and bolding of a rendered quote line. */
const plain = (s: string) => s.replace(/^> /, '').replace(/\\(.)|\*\*/g, (_m, c: string | undefined) => c ?? '');

describe('renderAnswer', () => {
  it('renders quotes as block quotes under linked titles, with a footer and a context button', () => {
    const reply = renderAnswer(answer([quote(), quote({ source: { title: 'Untitled wire', file: 'b.txt', url: null, outlet: null }, start: 5, end: 40 })]));
    expect(limitViolations(reply)).toEqual([]);
    expect(reply.embeds).toHaveLength(2);
    const [a, b] = reply.embeds!;
    expect(a.title).toBe('Putin, Obama agree to continue discussions on Syria');
    expect(a.url).toBe('https://example.com/a');
    expect(a.author?.name).toBe('Reuters');
    expect(a.description).toMatch(/^> \*\*Obama\*\* and \*\*Putin\*\* \*\*met\*\* for 90 minutes/);
    expect(plain(a.description!)).toBe(SENTENCE);
    expect(b.url).toBeUndefined();
    expect(b.footer?.text).toMatch(/Searched 2 articles \(33 sentences\) in 12 ms · model: glove-sif-100d/);
    expect(a.footer).toBeUndefined();
    const button = reply.components![0].components[0] as { custom_id: string; label: string };
    expect(button.label).toBe('Show context');
    expect(parseContextCustomId(button.custom_id)).toEqual([quoteKey(quote()), quoteKey({ source: { title: '', file: 'b.txt', url: null, outlet: null }, start: 5, end: 40 })]);
  });

  it('says who else reported a sentence', () => {
    const reply = renderAnswer(answer([quote({ alsoIn: [{ title: 'Other outlet story', file: 'c.txt', url: 'https://example.org/c', outlet: 'AP' }] })]));
    expect(reply.embeds![0].description).toContain('*Also reported by* [Other outlet story](https://example.org/c)');
  });

  it('stays inside every limit with five huge quotes, long titles, many also-in and hostile text', () => {
    const huge = `@everyone <@123> ${'A very long clause with [brackets](https://x.y) and *stars* '.repeat(200)}end.`;
    const quotes = Array.from({ length: 5 }, (_, i) =>
      quote({
        quote: huge,
        start: i * 10_000,
        end: i * 10_000 + huge.length,
        highlights: [[0, 9], [50, 60], [5000, 5020]],
        source: { title: `T${i} ${'Long title '.repeat(60)}`, file: `dir/some-rather-long-file-name-${i}.md`, url: `https://example.com/${'p'.repeat(500)}`, outlet: 'O'.repeat(400) },
        alsoIn: Array.from({ length: 40 }, (_, j) => ({ title: `Also ${j} ${'x'.repeat(100)}`, file: `f${j}`, url: `https://e.com/${j}`, outlet: null })),
      }),
    );
    const reply = renderAnswer(answer(quotes, { question: `**${'q'.repeat(1200)}** @here` }));
    expect(limitViolations(reply)).toEqual([]);
    expect(reply.embeds!.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(LIMITS.embedsTotal);
    for (const e of reply.embeds!) {
      // Every markdown link that is there is complete.
      const opened = (e.description!.match(/\]\(https?:/g) ?? []).length;
      const complete = (e.description!.match(/\[[^\]]*\]\(https?:\/\/[^)\s]+\)/g) ?? []).length;
      expect(complete).toBe(opened);
      expect(e.description).toMatch(/…/);
    }
    const id = (reply.components![0].components[0] as { custom_id: string }).custom_id;
    expect(id.length).toBeLessThanOrEqual(LIMITS.customId);
    expect(reply.content).toContain('\\*\\*');
  });

  it('echoes a link in the question as text, never as a link Discord would preview under the answer', () => {
    const question = 'What does https://tenor.com/view/x-12.gif or HTTP://evil.example/a_b say?';
    for (const reply of [renderAnswer(answer([quote()], { question })), renderAbstain(question)]) {
      expect(reply.content).not.toMatch(/https?:\/\//i); // a bare link in a message is previewed (an image, a page)
      expect(plain(reply.content!.split('\n')[0])).toBe(`**Question:** ${question}`.replace(/\*\*/g, ''));
    }
  });

  it('abstains plainly, pointing to /sources, quoting nothing', () => {
    const reply = renderAnswer(answer([], { abstained: true, question: 'What is the weather in Moscow tomorrow? @everyone' }));
    expect(reply.embeds).toEqual([]);
    expect(reply.components).toEqual([]);
    expect(reply.content).toContain("don't answer");
    expect(reply.content).toContain('`/sources`');
    expect(renderAbstain('x').content).toMatch(/^\*\*Question:\*\* x\n/);
  });

  it("tells an abstention over words the articles lack so, instead of asking to rephrase", () => {
    const reply = renderAnswer(answer([], { abstained: true, abstainedBecause: 'words-absent', question: 'Wer ist Obama?' }));
    expect(reply.content).toBe(
      "**Question:** Wer ist Obama?\nFew of this question's words, if any, appear in the source articles, so I have nothing to quote. Ask in the articles' own language and words, or see `/sources` for what they cover.",
    );
    expect(renderAnswer(answer([], { abstained: true, abstainedBecause: 'not-answered' })).content).toContain("don't answer this question");
  });
});

describe('context button', () => {
  it('fits the custom id in 100 characters, dropping quotes that do not fit', () => {
    const many = Array.from({ length: 10 }, (_, i) => quote({ start: 4_000_000 + i, end: 4_100_000 + i, source: { title: 't', file: `file-${i}.txt`, url: null, outlet: null } }));
    const id = contextCustomId(many);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(parseContextCustomId(id).length).toBeGreaterThan(0);
    expect(parseContextCustomId('other:abc')).toEqual([]);
  });

  it('shows before, quote and after; says so when the answer is gone', () => {
    const reply = renderContext([quote()], 0);
    expect(reply.embeds![0].description).toBe(`A senior official said so on Monday.\n${blockQuote(quote(), 4000)}\nThe talks will continue.`);
    expect(limitViolations(reply)).toEqual([]);
    expect(renderContext([], 2).content).toMatch(/can't find the context/);
  });
});

describe('autocomplete choices', () => {
  it('returns at most 25 unique choices, names and values at most 100 characters', () => {
    const suggestions = ['', '   ', 'How long did', 'How long did', ...Array.from({ length: 40 }, (_, i) => `${i} ${'How long did Obama and Putin meet in Hangzhou at the G20 summit '.repeat(3)}`)];
    const choices = renderChoices(suggestions);
    expect(choices.length).toBe(25);
    expect(new Set(choices.map((c) => c.value)).size).toBe(25);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeGreaterThan(0);
    }
    expect(choices[0]).toEqual({ name: 'How long did', value: 'How long did' });
  });
});

describe('the question asked', () => {
  it("leaves out Discord's mention markup, which is no word of the question", () => {
    expect(questionOf('@everyone <@123456789012345678> how long did they meet?')).toBe('how long did they meet?');
    expect(questionOf('How long <@!12> did <@&34> they <#56> meet </ask:78> <:wave:90> <a:x:1> @here?')).toBe('How long did they meet?');
    expect(questionOf('  @here  ')).toBe('');
    expect(questionOf('Did me@here.com or <t:1473000000:R> say so?')).toBe('Did me@here.com or <t:1473000000:R> say so?');
    expect(questionOf(undefined)).toBe('');
  });

  it('takes linear time over a long run of spaces (a client may ignore max_length)', () => {
    const started = performance.now();
    expect(questionOf(`${' '.repeat(100_000)}x`)).toBe('x');
    expect(performance.now() - started).toBeLessThan(1000); // quadratic, it took 12 s
  });
});

describe('the /ask definition', () => {
  it('lets through no question the engine would refuse for its length', () => {
    expect(DISCORD_QUESTION_MAX_LENGTH).toBeLessThanOrEqual(MAX_QUESTION_LENGTH);
    expect(definition.options?.[0]).toMatchObject({ name: 'question', max_length: DISCORD_QUESTION_MAX_LENGTH });
  });

  it('clamps the quote count to the range the definition declares', () => {
    expect(definition.options?.[1]).toMatchObject({ name: 'count', min_value: QUOTE_COUNT.min, max_value: QUOTE_COUNT.max });
    expect(quoteCount(undefined)).toBe(QUOTE_COUNT.default);
    expect(quoteCount(0)).toBe(QUOTE_COUNT.min);
    expect(quoteCount(99)).toBe(QUOTE_COUNT.max);
    expect(quoteCount(2)).toBe(2);
  });
});
