/**
 * Matching what a member typed against titles, outlets, links and file names with case and accents aside ("erdogan"
 * finds "Erdoğan", "strasse" "Straße"): the text as written is searched with a pattern of the folded word (`folded`,
 * the fold the engine's index uses too), so nothing is copied.
 */
import { folded } from '../folded';

/**
 * Folded character -> the characters folding to it ("e" -> "E", "é", "Ê", "ė"…; "か" -> "が"), from U+0080 to
 * U+2FFFF, the CJK compatibility ideographs last; and the characters folding to more than one ("ß" -> "ss", "ﬁ",
 * "ᾳ"), which a pattern of one character each cannot find. Built on the first find: ~60 ms, once.
 */
let tables: { foldingTo: Map<string, string[]>; longer: Array<[string, string]> } | null = null;

/**
 * The code points left out of the tables, each folding to itself: CJK unified ideographs and Hangul syllables (no
 * case, no marks; a syllable comes back whole from NFD and NFC), the surrogates. Half of the range: looked at, the
 * case fold's extra step (`folded`) made the table nearly twice as slow to build (~110 ms against ~65).
 */
export const SELF_FOLDING: ReadonlyArray<readonly [number, number]> = [[0x3400, 0x4dc0], [0x4e00, 0xa000], [0xac00, 0xd7a4], [0xd800, 0xe000], [0x20000, 0x2f800]];

function foldTables(): NonNullable<typeof tables> {
  if (!tables) {
    const foldingTo = new Map<string, string[]>();
    const longer: Array<[string, string]> = [];
    let next = 0;
    for (let code = 0x80; code < 0x30000; code++) {
      if (code === SELF_FOLDING[next]?.[0]) code = SELF_FOLDING[next++][1];
      const c = String.fromCodePoint(code);
      const f = folded(c);
      if (f === c) continue;
      if ([...f].length === 1) foldingTo.set(f, [...(foldingTo.get(f) ?? []), c]);
      else if (f) longer.push([c, f]);
    }
    tables = { foldingTo, longer };
  }
  return tables;
}

const charsFoldingTo = (folding: string) => foldTables().foldingTo.get(folding) ?? [];

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
    const one = alternatives.size === 1 ? c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&') : `[${[...alternatives].map(inClass).join('')}]`;
    return `${one}\\p{M}*`;
  });
  const pattern = new RegExp(source.join(''), 'u');
  // The characters folding to more than one that could hold part of the word: "ß" for "strasse" or "stras".
  const overlapping = foldTables().longer.filter(([, f]) => overlaps(word, f));
  if (overlapping.length) longerFor.set(pattern, { longer: overlapping, holding: holdingAny(overlapping.map(([c]) => c)) });
  return pattern;
}

/**
 * A pattern finding any of `chars`, and some characters near them: code points less than 64 apart are taken as one
 * range. A class of each character alone scanned titles ~3 times as slowly (80 characters, 21 ranges: 45 ms over
 * 150,000 fields, against 15 for 6); a character found that is none of them only costs that field a second look.
 */
function holdingAny(chars: readonly string[]): RegExp {
  const codes = chars.map((c) => c.codePointAt(0)!).sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  for (const code of codes) {
    const last = ranges[ranges.length - 1];
    if (last && code - last[1] < 64) last[1] = code;
    else ranges.push([code, code]);
  }
  const hex = (code: number) => `\\u{${code.toString(16)}}`;
  return new RegExp(`[${ranges.map(([from, to]) => (from === to ? hex(from) : `${hex(from)}-${hex(to)}`)).join('')}]`, 'u');
}

const inClass = (c: string) => c.replace(/[\\\]\[^-]/g, '\\$&');

/**
 * The characters folding to more than one that could hold part of a pattern's word, with their folds, where there are
 * any; and a pattern finding any of them, so that a field holding none is passed over in one scan.
 */
const longerFor = new WeakMap<RegExp, { longer: Array<[string, string]>; holding: RegExp }>();

/**
 * Whether a character folding to `f` could hold part of `word` in the text folded: inside it, or at its end (the word
 * typed so far, "stras"). Not at its start: a word begun inside a letter ("se" of "Straße") is no word a member
 * types, and it would have every word beginning with n, s or i looked for again (ŉ, ß, ﬁ).
 */
function overlaps(word: string, f: string): boolean {
  if (word.includes(f) || f.includes(word)) return true;
  for (let k = 1; k < f.length; k++) if (word.endsWith(f.slice(0, k))) return true;
  return false;
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
 * `text` with each of `longer` written as its fold ("Straße" -> "Strasse"), for a pattern: the rest as written, which
 * the pattern matches as it is. Folding it whole cost ~4 µs a title, 200 ms a find over 50,000 German titles.
 */
function spelledOut(text: string, longer: ReadonlyArray<[string, string]>): string {
  let spelled = text;
  for (const [c, f] of longer) if (spelled.includes(c)) spelled = spelled.replaceAll(c, f);
  return spelled;
}

/**
 * Whether every word's pattern (`foldedPattern`) is in one of `fields` (a title, an outlet, a link, a file name): as
 * written or, for a word a character folding to more than one could hold part of ("strasse"), with those characters
 * written as their folds ("Straße" as "Strasse").
 * @example holdsEvery(['Talks with Erdoğan', null], findWords('erdogan TALKS').map(foldedPattern)) // true
 */
export function holdsEvery(fields: readonly (string | null)[], patterns: readonly RegExp[]): boolean {
  return patterns.every((p) => {
    if (fields.some((text) => text !== null && p.test(searched(text)))) return true;
    // Only for a word not found as written: looking for those characters in every field beside each word doubled
    // the cost of a find at 50,000 articles. One scan for all of them: a word such as "ι" could be part of 63 (ᾳ, ῳ…),
    // and looking for each in turn made its find over 50,000 articles ten times as costly (13 -> 130 ms).
    const longer = longerFor.get(p);
    return !!longer && fields.some((text) => {
      if (text === null) return false;
      const part = searched(text);
      return longer.holding.test(part) && p.test(spelledOut(part, longer.longer));
    });
  });
}
