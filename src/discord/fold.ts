/**
 * Matching what a member typed against titles, outlets and links with case and accents aside ("erdogan" finds
 * "Erdoğan"). The engine's `normalizeWord` folds the same way for its index, but Discord code may not import it.
 */

/**
 * Lower case, accents off, curly apostrophes straight: what a member typed, to look for with `foldedPattern`.
 * @example folded('Zürich’s') // "zurich's"
 */
export function folded(text: string): string {
  const lower = text.toLowerCase();
  return /[^\x00-\x7f]/.test(lower) ? lower.normalize('NFD').replace(/\p{M}+/gu, '').replace(/’/g, "'") : lower;
}

/** Folded character -> the characters folding to it ("e" -> "E", "é", "Ê", "ė"…): Latin to CJK punctuation, U+0080–U+2FFF. */
let foldingTo: Map<string, string[]> | null = null;

function charsFoldingTo(folding: string): string[] {
  if (!foldingTo) {
    foldingTo = new Map();
    for (let code = 0x80; code < 0x3000; code++) {
      const c = String.fromCharCode(code);
      const f = folded(c);
      if (f !== c && f.length === 1) foldingTo.set(f, [...(foldingTo.get(f) ?? []), c]);
    }
  }
  return foldingTo.get(folding) ?? [];
}

/**
 * A pattern finding a folded word in text as written: each character matches itself, its capital and every
 * character folding to it, each followed by any combining marks (text written decomposed). Searching the text as
 * it is, instead of folding it first, keeps a find over 50,000 articles several times cheaper: nothing is copied.
 * @example foldedPattern(folded('Erdogan')).test('Talks with Erdoğan') // true
 */
export function foldedPattern(word: string): RegExp {
  const source = [...word].map((c) => {
    const upper = c.toUpperCase();
    const alternatives = new Set([c, ...([...upper].length === 1 ? [upper] : []), ...charsFoldingTo(c)]);
    const one = alternatives.size === 1 ? c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&') : `[${[...alternatives].map((a) => a.replace(/[\\\]\[^-]/g, '\\$&')).join('')}]`;
    return `${one}\\p{M}*`;
  });
  return new RegExp(source.join(''), 'u');
}
