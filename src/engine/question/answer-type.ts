/**
 * Answer types: what kind of words a question asks for ("who" → a person, "how long" → a duration), and which of
 * its words name that kind rather than its topic. answer-cues.ts finds words of each kind in a sentence; the ranker
 * uses both as features (classic answer-sentence selection), and the quote marks the answering words.
 */
import { NUMBER_WORDS } from './answer-cues';
import { splitSentences } from '../corpus/sentences';
import { normalizeWord, STOPWORDS, words, type WordSpan } from '../corpus/text';
import {
  AUXILIARIES, COPULAS, DETERMINERS, HOW_MANY_DURATIONS, isFunctionWordOrVerb, kindOfNoun, measureType, PREPOSITIONS,
  STRANDED, TIME_SPANS, WH_WORDS,
} from './kind-words';

/** The kinds of answer a question can ask for; `other` when its wording does not say. */
export const ANSWER_TYPES = ['other', 'person', 'date', 'number', 'duration', 'place', 'name'] as const;
export type AnswerType = (typeof ANSWER_TYPES)[number];

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
function whPhraseKind(q: Asking, i: number): AnswerType | undefined {
  const ws = q.lower;
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
      return nounPhraseKind(ws, i) ?? nameOfKind(q, i) ?? headKind(q, i);
  }
  return undefined;
}

/** The asking sentence's words: lower-cased for reading, as typed for capitals and commas; `titled`: a capital marks no name. */
interface Asking { lower: string[]; spans: WordSpan[]; text: string; titled: boolean }

/** The most words a noun phrase's run holds ("the estimated total death toll"); a longer run is no noun phrase. */
const MAX_RUN = 5;
const commaBefore = (q: Asking, k: number) =>
  k > 0 && k < q.spans.length && q.text.slice(q.spans[k - 1].end, q.spans[k].start).includes(',');
