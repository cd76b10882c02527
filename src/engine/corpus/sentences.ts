/**
 * Sentence splitting for news prose, by character offsets so every sentence is an exact substring of its file.
 *
 * A rule-based splitter: a boundary is sentence-final punctuation (plus closing quotes or brackets), then space,
 * then something that can start a sentence. The traps of news text are handled explicitly: abbreviations
 * ("Mr.", "U.S.", "a.m."), initials ("J.P. Morgan", "John F. Kennedy"), ellipses inside a sentence, and short
 * quoted speech ("“It went well. Work will continue.”"), which stays one quote with its attribution.
 */

import type { Span } from '../types';

export type { Span } from '../types';

// Lower-cased, without their final dot. Titles, months, corporate suffixes, common Latin and unit abbreviations.
const ABBREVIATIONS = new Set(
  `mr mrs ms messrs dr prof sen rep reps gov gen col lt sgt capt cmdr adm maj cpl pvt st ste mt ft jr sr rev hon pres
  supt insp det inc ltd co corp bros llc plc dept univ assn est approx vs v no nos nr fig figs vol vols ch sec art pp
  p op ed eds jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
  e.g i.e etc al cf viz ca c a.m p.m u.s u.k u.n e.u d.c u.s.a n.y l.a b.c a.d
  ave blvd rd hwy ariz calif colo conn fla ill ind kan mass mich minn miss mont neb nev okla ore pa penn tenn tex va
  vt wash wis wyo`
    .split(/\s+/)
    .filter(Boolean),
);

// Abbreviations that end sentences often enough that an upper-case word after them starts a new one.
const SENTENCE_FINAL_ABBREVIATIONS = new Set(['etc', 'al', 'inc', 'ltd', 'co', 'corp', 'llc', 'plc']);

const OPEN_QUOTES = '“‘«';
const CLOSE_QUOTES = '”’»';
const CLOSERS = `"'”’»)]`;
const QUOTE_SPAN_LIMIT = 240; // a quotation closing within this many characters is kept whole

function isUpperStart(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{Lu}\p{N}]/u.test(ch);
}

/**
 * The word (with inner dots, like "U.S") that ends just before `pos`, with its letters' combining marks: "É." written
 * decomposed is an initial too.
 */
function wordBefore(text: string, pos: number): string {
  let i = pos;
  while (i > 0 && /[\p{L}\p{N}\p{M}.]/u.test(text[i - 1])) i--;
  return text.slice(i, pos).replace(/^\.+/, '');
}

/**
 * Splits `text[start, end)` into sentence spans (trimmed of surrounding white space).
 * @example splitSentences('Mr. Obama met Putin. They talked.') // [{start:0,end:20},{start:21,end:33}]
 */
