/**
 * Answer cues: where a sentence holds words that could answer each kind of question (a duration, a date, a name …)
 * that the question does not already name. The ranker counts them as features, and the quote marks the ones of the
 * question's kind (answer-type.ts) so the bot can bold the answer.
 */
import type { AnswerType } from './answer-type';
import { normalizeWord, words, type WordSpan } from '../corpus/text';

const DURATION_UNITS = new Set(
  'second seconds minute minutes hour hours day days week weeks month months year years decade decades century centuries'.split(' '),
);
const MONTHS = new Set(
  'january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec'.split(' '),
);
const WEEKDAYS = new Set('monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow'.split(' '));
/** Spelled-out numbers and quantities. */
export const NUMBER_WORDS = new Set(
  'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion dozen dozens hundreds thousands millions billions half'.split(' '),
);
const PLACE_PREPOSITIONS = new Set(['in', 'at', 'from', 'near', 'to', 'across']);
/** Capitalised words that start sentences or are titles, not names. */
const NOT_NAMES = new Set('the a an i in on at it this that these those he she they we his her their its but and or if when while after before as for of to mr mrs ms dr'.split(' '));

/** Words of a sentence that could answer each kind of question, as spans into the sentence. */
export interface AnswerCues {
  person: WordSpan[];
  date: WordSpan[];
  number: WordSpan[];
  duration: WordSpan[];
  place: WordSpan[];
  /** Capitalised names of any kind (persons, places, organisations). */
  name: WordSpan[];
}

/** What the cue scan needs to know of a word, whatever the question: bits of `CueWords.kinds`. */
const DATE_WORD = 1; // a month (but "may"), a weekday or a year (1000-2099): starts a date
const NUMBER = 2; // a digit first, or a number word
const MONTH = 4;
const DURATION_UNIT = 8;
const CAPITAL = 16; // capitalised, and no month, weekday or function word
const PLACE_PREPOSITION = 32;

/** A sentence's words as the cue scan reads them: offsets, normalised form and kind of each. */
interface CueWords {
  starts: Int32Array;
  ends: Int32Array;
  lower: string[];
  kinds: Uint8Array;
}

function cueWords(sentence: string): CueWords {
  const ws = words(sentence);
  const lower = ws.map((w) => normalizeWord(w.word));
  const kinds = new Uint8Array(ws.length);
  ws.forEach(({ word }, i) => {
    const w = lower[i];
    const calendar = MONTHS.has(w) || WEEKDAYS.has(w);
    if ((MONTHS.has(w) && w !== 'may') || WEEKDAYS.has(w) || /^(1\d|20)\d\d(s)?$/.test(w)) kinds[i] |= DATE_WORD;
    if (/^\d/.test(word) || NUMBER_WORDS.has(w)) kinds[i] |= NUMBER;
    if (MONTHS.has(w)) kinds[i] |= MONTH;
    if (DURATION_UNITS.has(w)) kinds[i] |= DURATION_UNIT;
    if (/^\p{Lu}/u.test(word) && !NOT_NAMES.has(w) && !calendar) kinds[i] |= CAPITAL;
    if (PLACE_PREPOSITIONS.has(w)) kinds[i] |= PLACE_PREPOSITION;
  });
  return { starts: Int32Array.from(ws, (w) => w.start), ends: Int32Array.from(ws, (w) => w.end), lower, kinds };
}

/**
 * Sentences' words by text, oldest first, at most `capacity`: the same candidates come back question after
 * question, and reading their words again was a quarter of the rank stage.
 */
export class CueWordCache {
  private readonly bySentence = new Map<string, CueWords>();

  constructor(readonly capacity: number) {}

  get(sentence: string): CueWords {
    const known = this.bySentence.get(sentence);
    if (known) return known;
    const prepared = cueWords(sentence);
    if (this.capacity > 0) {
      if (this.bySentence.size >= this.capacity) this.bySentence.delete(this.bySentence.keys().next().value!);
      this.bySentence.set(sentence, prepared);
    }
    return prepared;
  }
}

