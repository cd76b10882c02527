/**
 * Turning articles into what an index is built from: each sentence's and paragraph's term ids, the vocabulary (each
 * distinct word in its commonest spelling, for FlexSearch and for embedding), and a vector per term.
 */
import type { Article } from '../corpus/articles';
import { termOf, words, normalizeWord } from '../corpus/text';
import { tablesOf, type ParagraphTable, type SentenceTable, type TermLists } from './sentence-table';
import type { VocabularyWord } from './word-lookup';
import { runAtOnce, YIELD_EVERY, type Sliced } from '../slices';

export interface IndexedSentence {
  article: number;
  start: number;
  end: number;
  /** Global paragraph number (across articles). */
  paragraph: number;
  /** Position of the sentence within its article's sentence list. */
  position: number;
}

/** The articles tokenised into term ids: what an index is built from, before any embedding. */
export interface Tokenised {
  sentences: SentenceTable;
  paragraphs: ParagraphTable;
  vocabulary: Map<string, number>;
  termNames: string[];
  /** Term ids of each sentence, and of each global paragraph (its sentences' in order: the same flat array). */
  sentenceTerms: TermLists;
  paragraphTerms: TermLists;
  titleTerms: Set<number>[];
  /** Every word as written (that has a term) with its occurrences: where the vocabulary's spellings come from. */
  wordForms: Map<string, number>;
  /** Each distinct word, in its commonest spelling, with its count: the FlexSearch vocabulary. */
  vocabularyWords: VocabularyWord[];
  /** Each vocabulary word normalised (`normalizeWord`): what FlexSearch indexes. */
  vocabularyKeys: string[];
}

/** What a reload reuses of the previous build's tokenisation (a `SearchIndex` is one). */
export interface PreviousTokens {
  /** The previous build's articles; an article reused unchanged is the very same object in the new list. */
  readonly articles: readonly Article[];
  readonly termNames: readonly string[];
  readonly parts: { readonly sentences: SentenceTable; readonly paragraphs: ParagraphTable; readonly sentenceTerms: TermLists };
  readonly wordForms: ReadonlyMap<string, number>;
}

/**
 * Tokenises `articles`. With `previous`, the articles it already holds (same objects) are not split into words
 * again: their rows are copied and their term ids renumbered into the new vocabulary; only new articles' text is
 * read. Term ids are given in order of first occurrence either way, so the result equals a tokenisation from scratch.
 */
export function tokenise(articles: readonly Article[], previous?: PreviousTokens): Tokenised {
  return runAtOnce(tokenising(articles, previous));
}

/** `tokenise` as sliced work (for `runInSlices`): it yields every `YIELD_EVERY` new sentences and after each article. */
export function* tokenising(articles: readonly Article[], previous?: PreviousTokens): Sliced<Tokenised> {
  const vocabulary = new Map<string, number>();
  const termNames: string[] = [];
  const termId = (term: string): number => {
    let id = vocabulary.get(term);
    if (id === undefined) {
      id = termNames.length;
      vocabulary.set(term, id);
      termNames.push(term);
    }
    return id;
  };
  const oldArticle = new Map(previous?.articles.map((a, i) => [a, i]));
  const { sentences, paragraphs } = tablesOf(articles, previous && { articles: previous.articles, ...previous.parts });
  // Old term id -> new term id, assigned on first sight, as a fresh pass would.
  const renumber = new Int32Array(previous?.termNames.length ?? 0).fill(-1);
  const wordForms = new Map(previous?.wordForms ?? []);
  if (previous) {
    const kept = new Set(articles);
    for (const a of previous.articles) if (!kept.has(a)) yield* countForms(a, wordForms, -1);
  }
  const ends = new Uint32Array(sentences.article.length);
  // Reused articles' runs are known; new sentences are guessed at 8 terms (grown when short), so a reload's array
  // is about its final size: growing it would copy it, and cutting it to size copy it again.
  let reused = 0;
  let fresh = 0;
  articles.forEach((article, a) => {
    const old = oldArticle.get(article);
    if (old === undefined) fresh += sentences.articleFirst[a + 1] - sentences.articleFirst[a];
    else reused += runOf(previous!.parts, old).length;
  });
  let flat = new Int32Array(Math.max(1024, reused + 8 * fresh));
  let length = 0;
  const reserve = (more: number) => {
    if (length + more <= flat.length) return;
    const grown = new Int32Array(Math.max(2 * flat.length, length + more));
    grown.set(flat.subarray(0, length));
    flat = grown;
  };
  for (let a = 0; a < articles.length; a++) {
    const article = articles[a];
    const old = oldArticle.get(article);
    const [first, last] = [sentences.articleFirst[a], sentences.articleFirst[a + 1]];
    yield;
    if (old !== undefined) {
      // The article's lists are one run of the previous flat array: renumbered in one loop, their ends shifted.
      const from = previous!.parts.sentenceTerms;
      const oldFirst = previous!.parts.sentences.articleFirst[old];
      const { start, stop } = runOf(previous!.parts, old);
      reserve(stop - start);
      const [into, source, shift] = [flat, from.flat, length - start];
      for (let i = start; i < stop; i++) {
        const t = source[i];
        let id = renumber[t];
        if (id < 0) id = renumber[t] = termId(previous!.termNames[t]);
        into[length++] = id;
      }
      for (let s = first; s < last; s++) ends[s] = from.ends[oldFirst + s - first] + shift;
      continue;
    }
    for (let s = first; s < last; s++) {
      for (const w of words(article.text.slice(sentences.start[s], sentences.end[s]))) {
        const term = termOf(w.word);
        if (!term) continue;
        reserve(1);
        flat[length++] = termId(term);
        wordForms.set(w.word, (wordForms.get(w.word) ?? 0) + 1);
      }
      ends[s] = length;
      if (s % YIELD_EVERY === 0) yield;
    }
  }
  const titleTerms = articles.map((a) => new Set(words(a.title).flatMap((w) => {
    const term = termOf(w.word);
    return term ? [termId(term)] : [];
  })));
  // A little slack is kept rather than copying the whole array to cut it.
  const sentenceTerms = { flat: flat.length - length <= flat.length / 32 ? flat.subarray(0, length) : flat.slice(0, length), ends };
  return {
    sentences, paragraphs, vocabulary, termNames, sentenceTerms, titleTerms, wordForms,
    paragraphTerms: { flat: sentenceTerms.flat, ends: paragraphEnds(sentences.paragraph, ends, paragraphs.spans.length / 2) },
    ...(yield* vocabularyWords(wordForms)),
  };
}

