/**
 * Answer types: what kind of words a question asks for ("who" → a person, "how long" → a duration), and which of
 * its words name that kind rather than its topic. answer-cues.ts finds words of each kind in a sentence; the ranker
 * uses both as features (classic answer-sentence selection), and the quote marks the answering words.
 */
import { NUMBER_WORDS } from './answer-cues';
import { splitSentences } from '../corpus/sentences';
import { isIrregularVerbForm, normalizeWord, STOPWORDS, words, type WordSpan } from '../corpus/text';

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
const measureType = new Map<string, AnswerType>([
  ...MEASURE_NOUNS.split(' ').map((w): [string, AnswerType] => [w, 'number']),
  ...DURATION_NOUNS.split(' ').map((w): [string, AnswerType] => [w, 'duration']),
]);

/** Words that open a noun phrase: a word right before one takes an object, so it is a verb ("makes the", "won a"). */
const DETERMINERS = new Set('the a an his her its their this that these those our my your'.split(' '));
const WH_WORDS = new Set(['what', 'which', 'who', 'whom', 'whose', 'where', 'when', 'how', 'why']);
/** "How many years", "how many days": a count of time units asks for a duration. */
const HOW_MANY_DURATIONS = new Set(['years', 'days', 'hours', 'minutes', 'weeks', 'months']);

/** The kind a noun names ("artists" → person), or undefined. */
const kindOfNoun = (word: string | undefined): AnswerType | undefined =>
  word === undefined ? undefined : (nounType.get(word) ?? nounType.get(word.replace(/s$/, '')));

/**
 * The kind named by the noun phrase after a determiner at `i` ("which country", "what major city", "this artist",
 * "which of these teams"): the first kind noun among its next two words, or undefined.
 */
function nounPhraseKind(ws: string[], i: number): AnswerType | undefined {
  let k = i + 1;
  if (ws[k] === 'of' && DETERMINERS.has(ws[k + 1] ?? '')) k += 2; // "which of these teams"
  return kindOfNoun(ws[k]) ?? kindOfNoun(ws[k + 1]);
}

/**
 * The kind asked by the wh-phrase that starts at `i`: "who" a person, "when" a date, "where" a place, "how long" a
 * duration, "how many"/"how much"/"how old" a number, "what year"/"which country"/"what is the name of the player"
 * what the noun names. Undefined when the phrase names no kind ("what did …", "how did …", "why …").
 */
function whPhraseKind(ws: string[], i: number): AnswerType | undefined {
  const next = ws[i + 1];
  switch (ws[i]) {
    case 'who':
    case 'whom':
    case 'whose':
      return 'person';
    case 'when':
      return 'date';
    case 'where':
      return 'place';
    case 'how':
      if (next === 'long' || (next === 'many' && HOW_MANY_DURATIONS.has(ws[i + 2] ?? ''))) return 'duration';
      return next === 'many' || next === 'much' || next === 'old' ? 'number' : undefined;
    case 'what':
    case 'which':
      return nounPhraseKind(ws, i) ?? nameOfKind(ws, i) ?? headKind(ws, i);
  }
  return undefined;
}

const COPULAS = new Set(['is', 'was', 'are', 'were']);
/** Verbs among the function words; an auxiliary after "what price", "at what age" shows the word before is a noun. */
const AUXILIARIES = new Set(
  ('am is are was were be been being do does did doing has have had having will would can could should may might ' +
    'must shall get got say says said tell told').split(' '),
);
/** Prepositions that end a question when stranded ("What is the film about?", "… known for?"). */
const STRANDED = new Set(
  'about for of in on at to from with by into over under after before against through like'.split(' '),
);

/**
 * The kind named by the head of the noun phrase after "what"/"which", or after "what is the" / "what's the" ("What
 * was the duration of the talks?", "What is the largest city in …?", "At what age …?"). English puts the head last,
 * so it is the last of the (at most three) words before the next function word, verb or preposition
 * (`isFunctionWordOrVerb`), or the end: a modifier is not the head ("What was the president's reaction?" asks for a
 * reaction, "which low-cost airline" for an airline), nor is a verb ("What cost the economy …?": a word with a
 * determiner right after it takes an object). A measure right after "what" is a noun only before an auxiliary or the
 * end ("What price did …?"; "What cost him his job?" and "What costs more?" ask for a thing). After "what is the"
 * the phrase is the subject, not what is asked, when a verb or a stranded preposition follows it ("What is the city
 * known for?", "What is the film about?"), unless the question names it ("What is the city called?", "… known as?",
 * "What were the towns … called?").
 */
