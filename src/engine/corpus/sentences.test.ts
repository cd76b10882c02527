import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capSentence, MAX_SENTENCE_CHARS, splitSentences, type Span } from './sentences';

const split = (text: string) => splitSentences(text).map((s) => text.slice(s.start, s.end));

describe('splitSentences', () => {
  it('splits plain sentences and keeps exact offsets', () => {
    const text = '  Obama met Putin.  They talked for 90 minutes! Did it help? ';
    const spans = splitSentences(text);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual([
      'Obama met Putin.',
      'They talked for 90 minutes!',
      'Did it help?',
    ]);
  });

  it('does not split after titles, acronyms and initials', () => {
    expect(split('Mr. Obama met Dr. Smith in the U.S. Senate on Monday. J.P. Morgan and John F. Kennedy were not there.')).toEqual([
      'Mr. Obama met Dr. Smith in the U.S. Senate on Monday.',
      'J.P. Morgan and John F. Kennedy were not there.',
    ]);
  });

  it('reads an initial written decomposed (letter + combining mark) as the one written composed', () => {
    // "E" + U+0301 + ".": the mark ended the word before the dot, so no initial was seen and "É." stood alone.
    const text = 'É. Macron met J.É. Hoover on Monday. They talked.';
    for (const form of ['NFC', 'NFD'] as const) {
      expect(split(text.normalize(form)).map((s) => s.normalize('NFC')), form).toEqual(['É. Macron met J.É. Hoover on Monday.', 'They talked.']);
    }
  });

  it('takes ‘ after a letter written decomposed for an apostrophe, as after the letter composed', () => {
    // After "e" + U+0301 it opened a quotation: the two sentences before the next ” were kept as one.
    const text = 'The café‘s owner spoke. He left at noon. “Yes,” she said.';
    for (const form of ['NFC', 'NFD'] as const) {
      expect(split(text.normalize(form)).map((s) => s.normalize('NFC')), form).toEqual(['The café‘s owner spoke.', 'He left at noon.', '“Yes,” she said.']);
    }
  });

  it('does not split before a lower-case word or a number inside a sentence', () => {
    expect(split('The talks ended at 5 p.m. on Monday. It was a 2.5 hour meeting.')).toEqual([
      'The talks ended at 5 p.m. on Monday.',
      'It was a 2.5 hour meeting.',
    ]);
    expect(split('“We have had talks that would allow us both… to focus on common enemies.” He left.')).toEqual([
      '“We have had talks that would allow us both… to focus on common enemies.”',
      'He left.',
    ]);
  });

  it('keeps short quoted speech whole with its attribution', () => {
    expect(split('Asked about the mood, Peskov said, “It went well. Work will continue.” Then he left.')).toEqual([
      'Asked about the mood, Peskov said, “It went well. Work will continue.”',
      'Then he left.',
    ]);
    expect(split('“It’s clear now what our positions are,” the official said. “And we’ll see.”')).toEqual([
      '“It’s clear now what our positions are,” the official said.',
      '“And we’ll see.”',
    ]);
  });

  it('splits after a closing quote that ends a sentence', () => {
    expect(split('He called it “productive.” The talks go on.')).toEqual(['He called it “productive.”', 'The talks go on.']);
    expect(split('He said "no." Then "yes."')).toEqual(['He said "no."', 'Then "yes."']);
  });

  it('treats the seed article sentences as a reader would', () => {
    const text = readFileSync(new URL('../../../data/004_80e3bf820ab2d521.txt', import.meta.url), 'utf8');
    const sentences = split(text);
    expect(sentences).toContain(
      'Obama added that currently the gaps have not been closed in negotiations between Russia and the US in a way that they think would “actually work.”',
    );
    expect(sentences).toContain('Obama urged Kerry and Lavrov to work together in the coming days to get aid to those in need.');
    for (const s of splitSentences(text)) expect(text.slice(s.start, s.end).trim()).toBe(text.slice(s.start, s.end));
  });
});

