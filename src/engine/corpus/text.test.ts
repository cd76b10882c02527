import { describe, expect, it } from 'vitest';
import { normalizeWord, words } from './text';

describe('words', () => {
  it('keeps a letter and the combining marks written after it in one word (text written decomposed)', () => {
    // "Zürich" written as "u" + U+0308, a Russian stress mark (U+0301), a mark inside an apostrophe's part: each is
    // one word, not two ("Zu", "rich"), so its key is the composed word's and a highlight marks all of it.
    const text = 'Zu\u0308rich, возду\u0301шная, l’e\u0301te\u0301 didn’t.';
    expect(words(text).map((w) => text.slice(w.start, w.end))).toEqual(['Zu\u0308rich', 'возду\u0301шная', 'l’e\u0301te\u0301', 'didn’t']);
    expect(words(text).map((w) => normalizeWord(w.word))).toEqual(['zurich', 'воздушная', 'lete', 'didnt']);
    expect(normalizeWord('Zu\u0308rich')).toBe(normalizeWord('Zürich'));
  });

  it('gives offsets into the text as written, where the key is longer or shorter (ß, ﬃ, İ, final sigma)', () => {
    const text = 'İSTANBUL’s Straße, the oﬃce of ΟΔΥΣΣΕΥΣ.';
    const ws = words(text);
    expect(ws.map((w) => text.slice(w.start, w.end))).toEqual(['İSTANBUL’s', 'Straße', 'the', 'oﬃce', 'of', 'ΟΔΥΣΣΕΥΣ']);
    expect(ws.map((w) => normalizeWord(w.word))).toEqual(['istanbul', 'strasse', 'the', 'office', 'of', 'οδυσσευσ']);
  });

  it('starts no word with a mark alone', () => {
    expect(words('\u0301abc \u0308').map((w) => w.word)).toEqual(['abc']);
  });
});
