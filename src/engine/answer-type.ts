/**
 * Answer types: what kind of words a question asks for ("who" → a person, "how long" → a duration), and where
 * a sentence holds words of that kind that the question does not already name. The ranker uses both as features
 * (classic answer-sentence selection), and the quote marks the answering words so the bot can bold them.
 */
import { isIrregularVerbForm, normalizeWord, STOPWORDS, words, type WordSpan } from './text';

/** The kinds of answer a question can ask for; `other` when its wording does not say. */
export const ANSWER_TYPES = ['other', 'person', 'date', 'number', 'duration', 'place', 'name'] as const;
export type AnswerType = (typeof ANSWER_TYPES)[number];

const PERSON_NOUNS =
  'person man woman artist singer actor actress player athlete author writer director politician leader president ' +
  'minister official lawmaker senator governor rapper musician star comedian host judge ceo founder scientist ' +
  'coach king queen prince princess pope billionaire celebrity journalist activist candidate character figure';
const PLACE_NOUNS = 'country city state nation island town region capital county continent province village place';
const NAME_NOUNS =
  'company organization organisation team group brand band film movie show song album book app network party ' +
  'agency airline firm retailer animal species disease university school event sport award game magazine newspaper ' +
  'channel broadcaster outlet publication website tabloid';
const DATE_NOUNS = 'year date day month decade century';
const NUMBER_NOUNS = 'percentage percent number amount';

const nounType = new Map<string, AnswerType>();
for (const [list, type] of [
  [PERSON_NOUNS, 'person'],
  [PLACE_NOUNS, 'place'],
  [NAME_NOUNS, 'name'],
  [DATE_NOUNS, 'date'],
  [NUMBER_NOUNS, 'number'],
] as const) {
  for (const w of list.split(' ')) nounType.set(w, type);
}

const DURATION_UNITS = new Set(
  'second seconds minute minutes hour hours day days week weeks month months year years decade decades century centuries'.split(' '),
);
const MONTHS = new Set(
  'january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec'.split(' '),
);
const WEEKDAYS = new Set('monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow'.split(' '));
const NUMBER_WORDS = new Set(
  'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion dozen dozens hundreds thousands millions billions half'.split(' '),
);
const PLACE_PREPOSITIONS = new Set(['in', 'at', 'from', 'near', 'to', 'across']);
/** Capitalised words that start sentences or are titles, not names. */
const NOT_NAMES = new Set('the a an i in on at it this that these those he she they we his her their its but and or if when while after before as for of to mr mrs ms dr'.split(' '));

const WH_WORDS = new Set(['what', 'which', 'who', 'whom', 'whose', 'where', 'when', 'how', 'why']);

/**
 * The kind of answer a question asks for.
 * @example answerType('How long did Obama and Putin meet?') // 'duration'
 * @example answerType('This artist is the first to score a No. 1 hit in four decades.') // 'person'
 */
export function answerType(question: string): AnswerType {
  const ws = words(question).map((w) => normalizeWord(w.word));
  const q = ws.join(' ');
  if (/\bhow (long|many (years|days|hours|minutes|weeks|months))\b/.test(q)) return 'duration';
  if (/\bhow (many|much|old)\b|\bwhat (percentage|percent|number|amount)\b/.test(q)) return 'number';
  // "When" asks for a date when it is the question's first wh-word; after one it joins a clause ("Who fumbled the
  // ball when tackled …?", "Where was the meeting held when …?").
  const firstWh = ws.findIndex((w) => WH_WORDS.has(w));
  if (ws[firstWh] === 'when' || /\b(what|which) (year|date|day|month|decade|century)\b|\bin what year\b/.test(q)) return 'date';
  if (/\bwhere\b/.test(q)) return 'place';
  if (/^(who|whom|whose)\b|\b(who|whom|whose) (is|was|were|are|did|does|has|had|will|became|won|said)\b/.test(q)) return 'person';
  // "This artist …", "Which country …", "What company …", "Name the team …": the noun says the kind.
  for (let i = 0; i + 1 < ws.length; i++) {
    if (ws[i] !== 'this' && ws[i] !== 'which' && ws[i] !== 'what' && ws[i] !== 'these') continue;
    for (const w of ws.slice(i + 1, i + 3)) {
      const t = nounType.get(w) ?? nounType.get(w.replace(/s$/, ''));
      if (t) return t;
    }
  }
  if (/^who\b|\bwho\b/.test(q)) return 'person';
  return 'other';
}