describe('capSentence', () => {
  const pieces = (text: string, max: number) => capSentence(text, { start: 0, end: text.length }, max).map((s) => text.slice(s.start, s.end));
  /** Pieces are verbatim slices, in order, within the limit, and between them only white space of the source. */
  function expectVerbatimCover(text: string, span: Span, spans: Span[], max: number): void {
    let at = span.start;
    for (const s of spans) {
      expect(s.end - s.start).toBeLessThanOrEqual(max);
      expect(text.slice(at, s.start).trim()).toBe('');
      at = s.end;
    }
    expect(text.slice(at, span.end).trim()).toBe('');
  }

  it('keeps a sentence within the limit whole', () => {
    expect(pieces('Obama and Putin met for ninety minutes.', 40)).toEqual(['Obama and Putin met for ninety minutes.']);
  });

  it('cuts at the best boundary in the second half of the limit: semicolon, colon, dash, comma, then white space', () => {
    const text = 'alpha beta, gamma delta — epsilon: zeta eta; theta iota, kappa lambda mu';
    expect(pieces(text, 50)).toEqual(['alpha beta, gamma delta — epsilon: zeta eta;', 'theta iota, kappa lambda mu']);
    expect(pieces('alpha beta, gamma delta — epsilon: zeta eta theta iota kappa', 40)).toEqual(['alpha beta, gamma delta — epsilon:', 'zeta eta theta iota kappa']);
    expect(pieces('alpha beta, gamma delta — epsilon zeta eta theta iota kappa', 35)).toEqual(['alpha beta, gamma delta —', 'epsilon zeta eta theta iota kappa']);
    expect(pieces('alpha beta, gamma delta epsilon zeta eta theta iota kappa', 30)).toEqual(['alpha beta, gamma delta', 'epsilon zeta eta theta iota', 'kappa']);
    // A semicolon in the first half of the room would leave a short piece: the comma later on wins.
    expect(pieces('alpha; beta gamma delta epsilon, zeta eta theta', 40)).toEqual(['alpha; beta gamma delta epsilon,', 'zeta eta theta']);
  });

  it('cuts hard only where there is no white space, never inside a surrogate pair', () => {
    expect(pieces('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    const emoji = '😀'.repeat(5); // ten UTF-16 units
    const cut = pieces(emoji, 5);
    expect(cut.join('')).toBe(emoji);
    expect(cut.every((p) => p.length <= 5 && p.length % 2 === 0)).toBe(true);
  });

  it('cuts hard between whole graphemes: an accent stays with its letter, an emoji sequence whole', () => {
    const accented = 'e\u0301'.repeat(6); // "é" as a letter and a combining accent: twelve UTF-16 units
    expect(pieces(accented, 5)).toEqual(['e\u0301e\u0301', 'e\u0301e\u0301', 'e\u0301e\u0301']);
    const family = '👩‍👩‍👧'; // three emoji joined by zero-width joiners: eight units, one grapheme
    const cut = pieces(`${family}${family}${family}`, 10);
    expect(cut).toEqual([family, family, family]);
  });

  it('does not take a dash inside a compound ("Obama–Putin") for a clause boundary', () => {
    const text = 'alpha beta gamma delta epsilon, Obama–Putin zeta eta theta iota';
    expect(pieces(text, 50)).toEqual(['alpha beta gamma delta epsilon,', 'Obama–Putin zeta eta theta iota']);
    // A spaced dash, or an unspaced em dash, still is one.
    expect(pieces(text.replace('–', ' – '), 50)[0]).toBe('alpha beta gamma delta epsilon, Obama –');
    expect(pieces(text.replace('–', '—'), 50)[0]).toBe('alpha beta gamma delta epsilon, Obama—');
  });

  it('cuts text written without spaces (Chinese, Japanese) at its own full stop or comma, not mid-word', () => {
    const text = '奥巴马与普京会面九十分钟。双方讨论了叙利亚问题，没有达成协议';
    expect(pieces(text, 20)).toEqual(['奥巴马与普京会面九十分钟。', '双方讨论了叙利亚问题，没有达成协议']);
    expect(pieces(text.replace('。', '，').replace('，没', '没'), 20)).toEqual(['奥巴马与普京会面九十分钟，', '双方讨论了叙利亚问题没有达成协议']);
  });

  it('turns a run-on "sentence" of megabytes into verbatim pieces within the limit', () => {
    const words = 'Obama Putin Syria ceasefire talks G20 Hangzhou minutes met,'.split(' ');
    const body = Array.from({ length: 400_000 }, (_, i) => words[(i * 7) % words.length]).join(' ');
    const text = `  ${body}.  `;
    const [whole] = splitSentences(text);
    expect(whole.end - whole.start).toBeGreaterThan(2_000_000);
    const spans = capSentence(text, whole);
    expectVerbatimCover(text, whole, spans, MAX_SENTENCE_CHARS);
    expect(spans.slice(0, -1).every((s) => s.end - s.start >= MAX_SENTENCE_CHARS / 2)).toBe(true);
    expect(text.slice(spans[0].start, spans[0].end)).toMatch(/,$/); // cut after a comma
  });
});
