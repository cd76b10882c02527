/**
 * /ask's answer and "Show context" rendered from hostile text, generated from a fixed seed: quotes, titles, outlets
 * and contexts made of Markdown characters, mentions, headings, emoji and line breaks, short and huge. Every reply
 * stays within Discord's limits, no embed loses its title or quote, and every quote shown is its sentence verbatim.
 */
import { describe, expect, it } from 'vitest';
import type { Quote } from '../../src/engine/types';
import { limitViolations } from '../../src/discord/limits';
import { shownQuote } from '../../test/discord-view';
import { renderContext } from './context-button';
import { renderAnswer } from './render';

const PIECES = ['*', '_', '~', '|', '`', '\\', '[', ']', '(', ')', '<', '>', '@', '#', '-', ' ', ' ', 'a', 'b', 'é', '😀', '\n', ':', '.', '@everyone', '> ', '# ', '-# ', '||', '```', '<@123456789012345678>'];

/** A small seeded generator (mulberry32), so a failure repeats. */
function generator(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const text = (length: number) => {
    let out = '';
    while (out.length < length) out += PIECES[int(PIECES.length)];
    return out;
  };
  return { int, text };
}

function hostileQuotes(g: ReturnType<typeof generator>): Quote[] {
  return Array.from({ length: 1 + g.int(5) }, (_, i) => {
    const quote = g.text([5, 50, 300, 2000, 6000][g.int(5)]);
    return {
      quote,
      source: { title: g.text(g.int(400)), file: `f${i}.md`, url: g.int(2) ? `https://example.com/${i}` : null, outlet: g.int(2) ? g.text(g.int(300)) : null },
      start: i * 10_000,
      end: i * 10_000 + quote.length,
      score: 1,
      context: { before: g.text(g.int(3000)), after: g.text(g.int(3000)) },
      alsoIn: Array.from({ length: g.int(4) }, () => ({ title: g.text(g.int(200)), file: 'x.md', url: 'https://example.org/x', outlet: null })),
      answerSpans: [],
      highlights: Array.from({ length: g.int(4) }, () => {
        const a = g.int(quote.length);
        return [a, a + g.int(20)] as [number, number];
      }),
    };
  });
}

describe('rendering hostile text', () => {
  it('keeps every answer and context within limits, titled, quoted, and every quote verbatim', () => {
    const g = generator(14);
    const problems: string[] = [];
    for (let n = 0; n < 300; n++) {
      const quotes = hostileQuotes(g);
      const answer = renderAnswer({ question: g.text(g.int(400)), abstained: false, model: 'm', answers: quotes, articlesSearched: 1, sentencesSearched: 1, tookMs: 1 });
      const context = renderContext(quotes, 0);
      for (const [what, reply] of [['answer', answer], ['context', context]] as const) {
        problems.push(...limitViolations(reply).map((v) => `${what} ${n}: ${v}`));
        reply.embeds!.forEach((e, i) => {
          if (!e.title || !e.description) problems.push(`${what} ${n}: embed ${i} has no ${e.title ? 'description' : 'title'}`);
          if (what !== 'answer') return;
          const shown = shownQuote(e.description!)?.replace(/ …$/, '').trimEnd();
          if (shown === undefined || !quotes[i].quote.replace(/\s*\n\s*/g, ' ').startsWith(shown)) problems.push(`answer ${n}: quote ${i} not verbatim: ${shown?.slice(0, 80)}`);
        });
      }
    }
    expect(problems).toEqual([]);
  });
});