/** "What day of the week", "what time of year": the calendar unit after "of" names the answer's kind too. */
const CALENDAR_PARTS = new Set(['day', 'days', 'time', 'month', 'months', 'week', 'season']);
const CALENDAR_WHOLES = new Set(['week', 'month', 'year', 'day', 'season']);
/** Words that open a noun phrase: a word right before one takes an object, so it is a verb ("makes the", "won a"). */
const DETERMINERS = new Set('the a an his her its their this that these those our my your'.split(' '));
/** A quantifier before the noun ("what two countries", "what 3 countries"): part of the noun phrase, never its head. */
const isQuantifier = (word: string) => /^\d/.test(word) || NUMBER_WORDS.has(word);

/** Prepositions the function-word list lacks: like "of" or "in", they end a noun phrase ("which two streets along …"). */
const PREPOSITIONS = new Set(
  'along across among amongst around behind beside besides beyond despite except inside outside near onto toward towards within without throughout via per like since unlike'.split(' '),
);

/**
 * A word that cannot be the noun phrase's head or a modifier before it: a function word, a capitalised name, a verb
 * (a past form, "happened", "agreed", but not a one-syllable root like "speed"; an irregular form, "came", "began";
 * a word with an object right after it, "makes the": a noun phrase is not followed by another one's determiner; a
 * negated auxiliary, "didn't"), an adverb in -ly ("previously"), or a preposition.
 */
function endsNounPhrase(ws: WordSpan[], lower: string[], k: number): boolean {
  const w = lower[k];
  return (
    STOPWORDS.has(w) ||
    /^\p{Lu}/u.test(ws[k].word) ||
    (w.length > 4 && /ed$/.test(w) && !/^[^aeiou]*eed$/.test(w)) ||
    isIrregularVerbForm(w) ||
    DETERMINERS.has(lower[k + 1] ?? '') ||
    (w.length > 4 && /ly$/.test(w)) ||
    /n['’]t$/i.test(ws[k].word) ||
    PREPOSITIONS.has(w)
  );
}

/**
 * Positions (into `words(question)`) of the words that name the kind of answer rather than its topic: the head noun
 * of the phrase after "what"/"which" ("which channel", "what issues", "what pharmaceutical company", "in what
 * year"), and a calendar unit after "of" ("what day of the week"). The answer seldom repeats them ("Asked by CNN …"
 * answers "Which channel …"), so they weigh less as query terms. English puts the head last in its noun phrase, so
 * it is the last word of the run of content words before the first function word, name, verb, adverb or preposition;
 * adjectives and quantifiers before it ("what major city", "what two countries") keep their weight. A capitalised
 * word first is a name ("which US official"); no content word ("what did"), a verb ("what happened") or a lone
 * quantifier: nothing is marked.
 * @example answerTypeWords('What day of the week did the leaders meet?') // Set {1, 4}
 * @example answerTypeWords('What pharmaceutical company developed the drug?') // Set {2}
 */
export function answerTypeWords(question: string): Set<number> {
  const ws = words(question);
  const lower = ws.map((w) => normalizeWord(w.word));
  const out = new Set<number>();
  for (let i = 0; i + 1 < ws.length; i++) {
    if (lower[i] !== 'what' && lower[i] !== 'which') continue;
    let end = i + 1;
    while (end < ws.length && !endsNounPhrase(ws, lower, end)) end++;
    const noun = end - 1;
    if (noun === i || isQuantifier(lower[noun])) continue;
    out.add(noun);
    let whole = noun + 1;
    if (!CALENDAR_PARTS.has(lower[noun]) || lower[whole] !== 'of') continue;
    whole++;
    if (lower[whole] === 'the') whole++;
    if (whole < ws.length && CALENDAR_WHOLES.has(lower[whole])) out.add(whole);
  }
  return out;
}

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
