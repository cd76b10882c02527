/**
 * Answer types: what kind of words a question asks for ("who" → a person, "how long" → a duration), and where
 * a sentence holds words of that kind that the question does not already name. The ranker uses both as features
 * (classic answer-sentence selection), and the quote marks the answering words so the bot can bold them.
 */
import { normalizeWord, words, type WordSpan } from './text';

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
  'agency airline firm retailer animal species disease university school event sport award game magazine newspaper';
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

/**
 * The kind of answer a question asks for.
 * @example answerType('How long did Obama and Putin meet?') // 'duration'
 * @example answerType('This artist is the first to score a No. 1 hit in four decades.') // 'person'
 */
export function answerType(question: string): AnswerType {
  const ws = words(question).map((w) => normalizeWord(w.word));
  const q = ws.join(' ');
  if (/\bhow (long|many (years|days|hours|minutes|weeks|months))\b/.test(q)) return 'duration';
  if (/\bhow (many|much)\b|\bwhat (percentage|percent|number|amount)\b/.test(q)) return 'number';
  if (/\bwhen\b|\b(what|which) (year|date|day|month|decade|century)\b|\bin what year\b/.test(q)) return 'date';
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

/**
 * Spans of `sentence` that could answer each kind of question, leaving out words the question itself uses
 * (an answer is new information). `questionWords` are normalised (`normalizeWord`).
 * @example answerCues('Obama and Putin met for 90 minutes.', new Set(['obama', 'putin'])).duration // [90 minutes]
 */
export function answerCues(sentence: string, questionWords: ReadonlySet<string>): AnswerCues {
  const ws = words(sentence);
  const out: AnswerCues = { person: [], date: [], number: [], duration: [], place: [], name: [] };
  const lower = ws.map((w) => normalizeWord(w.word));
  const isNumber = (i: number) => i >= 0 && i < ws.length && (/^\d/.test(ws[i].word) || NUMBER_WORDS.has(lower[i]));
  const span = (a: number, b: number): WordSpan => ({ word: sentence.slice(ws[a].start, ws[b].end), start: ws[a].start, end: ws[b].end });
  const isCapital = (i: number) => /^\p{Lu}/u.test(ws[i].word) && !NOT_NAMES.has(lower[i]) && !MONTHS.has(lower[i]) && !WEEKDAYS.has(lower[i]);
  for (let i = 0; i < ws.length; i++) {
    if (questionWords.has(lower[i])) continue;
    const w = lower[i];
    if (MONTHS.has(w) && w !== 'may' || WEEKDAYS.has(w) || /^(1[5-9]|20)\d\d(s)?$/.test(w)) {
      // A month with its day and year ("May 12, 2008") is one date.
      let end = i;
      while (end + 1 < ws.length && (isNumber(end + 1) || MONTHS.has(lower[end + 1])) && end - i < 3) end++;
      out.date.push(span(i, end));
      i = end;
      continue;
    }
    if (isNumber(i)) {
      let end = i;
      while (end + 1 < ws.length && isNumber(end + 1)) end++;
      if (end + 1 < ws.length && DURATION_UNITS.has(lower[end + 1])) {
        out.duration.push(span(i, end + 1));
        i = end + 1;
        continue;
      }
      out.number.push(span(i, end));
      i = end;
      continue;
    }
    if (isCapital(i) && i > 0) {
      let end = i;
      while (end + 1 < ws.length && isCapital(end + 1) && !questionWords.has(lower[end + 1])) end++;
      const name = span(i, end);
      out.name.push(name);
      if (PLACE_PREPOSITIONS.has(lower[i - 1])) out.place.push(name);
      else out.person.push(name);
      i = end;
    }
  }
  return out;
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