export function splitSentences(text: string, start = 0, end = text.length): Span[] {
  const spans: Span[] = [];
  const straightQuotes = (text.slice(start, end).match(/"/g) ?? []).length;
  const trackStraight = straightQuotes % 2 === 0; // unbalanced straight quotes tell nothing
  let sentenceStart = start;
  let curlyDepth = 0;
  let inStraight = false;

  for (let i = start; i < end; i++) {
    const ch = text[i];
    if (OPEN_QUOTES.includes(ch) && ch !== '‘') curlyDepth++;
    else if (ch === '‘' && !/[\p{L}\p{M}]/u.test(text[i - 1] ?? ' ')) curlyDepth++; // after a letter (or its mark): an apostrophe
    else if (CLOSE_QUOTES.includes(ch) && ch !== '’') curlyDepth = Math.max(0, curlyDepth - 1);
    else if (ch === '’' && curlyDepth > 0 && !/[\p{L}]/u.test(text[i + 1] ?? ' ')) curlyDepth--;
    else if (ch === '"' && trackStraight) inStraight = !inStraight;

    if (ch !== '.' && ch !== '!' && ch !== '?' && ch !== '…') continue;

    // Take the whole punctuation run and any closing quotes/brackets.
    let j = i + 1;
    while (j < end && '.!?…'.includes(text[j])) j++;
    while (j < end && CLOSERS.includes(text[j])) {
      if (text[j] === '"' && trackStraight) inStraight = !inStraight;
      else if (CLOSE_QUOTES.includes(text[j])) curlyDepth = Math.max(0, curlyDepth - 1);
      j++;
    }
    if (j >= end) break;
    if (!/\s/.test(text[j])) {
      i = j - 1;
      continue;
    }
    let k = j;
    while (k < end && /\s/.test(text[k])) k++;
    if (k >= end) break;
    const next = text[k];
    const nextStarts = isUpperStart(next) || (`"“‘'(`.includes(next) && isUpperStart(text[k + 1]));

    let boundary = nextStarts;
    if (boundary && ch === '.' && j === i + 1) {
      const word = wordBefore(text, i).toLowerCase();
      if (/^\p{L}\p{M}*$/u.test(word)) boundary = false; // an initial: "John F. Kennedy"
      else if (ABBREVIATIONS.has(word) && !SENTENCE_FINAL_ABBREVIATIONS.has(word)) boundary = false;
      else if (/^(\p{L}\p{M}*\.)+\p{L}\p{M}*$/u.test(word)) boundary = false; // "J.P", "U.S"
    }
    if (boundary && (curlyDepth > 0 || inStraight)) {
      // Inside quoted speech: keep it whole when it closes soon ("“It went well. Work will continue.”").
      const rest = text.slice(j, Math.min(end, j + QUOTE_SPAN_LIMIT));
      if (curlyDepth > 0 ? /[”»]/.test(rest) : rest.includes('"')) boundary = false;
    }
    if (boundary) {
      spans.push({ start: sentenceStart, end: j });
      sentenceStart = k;
    }
    i = j - 1;
  }
  spans.push({ start: sentenceStart, end });
  return spans.map((s) => trimSpan(text, s)).filter((s) => s.end > s.start);
}

/** The span without leading and trailing white space. */
export function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

/**
 * The longest sentence served whole, in characters. Prose stays well under it (served sentences, longest of SQuAD
 * dev 1,412, of news dev 437; docs/measurements.md); a run-on "sentence" of megabytes (a keyword list, a scrape
 * that lost its full stops) would otherwise be one quote that matches every question and is slow to score.
 */
export const MAX_SENTENCE_CHARS = 1500;

/**
 * Where an over-long sentence may be cut, best first: after a semicolon, a colon, a dash or a comma that is followed
 * by white space (a dash also when spaced, or an em dash between words; an unspaced en dash or hyphen joins a
 * compound, "Obama–Putin"), then at any white space. Chinese and Japanese, written without spaces, have their own
 * full-width marks, followed by nothing: their full stop first (the splitter does not end sentences there). Each
 * pattern matches the text to keep on the left; the cut is at the match's end.
 */
const CUT_PATTERNS = [/[。！？]/g, /;(?=\s)|；/g, /:(?=\s)|：/g, /(\s[-–—]|—)(?=\s|\p{L})/gu, /,(?=\s)|[，、]/g, /\S(?=\s)/g];

/** Grapheme boundaries, for a hard cut that keeps a letter with its accents and an emoji sequence whole. */
const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** How far a hard cut looks back for a grapheme boundary (a grapheme longer than this is cut inside, safely). */
const GRAPHEME_LOOKBACK = 32;

/**
 * Splits a span longer than `max` characters into pieces of at most `max`, each a contiguous slice of `text`
 * (trimmed, so every piece is a verbatim quote), cut at the best boundary in the second half of the room left (so no
 * piece is shorter than half the limit but the last); a hard cut, between graphemes, only when the room holds no
 * white space at all. A span within the limit comes back as it is.
 * @example capSentence('a, b', { start: 0, end: 4 }, 3) // [{start:0,end:2},{start:3,end:4}]
 */
export function capSentence(text: string, span: Span, max = MAX_SENTENCE_CHARS): Span[] {
  const pieces: Span[] = [];
  let start = span.start;
  while (span.end - start > max) {
    const cut = bestCut(text, start + Math.ceil(max / 2), start + max);
    pieces.push(trimSpan(text, { start, end: cut }));
    start = cut;
    while (start < span.end && /\s/.test(text[start])) start++;
  }
  pieces.push(trimSpan(text, { start, end: span.end }));
  return pieces.filter((p) => p.end > p.start);
}

/** The best cut in `(from, to]`: the last match of the first pattern that has one there, else a hard cut at `to`. */
function bestCut(text: string, from: number, to: number): number {
  const room = text.slice(from, to + 1); // one character more: a boundary right at `to` counts
  for (const pattern of CUT_PATTERNS) {
    let last = -1;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(room); m; m = pattern.exec(room)) {
      const end = m.index + m[0].length;
      if (end <= to - from && end > 0) last = end;
    }
    if (last > 0) return from + last;
  }
  return hardCut(text, from, to);
}

/** The last grapheme boundary in `(from, to]`, else `to` kept off the middle of a surrogate pair. */
function hardCut(text: string, from: number, to: number): number {
  const lo = Math.max(from, to - GRAPHEME_LOOKBACK);
  let cut = -1;
  // The text after `to` is looked at too: whether `to` itself is a boundary depends on what follows it. `lo` itself
  // may be inside a grapheme (the slice starts there), so it is not taken for a boundary.
  for (const { index } of GRAPHEMES.segment(text.slice(lo, to + GRAPHEME_LOOKBACK))) {
    if (lo + index > to) break;
    if (index > 0) cut = lo + index;
  }
  if (cut > from) return cut;
  const code = text.charCodeAt(to - 1);
  return code >= 0xd800 && code <= 0xdbff ? to - 1 : to; // never split a surrogate pair
}