function headKind(ws: string[], i: number): AnswerType | undefined {
  let start = i + 1;
  if (COPULAS.has(ws[start] ?? '') && DETERMINERS.has(ws[start + 1] ?? '')) start += 2;
  else if (DETERMINERS.has(ws[start] ?? '')) start += 1; // "what's the" reads "what the" once normalised
  let end = start;
  while (end < ws.length && !isFunctionWordOrVerb(ws, end)) end++;
  if (end === start || end > start + 3) return undefined;
  // "the coach's name", "the team name": the name of what the word before names
  const head = /^names?$/.test(ws[end - 1]) && end - 1 > start ? ws[end - 2] : ws[end - 1];
  const after = ws[end];
  const rest = ws.slice(end).join(' '); // "called" next or last: "What were the towns … called?"
  const naming = /^(called|named|known as)\b|\b(called|named|known as)$/.test(rest);
  if (start > i + 1 && after !== undefined && !naming) {
    const verb = !STOPWORDS.has(after) && !PREPOSITIONS.has(after);
    if (verb || AUXILIARIES.has(after) || (end === ws.length - 1 && STRANDED.has(after))) return undefined;
  }
  const measure = measureType.get(head) ?? measureType.get(head.replace(/s$/, ''));
  const verbAfterWhat = start === i + 1 && end === start + 1 && after !== undefined && !AUXILIARIES.has(after);
  if (measure && verbAfterWhat) return undefined;
  return measure ?? kindOfNoun(head);
}

/**
 * "What is the (last) name of the player …": the kind the noun after "name of the" names, else a person or a place
 * when a "who" or "where" follows it closely ("the name of the quarterback who …", "of the stadium where …").
 */
function nameOfKind(ws: string[], i: number): AnswerType | undefined {
  const of = ws.indexOf('of', i + 1);
  if (of < 0 || of > i + 5 || !/^names?$/.test(ws[of - 1]) || !DETERMINERS.has(ws[of + 1] ?? '')) return undefined;
  const relative = ws.slice(of + 2, of + 6).find((w) => w === 'who' || w === 'where');
  return nounPhraseKind(ws, of) ?? (relative ? whPhraseKind(ws, ws.indexOf(relative, of)) : undefined);
}

/** Wh-words that also open relative clauses ("the area where …", "Maximum, which was …"). */
const RELATIVE_WORDS = new Set(['who', 'whom', 'whose', 'which', 'where', 'when']);

/**
 * Positions of a sentence's wh-words, those that ask apart from those that open a relative clause (a relative
 * pronoun right after a noun: "the area where …", "Soleimani, who was …"; but "…, which team won" asks). A
 * capitalised wh-word right after another word is part of a name ("Doctor Who", "The Who"), unless punctuation
 * comes between ("Q: Who won?", "Obama met Putin. How long …" without its mark) or the sentence is in capitals.
 */
function whWords(ws: WordSpan[], lower: string[], sentence: string): { asking: number[]; relative: number[] } {
  const capitals = !/\p{Ll}/u.test(sentence);
  const inName = (i: number) =>
    i > 0 && !capitals && /^\p{Lu}/u.test(ws[i].word) && /^\s+$/.test(sentence.slice(ws[i - 1].end, ws[i].start));
  const all = lower.flatMap((w, i) => (WH_WORDS.has(w) && !inName(i) ? [i] : []));
  const opensRelative = (i: number) =>
    i > 0 && RELATIVE_WORDS.has(lower[i]) && !STOPWORDS.has(lower[i - 1]) && !(lower[i] === 'which' && nounPhraseKind(lower, i));
  return { asking: all.filter((i) => !opensRelative(i)), relative: all.filter(opensRelative) };
}

/**
 * The quoted stretches of a text ("Which band recorded “Who Are You?”"), a title or speech inside a question, which
 * asks nothing, and the text without them. None when the quote is all the text has (a question typed in quotes).
 */
