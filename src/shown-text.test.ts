import { describe, expect, it } from 'vitest';
import { addSecret, SECRET_SHOWN } from './log';
import { shownJson, shownSpans } from './shown-text';

const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GzXyWv.Hm4_kQ9vRt2LpZs8WnYc-JxA6bE1oUfT3dK';
addSecret(token);

/** The spans of `words` in `text`, each its first occurrence. */
const at = (text: string, ...words: string[]): Array<[number, number]> => words.map((w) => [text.indexOf(w), text.indexOf(w) + w.length]);
/** What each span names in the text the terminal prints: `shownJson` parsed back. */
const named = (text: string, spans: Array<[number, number]>) => {
  const shown = JSON.parse(shownJson(text)) as string;
  return spans.map(([start, end]) => shown.slice(start, end));
};

describe('shownSpans', () => {
  it('keeps a highlighted word lying between two masked parts, shifted onto the same word of what is shown', () => {
    const quote = 'kQ9vRt2LpZs8WnYc met Putin in Hangzhou, JxA6bE1oUfT3dK said.';
    const spans = shownSpans(quote, at(quote, 'Putin', 'Hangzhou', 'said'));
    expect(JSON.parse(shownJson(quote))).toBe(`${SECRET_SHOWN} met Putin in Hangzhou, ${SECRET_SHOWN} said.`);
    expect(named(quote, spans)).toEqual(['Putin', 'Hangzhou', 'said']);
  });

  it('clips a span overlapping a masked part to its words outside it, and drops one inside a masked part', () => {
    const quote = `Obama said ${token} twice, then GzXyWv.`;
    const last = quote.lastIndexOf('GzXyWv');
    const spans = shownSpans(quote, [...at(quote, `said ${token} twice`, 'kQ9vRt2L', 'then'), [last, last + 6]]);
    expect(named(quote, spans)).toEqual(['said', 'twice', 'then']);
  });

  it('leaves spans of a text with nothing masked as they are', () => {
    expect(shownSpans('Putin met Obama', [[0, 5], [10, 15]])).toEqual([[0, 5], [10, 15]]);
  });
});
