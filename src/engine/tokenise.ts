/**
 * Turning articles into what an index is built from: each sentence's and paragraph's term ids, the vocabulary (each
 * distinct word in its commonest spelling, for FlexSearch and for embedding), and a vector per term.
 */
import type { Article } from './articles';
import { termOf, words, normalizeWord } from './text';
import type { VocabularyWord } from './word-lookup';

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
  sentences: IndexedSentence[];
  vocabulary: Map<string, number>;
  termNames: string[];
  sentenceTerms: Int32Array[];
  paragraphTerms: Int32Array[];
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
  readonly sentences: readonly IndexedSentence[];
  sentenceTermsOf(sentence: number): Int32Array;
  paragraphTermsOf(paragraph: number): Int32Array;
  readonly wordForms: ReadonlyMap<string, number>;
}

/**
 * Tokenises `articles`. With `previous`, the articles it already holds (same objects) are not split into words
 * again: their term ids are renumbered into the new vocabulary, and only new articles' text is read. Term ids
 * are given in order of first occurrence either way, so the result equals a tokenisation from scratch.
 */
export function tokenise(articles: readonly Article[], previous?: PreviousTokens): Tokenised {
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
  const oldArticle = new Map<Article, number>();
  const oldFirst: number[] = [];
  const oldParagraphs: number[] = [];
  previous?.articles.forEach((a, i) => {
    oldArticle.set(a, i);
    const before = previous.articles[i - 1];
    oldFirst.push(i === 0 ? 0 : oldFirst[i - 1] + before.sentences.length);
    oldParagraphs.push(i === 0 ? 0 : oldParagraphs[i - 1] + before.paragraphs.length);
  });
  // New paragraph -> the previous build's same paragraph when its term ids are all unchanged, else -1.
  const sameParagraph = new Int32Array(articles.reduce((n, a) => n + a.paragraphs.length, 0)).fill(-1);
  // Old term id -> new term id, assigned on first sight, as a fresh pass would.
  const renumber = new Int32Array(previous?.termNames.length ?? 0).fill(-1);
  const wordForms = new Map(previous?.wordForms ?? []);
  if (previous) {
    const kept = new Set(articles);
    for (const a of previous.articles) if (!kept.has(a)) countForms(a, wordForms, -1);
  }
  const sentences: IndexedSentence[] = [];
  const sentenceTerms: Int32Array[] = [];
  let paragraphs = 0;
  articles.forEach((article, a) => {
    const old = oldArticle.get(article);
    if (old !== undefined) for (let p = 0; p < article.paragraphs.length; p++) sameParagraph[paragraphs + p] = oldParagraphs[old] + p;
    article.sentences.forEach((s, position) => {
      let ids: Int32Array;
      const paragraph = paragraphs + s.paragraph;
      if (old !== undefined) {
        const before = previous!.sentenceTermsOf(oldFirst[old] + position);
        ids = renumbered(before, renumber, (t) => termId(previous!.termNames[t]));
        if (ids === before) ids = owned(before);
        else sameParagraph[paragraph] = -1;
        // Unchanged sentence records are shared with the previous build (both are immutable).
        const was = previous!.sentences[oldFirst[old] + position];
        if (was.article === a && was.paragraph === paragraph) {
          sentenceTerms.push(ids);
          sentences.push(was);
          return;
        }
      } else {
        const list: number[] = [];
        for (const w of words(article.text.slice(s.start, s.end))) {
          const term = termOf(w.word);
          if (!term) continue;
          list.push(termId(term));
          wordForms.set(w.word, (wordForms.get(w.word) ?? 0) + 1);
        }
        ids = Int32Array.from(list);
      }
      sentenceTerms.push(ids);
      sentences.push({ article: a, start: s.start, end: s.end, paragraph, position });
    });
    paragraphs += article.paragraphs.length;
  });
  const titleTerms = articles.map((a) => new Set(words(a.title).flatMap((w) => {
    const term = termOf(w.word);
    return term ? [termId(term)] : [];
  })));
  return {
    sentences, vocabulary, termNames, sentenceTerms, titleTerms, wordForms,
    paragraphTerms: paragraphTermsOf(sentences, sentenceTerms, sameParagraph, (p) => owned(previous!.paragraphTermsOf(p))),
    ...vocabularyWords(wordForms),
  };
}

/**
 * A previous build's term ids in the new numbering (`renumber`, filled on first sight through `assign`); the
 * same array when no id changed, as for every term first seen before the first change in the folder.
 */
function renumbered(before: Int32Array, renumber: Int32Array, assign: (old: number) => number): Int32Array {
  let out: Int32Array | null = null;
  for (let i = 0; i < before.length; i++) {
    const old = before[i];
    let id = renumber[old];
    if (id < 0) id = renumber[old] = assign(old);
    if (id !== old && !out) out = before.slice();
    if (out) out[i] = id;
  }
  return out ?? before;
}

/** An array to share with the previous build: itself, or a copy when it is a view into a larger buffer (a snapshot
 * file's, which sharing would keep in memory whole). */
function owned(ids: Int32Array): Int32Array {
  return ids.byteLength === ids.buffer.byteLength ? ids : ids.slice();
}

/** Adds (`sign` 1) or takes away (-1) the word forms of an article's sentences. */
function countForms(article: Article, forms: Map<string, number>, sign: 1 | -1): void {
  for (const s of article.sentences) {
    for (const w of words(article.text.slice(s.start, s.end))) {
      if (!termOf(w.word)) continue;
      const n = (forms.get(w.word) ?? 0) + sign;
      if (n > 0) forms.set(w.word, n);
      else forms.delete(w.word);
    }
  }
}

/**
 * Each global paragraph's term ids: its sentences' (consecutive) in order; empty for a paragraph without any.
 * A paragraph with a previous build's equal (`same[p]` ≥ 0) takes that one's array (`previous`).
 */
function paragraphTermsOf(sentences: IndexedSentence[], sentenceTerms: Int32Array[], same: Int32Array, previous: (p: number) => Int32Array): Int32Array[] {
  const count = same.length;
  const lengths = new Uint32Array(count);
  for (let i = 0; i < sentences.length; i++) {
    const p = sentences[i].paragraph;
    if (same[p] < 0) lengths[p] += sentenceTerms[i].length;
  }
  const out = new Array<Int32Array>(count);
  for (let p = 0; p < count; p++) out[p] = same[p] >= 0 ? previous(same[p]) : new Int32Array(lengths[p]);
  const filled = new Uint32Array(count);
  for (let i = 0; i < sentences.length; i++) {
    const p = sentences[i].paragraph;
    if (same[p] >= 0) continue;
    out[p].set(sentenceTerms[i], filled[p]);
    filled[p] += sentenceTerms[i].length;
  }
  return out;
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
function vocabularyWords(surface: ReadonlyMap<string, number>): Pick<Tokenised, 'vocabularyWords' | 'vocabularyKeys'> {
  // Normalising each distinct spelling once (not each occurrence) keeps this cheap on large corpora.
  const byKey = new Map<string, { best: string; bestScore: number; total: number }>();
  for (const [form, n] of surface) {
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