function quotations(text: string): { spans: Array<[number, number]>; outside: string } {
  const spans = [...text.matchAll(/“[^”]*”|"[^"]*"/g)].map((m): [number, number] => [m.index!, m.index! + m[0].length]);
  let outside = '';
  let from = 0;
  for (const [start, end] of spans) [outside, from] = [outside + text.slice(from, start), end];
  outside += text.slice(from);
  return /\p{L}/u.test(outside) ? { spans, outside } : { spans: [], outside: text };
}

/** A sentence's words, lower-cased, a wh-word's contraction dropped ("Where'd", "Who're" read "where", "who"). */
function analyse(sentence: string) {
  const quoted = quotations(sentence).spans;
  let q = 0; // words and quotes both run left to right: one pass
  const ws = words(sentence).filter((w) => {
    while (q < quoted.length && quoted[q][1] <= w.start) q++;
    return !(q < quoted.length && w.start > quoted[q][0]);
  });
  const lower = ws.map((w) => normalizeWord(w.word.replace(/^(what|which|who|where|when|how|why)['’ʼ](?:d|ll|re|ve)$/i, '$1')));
  return { lower, ...whWords(ws, lower, sentence) };
}

/** Whether a sentence asks with a question mark of its own, not only one inside a quoted title or speech. */
const hasQuestionMark = (sentence: string) => quotations(sentence).outside.includes('?');

/**
 * The sentence that asks: the last one with a question mark outside quotes ("Bill and Melinda Gates are divorcing.
 * Where did the couple meet?"); without one, the last with a wh-word that asks ("Obama met Putin. How long did they
 * meet"), else the whole text (a quiz statement).
 */
function askingSentence(text: string): string {
  const sentences = splitSentences(text).map((s) => text.slice(s.start, s.end));
  const marked = sentences.filter(hasQuestionMark).pop();
  if (marked) return marked;
  return sentences.length > 1 ? (sentences.reverse().find((s) => analyse(s).asking.length) ?? text) : text;
}

/**
 * The kind of answer a question asks for, from its asking sentence. Its first wh-word that asks and the phrase it
 * opens decide; a later wh-phrase is an embedded clause ("Who revealed how long the presidents had talked?" asks for
 * a person). When that phrase names no kind ("What is this city called?") or there is none (a quiz statement, "This
 * artist …"), a "this"/"these" phrase may name it; a text without a wh-word that asks, its first relative clause
 * ("…, who was an Iranian ___.").
 * @example answerType('How long did Obama and Putin meet?') // 'duration'
 * @example answerType('Who revealed how long the two presidents had talked?') // 'person'
 * @example answerType('This artist is the first to score a No. 1 hit in four decades.') // 'person'
 */
export function answerType(question: string): AnswerType {
  const { lower, asking, relative } = analyse(askingSentence(question));
  const demonstrative = lower.findIndex((w, i) => (w === 'this' || w === 'these') && nounPhraseKind(lower, i));
  const phrase = asking.length ? whPhraseKind(lower, asking[0]) : undefined;
  if (phrase) return phrase;
  if (demonstrative >= 0) return nounPhraseKind(lower, demonstrative)!;
  return (!asking.length && relative.length ? whPhraseKind(lower, relative[0]) : undefined) ?? 'other';
}

/** "What day of the week", "what time of year": the calendar unit after "of" names the answer's kind too. */
const CALENDAR_PARTS = new Set(['day', 'days', 'time', 'month', 'months', 'week', 'season']);
const CALENDAR_WHOLES = new Set(['week', 'month', 'year', 'day', 'season']);
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
  return isFunctionWordOrVerb(lower, k) || /^\p{Lu}/u.test(ws[k].word) || (w.length > 4 && /ly$/.test(w)) || /n['’ʼ]t$/i.test(ws[k].word);
}

/** The parts of `endsNounPhrase` that the lower-cased words show: a function word, a verb or a preposition. */
function isFunctionWordOrVerb(lower: string[], k: number): boolean {
  const w = lower[k];
  return (
    STOPWORDS.has(w) ||
    (w.length > 4 && /ed$/.test(w) && !/^[^aeiou]*eed$/.test(w)) ||
    isIrregularVerbForm(w) ||
    DETERMINERS.has(lower[k + 1] ?? '') ||
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
