/**
 * Analysing a question, the first step of its path: its terms as the corpus knows them (typos corrected through
 * FlexSearch, words the corpus lacks marked and later expanded to corpus words of similar meaning), the kind of
 * answer it asks for, and the names it mentions.
 */
import { answerType, answerTypeWords, type AnswerType } from './answer-type';
import { countryTerms } from './demonyms';
import type { QueryTerm, WordVectors } from '../retrieval/query';
import type { SearchIndex } from '../retrieval/search-index';
import { normalizeWord, termOf, words } from '../corpus/text';

export interface Question {
  text: string;
  /** Typed and corrected terms, unexpanded. */
  terms: QueryTerm[];
  /** Question words neither in the corpus nor a typo of a corpus word: worth embedding to find similar corpus words. */
  unknownWords: string[];
  /** The kind of answer asked for. */
  type: AnswerType;
  /** Normalised words of the question, so answer cues skip words the question already names. */
  words: Set<string>;
  /** Terms of the question's capitalised words after the first (the names it asks about). */
  names: string[];
  /** Of its words that have a term (stopwords have none), how many the corpus lacks as written. */
  absentWords: { absent: number; of: number };
}

/**
 * True when (almost) none of the question's words occur in the corpus (two thirds or more absent as written, a
 * typo's correction too): asked in another language than the articles', or about what they never mention. It only
 * words an abstention ('words-absent'); it decides nothing.
 */
export function wordsMostlyAbsent({ absentWords: { absent, of } }: Question): boolean {
  return of > 0 && absent * 3 >= of * 2;
}

/** The weight of a question word that asks for a kind of answer ("how long", "which channel") rather than naming
 *  its topic: the answer seldom repeats it. */
const ASKING_WEIGHT = 0.3;
const HOW_MEASURES = new Set(['long', 'far', 'old', 'often', 'big', 'large', 'tall', 'high', 'soon', 'late', 'early', 'fast', 'wide', 'deep']);
const MAX_UNKNOWN_WORDS = 3;
const EXPANSIONS_PER_WORD = 2;
const EXPANSION_MIN_SIMILARITY = 0.5;
const EXPANSION_WEIGHT = 0.5;

/**
 * Analyses a question against an index's vocabulary.
 * @example analyseQuestion(index, 'How long did Obama and Ptuin meet?').terms // obama, putin (corrected), long (0.3), meet
 */
export function analyseQuestion(index: SearchIndex, text: string): Question {
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  const push = (term: string, weight: number, unknownWord?: string) => {
    if (seen.has(term)) return;
    seen.add(term);
    terms.push({ term, id: index.vocabulary.get(term) ?? -1, weight, ...(unknownWord ? { unknownWord } : {}) });
  };
  const known = (term: string) => index.vocabulary.has(term);
  const ws = words(text);
  const typeWords = answerTypeWords(text);
  let previous = '';
  const absentWords = { absent: 0, of: 0 };
  for (const [i, { word }] of ws.entries()) {
    const term = termOf(word);
    // "How long", "how far": the adjective asks for a measure; "which channel", "what year": the noun asks for a
    // kind of answer. The answer seldom repeats either.
    const asking = (previous === 'how' && HOW_MEASURES.has(normalizeWord(word))) || typeWords.has(i);
    const weight = asking ? ASKING_WEIGHT : 1;
    previous = normalizeWord(word);
    if (!term) continue;
    absentWords.of++;
    if (index.vocabulary.has(term)) {
      push(term, weight);
      continue;
    }
    absentWords.absent++;
    const { how, terms: standIns } = lookUpUnknownWord(index, word);
    if (how === 'unknown') push(term, weight, normalizeWord(word)); // counts against coverage
    else for (const t of standIns) push(t, 0.8 * weight);
  }
  const unknownWords = index.termVectors ? [...new Set(terms.flatMap((t) => (t.unknownWord ? [t.unknownWord] : [])))].slice(0, MAX_UNKNOWN_WORDS) : [];
  const nameOf = (word: string) => {
    const term = termOf(word);
    return term && !known(term) ? (countryTerms(word, known)[0] ?? term) : term;
  };
  const names = ws.slice(1).flatMap((w) => (/^\p{Lu}/u.test(w.word) ? [nameOf(w.word) ?? ''] : [])).filter(Boolean);
  return { text, terms, unknownWords, type: answerType(text), words: new Set(ws.map((w) => normalizeWord(w.word))), names: [...new Set(names)], absentWords };
}

/** What stands in the question's terms for a word whose term the corpus lacks, and by which rule. */
export interface UnknownWordLookup {
  /** `corrected`: a typo of a corpus word; `country`: a demonym, asked as its country; `unknown`: kept as it is. */
  how: 'corrected' | 'country' | 'unknown';
  terms: string[];
}

/**
 * How `analyseQuestion` reads a question word whose term the corpus lacks (bench/trace-misses.ts reads which rule
 * fired through it too): the corpus word it is a typo of, else the country of a demonym ("American" of sources
 * that say "US"), else the word itself, unknown.
 * @example lookUpUnknownWord(index, 'Ptuin') // { how: 'corrected', terms: ['putin'] }
 */
export function lookUpUnknownWord(index: SearchIndex, word: string): UnknownWordLookup {
  const fixes = index.words.correct(word, 1);
  const fixed = fixes.length ? termOf(fixes[0].word) : null;
  if (fixed && index.vocabulary.has(fixed)) return { how: 'corrected', terms: [fixed] };
  const country = countryTerms(word, (t) => index.vocabulary.has(t));
  if (country.length) return { how: 'country', terms: country };
  return { how: 'unknown', terms: [termOf(word) ?? normalizeWord(word)] };
}

/**
 * The terms with, after each unknown word that has an embedding, the corpus terms closest to it in meaning
 * ("truce" → "ceasefire"), at reduced weight.
 */
export function expandTerms(index: SearchIndex, terms: QueryTerm[], unknown: WordVectors): QueryTerm[] {
  if (unknown.size === 0) return terms;
  const out: QueryTerm[] = [];
  const seen = new Set(terms.map((t) => t.term));
  for (const t of terms) {
    out.push(t);
    const vector = t.unknownWord ? unknown.get(t.unknownWord) : undefined;
    if (!vector) continue;
    for (const n of index.nearestTerms(vector, EXPANSIONS_PER_WORD, EXPANSION_MIN_SIMILARITY)) {
      if (seen.has(n.term)) continue;
      seen.add(n.term);
      out.push({ term: n.term, id: n.id, weight: n.similarity * EXPANSION_WEIGHT, expansion: true });
    }
  }
  return out;
}