/** Where an article's term lists lie in a build's flat array (one run: its sentences are consecutive). */
function runOf(parts: PreviousTokens['parts'], article: number): { start: number; stop: number; length: number } {
  const { articleFirst } = parts.sentences;
  const [first, last] = [articleFirst[article], articleFirst[article + 1]];
  const { ends } = parts.sentenceTerms;
  const start = first === 0 ? 0 : ends[first - 1];
  const stop = last === first ? start : ends[last - 1];
  return { start, stop, length: stop - start };
}

/**
 * Where each global paragraph's term list ends in the sentences' flat array: a paragraph's terms are its
 * sentences' (consecutive, in order), so the two share one array; a paragraph without sentences is empty.
 */
function paragraphEnds(paragraphOf: Int32Array, sentenceEnds: Uint32Array, count: number): Uint32Array {
  const out = new Uint32Array(count);
  for (let p = 0, s = 0; p < count; p++) {
    while (s < paragraphOf.length && paragraphOf[s] === p) s++;
    out[p] = s > 0 ? sentenceEnds[s - 1] : 0;
  }
  return out;
}

/** Adds (`sign` 1) or takes away (-1) the word forms of an article's sentences. */
function* countForms(article: Article, forms: Map<string, number>, sign: 1 | -1): Sliced<void> {
  for (const [i, s] of article.sentences.entries()) {
    if (i % YIELD_EVERY === 0) yield;
    for (const w of words(article.text.slice(s.start, s.end))) {
      if (!termOf(w.word)) continue;
      const n = (forms.get(w.word) ?? 0) + sign;
      if (n > 0) forms.set(w.word, n);
      else forms.delete(w.word);
    }
  }
}

/**
 * The word whose vector stands for each term: its commonest spelling ("meeting" for meet/met/meetings; ties to
 * the word that sorts first), as an index into `words`; -1 for a term no counted word has (title-only terms).
 */
export function termWordsOf(vocabulary: ReadonlyMap<string, number>, words: readonly VocabularyWord[]): Int32Array {
  const best = new Int32Array(vocabulary.size).fill(-1);
  words.forEach((w, i) => {
    const term = termOf(w.word);
    const id = term === null ? undefined : vocabulary.get(term);
    if (id === undefined || w.count === 0) return;
    const b = best[id];
    if (b < 0 || w.count > words[b].count || (w.count === words[b].count && w.word < words[b].word)) best[id] = i;
  });
  return best;
}

/**
 * Each normalised word once, spelt the way the articles spell it most, with its total count. A function of the
 * counts alone (ties go to the spelling that sorts first), not of the order files were read in: a reload that
 * updated the counts gets what a fresh build gets.
 */
function* vocabularyWords(surface: ReadonlyMap<string, number>): Sliced<Pick<Tokenised, 'vocabularyWords' | 'vocabularyKeys'>> {
  // Normalising each distinct spelling once (not each occurrence) keeps this cheap on large corpora.
  const byKey = new Map<string, { best: string; bestScore: number; total: number }>();
  let i = 0;
  for (const [form, n] of surface) {
    if (i++ % YIELD_EVERY === 0) yield;
    const key = normalizeWord(form);
    if (!key) continue;
    // Prefer the lower-case spelling when it is common: "meeting", not the sentence-initial "Meeting".
    const score = n + (form === form.toLowerCase() ? 0.5 : 0);
    const entry = byKey.get(key);
    if (!entry) byKey.set(key, { best: form, bestScore: score, total: n });
    else {
      entry.total += n;
      if (score > entry.bestScore || (score === entry.bestScore && form < entry.best)) [entry.best, entry.bestScore] = [form, score];
    }
  }
  return { vocabularyWords: [...byKey.values()].map((e) => ({ word: e.best, count: e.total })), vocabularyKeys: [...byKey.keys()] };
}
