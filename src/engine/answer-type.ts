/**
 * Answer types: what kind of words a question asks for ("who" → a person, "how long" → a duration), and which of
 * its words name that kind rather than its topic. answer-cues.ts finds words of each kind in a sentence; the ranker
 * uses both as features (classic answer-sentence selection), and the quote marks the answering words.
 */
import { NUMBER_WORDS } from './answer-cues';
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