const sharedCache = new CueWordCache(5_000);

type CueKind = 'date' | 'number' | 'duration' | 'place' | 'person';

/**
 * Walks a sentence's words and reports each cue as the words `a..b` (inclusive); a place or person is also a name.
 * Words the question itself uses are skipped (an answer is new information).
 */
function scanCues({ kinds, lower }: CueWords, questionWords: ReadonlySet<string>, found: (kind: CueKind, a: number, b: number) => void): void {
  const count = kinds.length;
  const isCapital = (i: number) => (kinds[i] & CAPITAL) !== 0;
  for (let i = 0; i < count; i++) {
    if (questionWords.has(lower[i])) continue;
    if (kinds[i] & DATE_WORD) {
      // A month with its day and year ("May 12, 2008") is one date.
      let end = i;
      while (end + 1 < count && (kinds[end + 1] & (NUMBER | MONTH)) !== 0 && end - i < 3) end++;
      found('date', i, end);
      i = end;
      continue;
    }
    if (kinds[i] & NUMBER) {
      let end = i;
      while (end + 1 < count && (kinds[end + 1] & NUMBER) !== 0) end++;
      if (end + 1 < count && (kinds[end + 1] & DURATION_UNIT) !== 0) {
        found('duration', i, end + 1);
        i = end + 1;
        continue;
      }
      found('number', i, end);
      i = end;
      continue;
    }
    if (isCapital(i) && i > 0) {
      let end = i;
      while (end + 1 < count && isCapital(end + 1) && !questionWords.has(lower[end + 1])) end++;
      found(kinds[i - 1] & PLACE_PREPOSITION ? 'place' : 'person', i, end);
      i = end;
    }
  }
}

/**
 * Spans of `sentence` that could answer each kind of question, leaving out words the question itself uses
 * (an answer is new information). `questionWords` are normalised (`normalizeWord`).
 * @example answerCues('Obama and Putin met for 90 minutes.', new Set(['obama', 'putin'])).duration // [90 minutes]
 */
export function answerCues(sentence: string, questionWords: ReadonlySet<string>, cache = sharedCache): AnswerCues {
  const prepared = cache.get(sentence);
  const out: AnswerCues = { person: [], date: [], number: [], duration: [], place: [], name: [] };
  scanCues(prepared, questionWords, (kind, a, b) => {
    const span = { word: sentence.slice(prepared.starts[a], prepared.ends[b]), start: prepared.starts[a], end: prepared.ends[b] };
    if (kind === 'place' || kind === 'person') out.name.push(span);
    out[kind].push(span);
  });
  return out;
}

const COUNT_SLOT = { person: 0, date: 1, number: 2, duration: 3, place: 4 } as const;

/**
 * How many spans `answerCues` finds of each kind, in the order person, date, number, duration, place, name
 * (the ranker's cue features), without making the spans.
 * @example cueCounts('Obama and Putin met for 90 minutes.', new Set(['obama', 'putin'])) // [0, 0, 0, 1, 0, 0]
 */
export function cueCounts(sentence: string, questionWords: ReadonlySet<string>, cache = sharedCache): number[] {
  const counts = [0, 0, 0, 0, 0, 0];
  scanCues(cache.get(sentence), questionWords, (kind) => {
    counts[COUNT_SLOT[kind]]++;
    if (kind === 'place' || kind === 'person') counts[5]++;
  });
  return counts;
}

/** The spans that answer a question of `type`, or none when the type is unknown. */
export function answerSpans(type: AnswerType, cues: AnswerCues): WordSpan[] {
  switch (type) {
    case 'other':
      return [];
    case 'person':
      return cues.person.length ? cues.person : cues.name;
    case 'place':
      return cues.place.length ? cues.place : cues.name;
    case 'number':
      return cues.number.length ? cues.number : cues.duration;
    default:
      return cues[type];
  }
}
