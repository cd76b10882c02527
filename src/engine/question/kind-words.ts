/**
 * The words the answer-type reading knows: nouns that name a kind ("artist" → person), measures ("population" → a
 * number), things that last, and the function words, verbs and prepositions that end a noun phrase. answer-type.ts
 * reads questions with them.
 */
import type { AnswerType } from './answer-type';
import { isIrregularVerbForm, STOPWORDS } from '../corpus/text';

const PERSON_NOUNS =
  'person man woman artist singer actor actress player athlete author writer director politician leader president ' +
  'minister official lawmaker senator governor rapper musician star comedian host judge ceo founder scientist ' +
  'coach king queen prince princess pope billionaire celebrity journalist activist candidate character figure';
const PLACE_NOUNS = 'country city state nation island town region capital county continent province village place';
const NAME_NOUNS =
  'company organization organisation team group brand band film movie show song album book app network party ' +
  'agency airline firm retailer animal species disease university school event sport award game magazine newspaper ' +
  'channel broadcaster outlet publication website tabloid';
const DATE_NOUNS = 'year date day month decade century weekday';
const NUMBER_NOUNS = 'percentage percent number amount';
/**
 * Measures ("what is the population of …", "what was the death toll", "at what age"): as modifiers they name no kind
 * ("which low-cost airline", "what population group"), so they count only as the head of the noun phrase (`headKind`).
 */
const MEASURE_NOUNS =
  'population cost price total toll size height length weight distance depth width speed temperature age budget ' +
  'revenue salary income attendance capacity figure';
const DURATION_NOUNS = 'duration lifespan';
/** Things that last: the length of one is a duration ("the length of the meeting"), of anything else a number. */
export const TIME_SPANS = new Set(
  ('meeting talks summit conference session visit stay war battle siege occupation campaign strike lockdown shutdown ' +
    'ban reign term tenure presidency career life lifetime marriage sentence trial hearing interview speech ' +
    'conversation call game match concert film movie song video episode ceremony break pause delay time period era ' +
    'season').split(' '),
);

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
export const measureType = new Map<string, AnswerType>([
  ...MEASURE_NOUNS.split(' ').map((w): [string, AnswerType] => [w, 'number']),
  ...DURATION_NOUNS.split(' ').map((w): [string, AnswerType] => [w, 'duration']),
]);

/** Words that open a noun phrase: a word right before one takes an object, so it is a verb ("makes the", "won a"). */
export const DETERMINERS = new Set('the a an his her its their this that these those our my your'.split(' '));
export const WH_WORDS = new Set(['what', 'which', 'who', 'whom', 'whose', 'where', 'when', 'how', 'why']);
/** "How many years", "how many days": a count of time units asks for a duration. */
export const HOW_MANY_DURATIONS = new Set(['years', 'days', 'hours', 'minutes', 'weeks', 'months']);

/** The kind a noun names ("artists" → person), or undefined. */
export const kindOfNoun = (word: string | undefined): AnswerType | undefined =>
  word === undefined ? undefined : (nounType.get(word) ?? nounType.get(word.replace(/s$/, '')));

export const COPULAS = new Set(['is', 'was', 'are', 'were']);
/** Verbs among the function words; an auxiliary after "what price", "at what age" shows the word before is a noun. */
export const AUXILIARIES = new Set(
  ('am is are was were be been being do does did doing has have had having will would can could should may might ' +
    'must shall get got say says said tell told').split(' '),
);
/** Prepositions that end a question when stranded ("What is the film about?", "… known for?"). */
export const STRANDED = new Set(
  'about for of in on at to from with by into over under after before against through like'.split(' '),
);

/** Prepositions the function-word list lacks: like "of" or "in", they end a noun phrase ("which two streets along …"). */
export const PREPOSITIONS = new Set(
  'along across among amongst around behind beside besides beyond despite except inside outside near onto toward towards within without throughout via per like since unlike'.split(' '),
);

/** The parts of `endsNounPhrase` that the lower-cased words show: a function word, a verb or a preposition. */
export function isFunctionWordOrVerb(lower: string[], k: number): boolean {
  const w = lower[k];
  return (
    STOPWORDS.has(w) ||
    (w.length > 4 && /ed$/.test(w) && !/^[^aeiou]*eed$/.test(w)) ||
    isIrregularVerbForm(w) ||
    DETERMINERS.has(lower[k + 1] ?? '') ||
    PREPOSITIONS.has(w)
  );
}
