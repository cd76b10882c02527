/**
 * Word-level text handling shared by the lexical index and highlighting:
 * finding words with their offsets, and turning a word into an index term.
 */
import { stemmer } from 'stemmer';
import { folded } from '../../folded';

/** A word of a text and where it stands. */
export interface WordSpan {
  word: string;
  start: number;
  end: number;
}

// Letters and digits, keeping inner apostrophes ("didn’t") and inner dots of numbers ("2.5"), and the combining
// marks after a letter: "Zürich" written decomposed ("u" + U+0308) is one word, not "Zu" and "rich".
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:[’']\p{L}[\p{L}\p{M}]*|[.,]\d+)*/gu;

/** The words of a text in lower case, without offsets (cheaper than `words` where offsets are not needed). */
export function lowerCaseWords(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * The words of `text` with their character offsets.
 * @example words('Mr. Obama met') // [{word:'Mr',start:0,end:2}, {word:'Obama',…}, {word:'met',…}]
 */
export function words(text: string): WordSpan[] {
  const out: WordSpan[] = [];
  for (const m of text.matchAll(WORD)) out.push({ word: m[0], start: m.index!, end: m.index! + m[0].length });
  return out;
}

/** Function words that carry no topic; questions are full of them. */
export const STOPWORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by
  can could did do does doing down during each few for from further had has have having he her here hers herself him
  himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other
  our ours ourselves out over own same she should so some such than that the their theirs them themselves then there
  these they this those through to too under until up very was we were what when where which while who whom why will
  with would you your yours yourself yourselves s t d ll m re ve also yet say says said tell told according may might
  must shall upon many much whose whether get got`
    .split(/\s+/)
    .filter(Boolean),
);

// Spelled-out numbers meet their digits ("ninety minutes" ~ "90 minutes"). Maps, not objects: a plain object
// answers "constructor" with Object itself, which became a term that was no string.
const NUMBER_WORDS = new Map(Object.entries({
  zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
  ten: '10', eleven: '11', twelve: '12', thirteen: '13', fourteen: '14', fifteen: '15', sixteen: '16',
  seventeen: '17', eighteen: '18', nineteen: '19', twenty: '20', thirty: '30', forty: '40', fifty: '50',
  sixty: '60', seventy: '70', eighty: '80', ninety: '90', hundred: '100', thousand: '1000',
  first: '1st', second: '2nd', third: '3rd',
}));

// Irregular verb forms and plurals meet their base form ("met" ~ "meet", "women" ~ "woman"), which a suffix stemmer
// cannot do.
const IRREGULAR_VERB_FORMS = `met:meet meets:meet meeting:meet went:go gone:go goes:go took:take taken:take gave:give given:give came:come
  made:make saw:see seen:see knew:know known:know thought:think brought:bring bought:buy caught:catch fought:fight
  taught:teach sought:seek held:hold led:lead lost:lose paid:pay sent:send spent:spend built:build
  began:begin begun:begin broke:break broken:break chose:choose chosen:choose drew:draw drawn:draw drove:drive
  driven:drive ate:eat eaten:eat fell:fall fallen:fall felt:feel flew:fly flown:fly forgot:forget forgotten:forget
  froze:freeze frozen:freeze grew:grow grown:grow hid:hide hidden:hide kept:keep laid:lay
  meant:mean ran:run rose:rise risen:rise sang:sing sung:sing sat:sit slept:sleep spoke:speak spoken:speak
  stood:stand stole:steal stolen:steal struck:strike swore:swear sworn:swear threw:throw thrown:throw
  understood:understand woke:wake won:win wore:wear worn:wear wrote:write written:write fed:feed
  fled:flee found:find heard:hear hung:hang shot:shoot sold:sell told:tell became:become dealt:deal dug:dig`;
const IRREGULAR_PLURALS = 'children:child men:man women:woman people:person mice:mouse feet:foot teeth:tooth geese:goose';
const pairs = (list: string) => list.split(/\s+/).filter(Boolean).map((pair) => pair.split(':') as [string, string]);
const IRREGULAR = new Map([...pairs(IRREGULAR_VERB_FORMS), ...pairs(IRREGULAR_PLURALS)]);
// The list also maps regular -s and -ing forms ("meets", "meeting", "goes"); those are no sign of a verb ("What
// meeting did Obama attend?" names a noun), so the verb check leaves them out.
const irregularVerbForms = new Set(
  pairs(IRREGULAR_VERB_FORMS).map(([form]) => form).filter((form) => !/(s|ing)$/.test(form)),
);

/** Whether a normalised word is an irregular verb form ("came", "began", "won"), which no suffix shows. */
export const isIrregularVerbForm = (word: string): boolean => irregularVerbForms.has(word);

/**
 * A word as the index knows it, on the articles' side and the question's: case folded and accents off (`folded`:
 * "Straße" is "strasse", a PDF's "oﬃce" "office"), possessive and apostrophes dropped. Only a key: quotes and
 * highlights keep the text as written (a word's offsets come from `words`, on the text itself).
 */
export function normalizeWord(word: string): string {
  let key = keyCache.get(word);
  if (key === undefined) {
    const w = folded(word).replace(/'s$/, '').replace(/'/g, '');
    key = w.replace(/,/g, '');
    // Remembered like terms (below): a reload normalises the whole vocabulary again.
    if (keyCache.size > CACHED_WORDS) keyCache.clear();
    keyCache.set(word, key);
  }
  return key;
}

const keyCache = new Map<string, string>();
/** Vocabularies are bounded in practice; the cap keeps a hostile stream of made-up words from growing the caches forever. */
const CACHED_WORDS = 1_000_000;

/**
 * The index term of a word, or null for a stopword: normalised, number words as digits, Porter-stemmed.
 * @example termOf('Negotiations') // 'negoti'
 */
export function termOf(word: string): string | null {
  let term = termCache.get(word);
  if (term === undefined) {
    term = computeTerm(word);
    if (termCache.size > CACHED_WORDS) termCache.clear();
    termCache.set(word, term);
  }
  return term;
}

const termCache = new Map<string, string | null>();

function computeTerm(word: string): string | null {
  const w = normalizeWord(word);
  if (!w || STOPWORDS.has(w)) return null;
  const number = NUMBER_WORDS.get(w);
  if (number) return number;
  if (/^\d/.test(w)) return w;
  return stemmer(IRREGULAR.get(w) ?? w);
}