const isName = (q: Asking, k: number) => !q.titled && /^\p{Lu}/u.test(q.spans[k].word);
/** A possessive that is no name's ("which company's revenue", not "Women's National Basketball Association"). */
const isPossessive = (q: Asking, k: number) => /['’]s$/i.test(q.spans[k].word) && !isName(q, k);
/** A comma the phrase goes on past: between its modifiers ("the official, central bank"), not before an insertion. */
const commaInPhrase = (q: Asking, k: number) =>
  !isFunctionWordOrVerb(q.lower, k) && !/(ly|ing)$/.test(q.lower[k]) && !WH_WORDS.has(q.lower[k]);
/** A plain -s on a word before the head: a verb ("What fair lasts 24 days?"); a modifying noun is singular. */
const presentVerb = (w: string) => /[^su's]s$/.test(w);

/**
 * The kind named by the head of the noun phrase after "what"/"which", or after "what is the" / "what's the" ("What
 * was the duration of the talks?", "At what age …?"). English puts the head last, so it is the last of the (at most
 * five) words before the next function word, verb, preposition or comma (`isFunctionWordOrVerb`), or the end: a
 * modifier is not the head ("What was the president's reaction?", "which low-cost airline"), nor a verb ("What cost
 * the economy …?": a word with a determiner right after it takes an object; in a run past three words, one with a
 * plain -s), but a participle right after the determiner is a modifier ("the estimated total death toll"); right
 * after "which", a possessive naming a kind is what is asked ("which company's revenue"). A measure right after
 * "what" is a noun only before an auxiliary or the end ("What price did …?", not "What cost him his job?"). After
 * "what is the" the phrase is the subject, not what is asked, when a verb or a stranded preposition follows it ("What
 * is the city known for?", "… about?"), unless the question names it ("called", "named", "known as"); an insertion
 * between commas ("the population, roughly, of …") is skipped, and after a comma none closes comes no predicate
 * ("the death toll, according to …"). A capitalised measure is part of a name ("the Cost of Living Index").
 */
function headKind(q: Asking, i: number): AnswerType | undefined {
  const ws = q.lower;
  let start = i + 1;
  if (COPULAS.has(ws[start] ?? '') && DETERMINERS.has(ws[start + 1] ?? '')) start += 2;
  else if (DETERMINERS.has(ws[start] ?? '')) start += 1; // "what's the" reads "what the" once normalised
  const bare = start === i + 1;
  const modifier = (k: number) => // "the estimated …": a determiner opens a noun phrase, no verb
    k === start && !bare && !STOPWORDS.has(ws[k]) && !PREPOSITIONS.has(ws[k]) && !DETERMINERS.has(ws[k + 1] ?? '');
  const goesOn = (k: number) =>
    (modifier(k) || !isFunctionWordOrVerb(ws, k)) && (k === start || !commaBefore(q, k) || commaInPhrase(q, k));
  let end = start;
  for (; end < ws.length && goesOn(end); end++) {
    if (bare && isPossessive(q, end) && kindOfNoun(ws[end])) return kindOfNoun(ws[end]); // "which company's revenue"
  }
  if (end === start || end > start + MAX_RUN) return undefined;
  if (end > start + 3 && ws.slice(start, end - 1).some((w, k) => presentVerb(w) && !isName(q, start + k))) return undefined;
  const possessor = ws.slice(start, end - 1).findIndex((_, k) => /['’]s$/i.test(q.spans[start + k].word));
  // "the coach's name", "the team name", "the dynasty's official name": the name of what the word before names
  const named = /^names?$/.test(ws[end - 1]) && end - 1 > start;
  const at = named ? (possessor >= 0 ? start + possessor : end - 2) : end - 1;
  let next = end; // where the rest of the question goes on: past an insertion between commas
  if (commaBefore(q, end)) {
    const closing = [1, 2, 3].map((n) => end + n).find((k) => commaBefore(q, k));
    next = closing !== undefined && !ws.slice(end, closing).some((w) => WH_WORDS.has(w)) ? closing : ws.length;
  }
  const after = ws[next];
  const rest = ws.slice(next).join(' '); // "called" next or last: "What were the towns … called?"
  const naming = /^(called|named|known as)\b|\b(called|named|known as)$/.test(rest);
  if (!bare && after !== undefined && !naming) {
    const verb = !STOPWORDS.has(after) && !PREPOSITIONS.has(after);
    if (verb || AUXILIARIES.has(after) || (next === ws.length - 1 && STRANDED.has(after))) return undefined;
  }
  const head = ws[at];
  const measure = isName(q, at) ? undefined : (measureType.get(head) ?? measureType.get(head.replace(/s$/, '')));
  const verbAfterWhat = bare && end === start + 1 && after !== undefined && !AUXILIARIES.has(after);
  if (measure && verbAfterWhat) return undefined;
  return headSense(q, at, next, bare, measure ?? kindOfNoun(head));
}

/**
 * The kind a head names, read with what follows it: "the length of the meeting" (of a thing that lasts) is a
 * duration, "the length of the bridge" a number; "the state of the economy" (of a determiner and a common noun) is a
 * condition, no place, while "the state of Texas" is one; "which key figures" asks for people, "the figure" a value.
 */
function headSense(q: Asking, at: number, next: number, bare: boolean, kind: AnswerType | undefined): AnswerType | undefined {
  const ws = q.lower;
  if (bare && /^figures?$/.test(ws[at])) return 'person';
  if (ws[next] !== 'of' || next !== at + 1) return kind;
  let k = next + 1;
  if (/^(length|lengths)$/.test(ws[at])) {
    if (DETERMINERS.has(ws[k] ?? '')) k++;
    let end = k; // the head of the phrase after "of": the last word of its run
    while (end < ws.length && end < k + MAX_RUN && !isFunctionWordOrVerb(ws, end)) end++;
    const measured = ws[end - 1];
    return end > k && (TIME_SPANS.has(measured) || TIME_SPANS.has(measured.replace(/s$/, ''))) ? 'duration' : kind;
  }
  const condition = /^states?$/.test(ws[at]) && DETERMINERS.has(ws[k] ?? '') && k + 1 < ws.length && !isName(q, k + 1);
  return condition ? undefined : kind;
}

/**
 * "What is the (last) name of the player …": the kind the noun after "name of the" names, else a person or a place
 * when a "who" or "where" follows it closely ("the name of the quarterback who …", "of the stadium where …").
 */
function nameOfKind(q: Asking, i: number): AnswerType | undefined {
  const ws = q.lower;
  const of = ws.indexOf('of', i + 1);
  if (of < 0 || of > i + 5 || !/^names?$/.test(ws[of - 1]) || !DETERMINERS.has(ws[of + 1] ?? '')) return undefined;
  const relative = ws.slice(of + 2, of + 6).find((w) => w === 'who' || w === 'where');
  return nounPhraseKind(ws, of) ?? (relative ? whPhraseKind(q, ws.indexOf(relative, of)) : undefined);
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
  const lower = ws.map((w) => normalizeWord(w.word.replace(/^(what|which|who|where|when|how|why)['’](?:d|ll|re|ve)$/i, '$1')));
  // In capitals or title case ("What Is The …": a function word capitalised after the first word) a capital marks no name.
  const titled = !/\p{Ll}/u.test(sentence) || ws.some((w, k) => k > 0 && STOPWORDS.has(lower[k]) && /^\p{Lu}/u.test(w.word));
  const asked: Asking = { lower, spans: ws, text: sentence, titled };
  return { asked, ...whWords(ws, lower, sentence) };
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
  const { asked, asking, relative } = analyse(askingSentence(question));
  const lower = asked.lower;
  const demonstrative = lower.findIndex((w, i) => (w === 'this' || w === 'these') && nounPhraseKind(lower, i));
  const phrase = asking.length ? whPhraseKind(asked, asking[0]) : undefined;
  if (phrase) return phrase;
  if (demonstrative >= 0) return nounPhraseKind(lower, demonstrative)!;
  return (!asking.length && relative.length ? whPhraseKind(asked, relative[0]) : undefined) ?? 'other';
}

/** "What day of the week", "what time of year": the calendar unit after "of" names the answer's kind too. */
const CALENDAR_PARTS = new Set(['day', 'days', 'time', 'month', 'months', 'week', 'season']);
const CALENDAR_WHOLES = new Set(['week', 'month', 'year', 'day', 'season']);
/** A quantifier before the noun ("what two countries", "what 3 countries"): part of the noun phrase, never its head. */
const isQuantifier = (word: string) => /^\d/.test(word) || NUMBER_WORDS.has(word);

/**
 * A word that cannot be the noun phrase's head or a modifier before it: a function word, a capitalised name, a verb
 * (a past form, "happened", "agreed", but not a one-syllable root like "speed"; an irregular form, "came", "began";
 * a word with an object right after it, "makes the": a noun phrase is not followed by another one's determiner; a
 * negated auxiliary, "didn't"), an adverb in -ly ("previously"), or a preposition.
 */
function endsNounPhrase(ws: WordSpan[], lower: string[], k: number): boolean {
  const w = lower[k];
  return isFunctionWordOrVerb(lower, k) || /^\p{Lu}/u.test(ws[k].word) || (w.length > 4 && /ly$/.test(w)) || /n['’]t$/i.test(ws[k].word);
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
