/**
 * Matching what a member typed against titles, outlets, links and file names with case and accents aside ("erdogan"
 * finds "Erdoğan"). The engine's `normalizeWord` folds much the same way for its index (both sides folded there),
 * but Discord code may not import it.
 */

/**
 * Lower case, accents off, curly apostrophes straight: what a member typed, to look for with `foldedPattern`.
 * @example folded('Zürich’s') // "zurich's"
 */
export function folded(text: string): string {
  const lower = text.toLowerCase();
  if (!/[^\x00-\x7f]/.test(lower)) return lower;
  // Composed again after the marks go: NFD also splits a Hangul syllable into letters (no marks), which the text as
  // written, searched by `foldedPattern`, does not hold.
  return lower.normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC').replace(/’/g, "'");
}

/**
 * Folded character -> the characters folding to it ("e" -> "E", "é", "Ê", "ė"…; "か" -> "が"), from U+0080 to
 * U+2FFFF, the CJK compatibility ideographs last. Built on the first find: ~80 ms, once.
 */
let foldingTo: Map<string, string[]> | null = null;

function charsFoldingTo(folding: string): string[] {
  if (!foldingTo) {
    foldingTo = new Map();
    for (let code = 0x80; code < 0x30000; code++) {
      if (code === 0xd800) code = 0xe000; // surrogates
      const c = String.fromCodePoint(code);
      const f = folded(c);
      if (f !== c && [...f].length === 1) foldingTo.set(f, [...(foldingTo.get(f) ?? []), c]);
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

/**
 * The first `max` characters of what a member typed, counted as Discord counts an option's `max_length` (by code
 * point: never inside an emoji's surrogate pair). A find looks no further, however much a client sends.
 * @example typedPrefix('🇫🇷 Macron', 2) // '🇫🇷'
 */
export function typedPrefix(typed: string, max: number): string {
  return [...typed].slice(0, max).join('');
}

/**
 * The words to find, folded: split at spaces, punctuation around each dropped ("(Reuters)," finds "Reuters";
 * "nytimes.com" stays whole), repeats once.
 * @example findWords('  Erdoğan, *G20* ') // ['erdogan', 'g20']
 */
export function findWords(find: string): string[] {
  const words = folded(find)
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter(Boolean);
  return [...new Set(words)];
}

/**
 * The characters of a title, outlet, link or file name a find searches: more than /sources shows of any (150, 80,
 * 1,000). A pattern's cost grows with the text times the word, so a hostile file's megabyte title, accents written
 * apart, held the bot ~1.5 s a field on every find.
 */
const SEARCHED_LENGTH = 1000;

const searched = (text: string) => (text.length > SEARCHED_LENGTH ? text.slice(0, SEARCHED_LENGTH) : text);

/**
 * Whether every word's pattern (`foldedPattern`) is in one of `fields` (a title, an outlet, a link, a file name).
 * @example holdsEvery(['Talks with Erdoğan', null], findWords('erdogan TALKS').map(foldedPattern)) // true
 */
export function holdsEvery(fields: readonly (string | null)[], patterns: readonly RegExp[]): boolean {
  return patterns.every((p) => fields.some((text) => text !== null && p.test(searched(text))));
}
