/**
 * Word soup: an article file whose words are not in prose order (random words of real articles, a comma every few:
 * spam that matches an event's vocabulary, and its natural share of stop words, so unigram rules miss it).
 *
 * The signal is word order. In English prose a determiner ("the", "a", "its", ...) is followed by a noun or an
 * adjective, almost never directly by a function word ("the of", "a and", "its was"); in shuffled words that
 * happens about as often as function words occur (~36%). A source is judged over windows of `SOUP_WINDOW`
 * consecutive determiners, so a short text (too few determiners) is never judged, and soup appended to a long real
 * article is not diluted by it. Text in another language has few of these words, and no English function words after
 * them. Measured in docs/measurements.md ("Word soup").
 */
import type { Span } from './sentences';

/** Determiners (matched in any case) whose next word is looked at. */
const DETERMINERS = new Set(['the', 'a', 'an', 'its', 'their', 'our', 'his', 'my', 'your', 'every']);

/**
 * Function words that prose never puts directly after a determiner; matched as written (lower case), so "the US",
 * "the IT department" or "the May election" are not counted. Left out on purpose: words that do follow one
 * ("the most", "a few", "the other", "their own", "the very", "the then", "a while", "the will", "a can", "an over").
 */
const FUNCTION_WORDS = new Set(
  `the a an of to in on at by for with from into onto upon about after before between through during without within
  against among amongst across toward towards than as and or but nor because although though whereas unless if
  that which who whom whose what where when why how is are was were be been am has have had does did would should
  could shall may he she it we they me him them us you his her its their our my your this these those there some
  any each every both either neither such`
    .split(/\s+/)
    .filter(Boolean),
);

/** Determiners per judged window, about 500 words of English prose: a source with fewer is never judged. */
export const SOUP_WINDOW = 50;
/**
 * A window with this many of its determiners directly followed by a function word is soup. Measured: at most 3 in
 * any real source (data/, the seeds, SQuAD dev and train, news), at least 16 in every random-word soup of 1,000 words.
 */
export const SOUP_MIN_FOLLOWED = 10;

/**
 * Why the prose `spans` of `text` read as word soup (a reason for moderators, ending with the words that open the
 * worst stretch, so it can be found in the file or the page), or null when they do not or are too short to judge.
 * @example wordSoupReason(text, article.paragraphs) // null for an article
 */
export function wordSoupReason(text: string, spans: readonly Span[]): string | null {
  const starts: number[] = [];
  const flags = determinerFollowers(text, spans, starts);
  const worst = worstWindow(flags, SOUP_WINDOW);
  if (worst === null || worst.followed < SOUP_MIN_FOLLOWED) return null;
  const from = flags.indexOf(1, worst.first); // the stretch's first "the of": a window may begin in real prose
  return `reads as word soup, not prose: in one stretch ${worst.followed} of ${SOUP_WINDOW} determiners ("the", "a", "its", …) are directly followed by a function word (as in "the of", "a and"), which real articles almost never do (from "${openingWords(text, starts[from])}…")`;
}

/** The words of `text` from `at`, up to 6 and 60 characters, white space made single spaces. */
function openingWords(text: string, at: number): string {
  WORD.lastIndex = at;
  let end = at;
  for (let n = 0, m = WORD.exec(text); m && n < 6; n++, m = WORD.exec(text)) end = m.index + m[0].length;
  return text.slice(at, Math.min(end, at + 60)).replace(/\s+/g, ' ').replace(/[\uD800-\uDBFF]$/, '');
}

const LONGEST_DETERMINER = Math.max(...[...DETERMINERS].map((d) => d.length));
// A word keeps the combining marks after its letters (a decomposed "año" is not "an" and "o"), as the index's words do.
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:['’-][\p{L}\p{N}][\p{L}\p{N}\p{M}]*)*/gu;

/**
 * For each determiner of `spans` directly followed by a word (white space only between them), whether that word is a
 * function word: 1 or 0, in text order; `starts`, when given, receives where each of those determiners starts.
 * @example determinerFollowers('The of a cat.', [{ start: 0, end: 13 }]) // Uint8Array [1, 0]
 */
export function determinerFollowers(text: string, spans: readonly Span[], starts?: number[]): Uint8Array {
  const out: number[] = [];
  for (const span of spans) {
    WORD.lastIndex = span.start;
    let afterDeterminer = -1; // where the last word ended, when it was a determiner
    let afterWord = -1; // where the last word ended
    let determinerStart = -1; // where the last word started (used when it was a determiner)
    for (let m = WORD.exec(text); m && m.index < span.end; m = WORD.exec(text)) {
      const word = m[0];
      if (afterDeterminer >= 0 && onlySpace(text, afterDeterminer, m.index)) {
        out.push(FUNCTION_WORDS.has(word) || word === 'I' ? 1 : 0);
        starts?.push(determinerStart);
      }
      // A capital "A" straight after a word is a name ("vitamin A is", "Serie A in", "Group A and"), not the article:
      // counted, three real pages on vitamin A joined read 11 of 50.
      const isLabel = word === 'A' && afterWord >= 0 && onlySpace(text, afterWord, m.index);
      afterDeterminer = !isLabel && word.length <= LONGEST_DETERMINER && DETERMINERS.has(word.toLowerCase()) ? m.index + word.length : -1;
      determinerStart = m.index;
      afterWord = m.index + word.length;
    }
  }
  return Uint8Array.from(out);
}

function onlySpace(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 160) return false;
  }
  return true;
}

/**
 * The most determiners followed by a function word in any `window` consecutive determiners of `flags` (`followed`),
 * and the index in `flags` where the first window with that many starts (`first`); null when there are fewer than
 * `window` (too little text to judge).
 */
export function worstWindow(flags: Uint8Array, window: number): { followed: number; first: number } | null {
  if (flags.length < window) return null;
  let count = 0;
  for (let i = 0; i < window; i++) count += flags[i];
  let worst = { followed: count, first: 0 };
  for (let i = window; i < flags.length; i++) {
    count += flags[i] - flags[i - window];
    if (count > worst.followed) worst = { followed: count, first: i - window + 1 };
  }
  return worst;
}
