import { describe, expect, it } from 'vitest';
import { folded, foldedPattern } from './fold';

describe('folding', () => {
  it('folds case, accents and curly apostrophes; ASCII only lower-cased', () => {
    expect(folded('Erdoğan in ZÜRICH’s Café')).toBe("erdogan in zurich's cafe");
    expect(folded('HTTPS://News.Example/A_b')).toBe('https://news.example/a_b');
  });

  it('finds a folded word in text as written: capitals, accents, decomposed accents, curly apostrophes', () => {
    const find = (word: string, text: string) => foldedPattern(folded(word)).test(text);
    expect(find('erdogan', 'Talks with ERDOĞAN')).toBe(true);
    expect(find('Erdoğan', 'talks with erdogan')).toBe(true);
    expect(find('erdogan', 'Erdog\u0306an (decomposed)')).toBe(true);
    expect(find('zurich', 'Zu\u0308rich')).toBe(true);
    expect(find("putin's", 'Putin’s visit')).toBe(true);
    expect(find('istanbul', 'İstanbul')).toBe(true);
    expect(find('путин', 'ПУТИН в Ханчжоу')).toBe(true);
    expect(find('erdogan', 'Erdogn')).toBe(false);
    expect(find('cafe', 'caffe')).toBe(false);
  });

  it('takes every character of the word literally, regex syntax and class syntax included', () => {
    for (const word of ['a.b', 'x*', '(g20)', '[a-z]', 'c^d', 'e\\f', '|', '$1', 'a/b', 'é-]']) {
      const text = `before ${word.toUpperCase()} after`;
      expect(foldedPattern(folded(word)).test(text), word).toBe(true);
      expect(foldedPattern(folded(word)).test('before after'), word).toBe(false);
    }
    expect(foldedPattern('a.b').test('axb')).toBe(false);
  });
});
