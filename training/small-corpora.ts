/**
 * Small corpora for fitting the abstention (issue 6): a server may hold two articles, 33 sentences, where ordinary
 * question words are missing from the vocabulary and the abstention fitted on whole SQuAD articles and news weeks
 * reads a paraphrase as off-topic. From one SQuAD train article, windows of neighbouring paragraphs of about
 * SMALL_MIN..SMALL_MAX sentences around a centre paragraph, and for each window the questions that fit it: the
 * centre's own that share the fewest terms with their answer sentence (answerable: on a small server people ask in
 * their own words, and most of those words are not in its vocabulary), and another article's (not answerable).
 * The same article's questions answered outside the window, whatever their words, were tried and left out: they share few
 * words with the window, read like those paraphrases, and more of seed para's were refused (docs/measurements.md).
 * Those that name something the window lacks and whose other words it holds most of are the near-topic set
 * (`nearQuestions`, not answerable; measured, not shipped: dumped only by `--only small-near`). Deterministic: no
 * randomness, only indexes.
 *
 * @example smallCorpora([5, 6, 4, 7, 5, 6, 5, 4, 6, 5], 0)[0] // { centre: 0, paragraphs: [0, 1, 2, 3, …] }
 */
import { splitSentences } from '../src/engine/corpus/sentences';
import { lowerCaseWords, termOf, words } from '../src/engine/corpus/text';

/** A SQuAD train paragraph as `../shared/train/squad-train.jsonl.gz` stores it. */
export interface SquadParagraph {
  title: string;
  context: string;
  qas: Array<{ question: string; sentence: string }>;
}

/** A window of an article: the paragraph indexes it holds (in order) and the centre whose questions it answers. */
export interface SmallCorpus {
  centre: number;
  paragraphs: number[];
}

/** A question by its place: paragraph index and question index within that paragraph. */
export interface QuestionRef {
  paragraph: number;
  question: number;
}

export const SMALL_MIN = 20;
export const SMALL_MAX = 60;
/** Every SMALL_STEP-th paragraph of an article is a centre (about 9 windows for SQuAD's ~43 paragraphs). */
export const SMALL_STEP = 5;
/** Questions of each kind asked per window. */
export const SMALL_QUESTIONS = 2;

/** Near-topic questions asked per window (`nearQuestions`). */
export const SMALL_NEAR_QUESTIONS = 2;
/** A question whose answer sentence has this share of its terms in one window sentence may be answered there. */
export const NEAR_REPEAT = 0.6;

/** Sentences of a paragraph as the engine splits them (its 3-word minimum aside: a count, near enough). */
export function sentenceCount(text: string): number {
  return splitSentences(text).length;
}

/**
 * Windows of one article, from its paragraphs' sentence counts: each SMALL_STEP-th paragraph from `offset` is a
 * centre, grown by one neighbour at a time (after, then before, alternately) until it reaches a target size that
 * runs over SMALL_MIN..SMALL_MAX with the centre, or a neighbour would take it past SMALL_MAX. An article of fewer
 * than SMALL_MIN sentences gives none.
 */
export function smallCorpora(counts: number[], offset: number): SmallCorpus[] {
  if (counts.reduce((a, b) => a + b, 0) < SMALL_MIN) return [];
  const windows: SmallCorpus[] = [];
  for (let centre = offset % SMALL_STEP; centre < counts.length; centre += SMALL_STEP) {
    const target = SMALL_MIN + ((centre * 13 + offset * 7) % (SMALL_MAX - SMALL_MIN + 1));
    let first = centre;
    let last = centre;
    let size = counts[centre];
    for (let turn = 0; size < target; turn++) {
      const after = turn % 2 === 0 ? last + 1 < counts.length : first === 0;
      const next = after ? last + 1 : first - 1;
      if (next < 0 || next >= counts.length) break; // the whole article
      if (size + counts[next] > SMALL_MAX && size >= SMALL_MIN) break;
      size += counts[next];
      if (after) last = next;
      else first = next;
    }
    if (size < SMALL_MIN) continue;
    windows.push({ centre, paragraphs: Array.from({ length: last - first + 1 }, (_, k) => first + k) });
  }
  return windows;
}

/**
 * The questions asked of a window: up to SMALL_QUESTIONS of its centre, those sharing the fewest terms with their
 * answer sentence (answerable), and as many of `other`, another article (not answerable), spread over it.
 */
export function smallQuestions(article: SquadParagraph[], window: SmallCorpus, other: SquadParagraph[]): { own: QuestionRef[]; other: QuestionRef[] } {
  const own = article[window.centre].qas
    .map((qa, question) => ({ question, shared: sharedTermShare(qa.question, qa.sentence) }))
    .sort((a, b) => a.shared - b.shared || a.question - b.question)
    .slice(0, SMALL_QUESTIONS)
    .map(({ question }) => ({ paragraph: window.centre, question }));
  const asked: QuestionRef[] = [];
  for (let k = 0; k < other.length && asked.length < SMALL_QUESTIONS; k++) {
    const paragraph = (window.centre * 7 + k * Math.max(1, Math.floor(other.length / SMALL_QUESTIONS))) % other.length;
    if (other[paragraph].qas.length > 0 && !asked.some((q) => q.paragraph === paragraph)) asked.push({ paragraph, question: 0 });
  }
  return { own, other: asked };
}

/**
 * Up to `count` questions of the window's own article answered outside it (not answerable) that name something the
 * window lacks (`namesMissing`: another person, place or year) and whose other index terms the window holds the
 * largest share of, at most one per paragraph: "How long did Obama talk with Xi Jinping?" of a window on Obama and
 * Putin. A question whose answer sentence the window nearly repeats (NEAR_REPEAT of its terms in one sentence) is
 * skipped, as its fact may stand in the window too. Without the missing name (the share alone, commit c67c55c) the
 * set taught refusing answerable questions of many shared words (docs/measurements.md, *Near off-topic questions*).
 */
export function nearQuestions(article: SquadParagraph[], window: SmallCorpus, count = SMALL_NEAR_QUESTIONS): QuestionRef[] {
  const sentences = window.paragraphs.flatMap((p) => splitSentences(article[p].context).map(({ start, end }) => indexTerms(article[p].context.slice(start, end))));
  const held = new Set(sentences.flatMap((terms) => [...terms]));
  const repeated = (sentence: string) => {
    const terms = indexTerms(sentence);
    return terms.size > 0 && sentences.some((s) => [...terms].filter((t) => s.has(t)).length >= NEAR_REPEAT * terms.size);
  };
  const best = article.flatMap((p, paragraph) => {
    if (window.paragraphs.includes(paragraph)) return [];
    const scored = p.qas
      .map((qa, question) => ({ paragraph, question, terms: indexTerms(qa.question), sentence: qa.sentence }))
      .filter((q) => q.terms.size > 0 && !repeated(q.sentence) && namesMissing(article[paragraph].qas[q.question].question, held))
      .map((q) => ({ ...q, share: termShare(q.terms, held) }))
      .sort((a, b) => b.share - a.share || a.question - b.question);
    return scored.slice(0, 1);
  });
  return best
    .sort((a, b) => b.share - a.share || a.paragraph - b.paragraph)
    .slice(0, count)
    .map(({ paragraph, question }) => ({ paragraph, question }));
}

/**
 * Whether `question` names something `held` lacks: a capitalised word after its first, or a number, whose term is
 * not held ("How long did Obama talk with Xi Jinping?" of a window on Obama and Putin).
 * @example namesMissing('When did Obama visit Hanoi?', new Set(['obama'])) // true
 */
export function namesMissing(question: string, held: Set<string>): boolean {
  return words(question).some(({ word }, k) => {
    if (!(k > 0 && /^\p{Lu}/u.test(word)) && !/\d/.test(word)) return false;
    const term = termOf(word.toLowerCase());
    return term !== null && !held.has(term);
  });
}

/** The share of `asked` terms that `held` holds (1 for a question of no index term). */
function termShare(asked: Set<string>, held: Set<string>): number {
  return asked.size === 0 ? 1 : [...asked].filter((t) => held.has(t)).length / asked.size;
}

/**
 * The share of a question's index terms (`termOf`: stopwords out, stemmed) that a sentence holds.
 * @example sharedTermShare('When did the war end?', 'The war ended in 1945.') // 1
 */
export function sharedTermShare(question: string, sentence: string): number {
  return termShare(indexTerms(question), indexTerms(sentence));
}

/** A text's index terms (`termOf`: stopwords out, stemmed). */
function indexTerms(text: string): Set<string> {
  return new Set(lowerCaseWords(text).map(termOf).filter((t): t is string => t !== null));
}

/**
 * The article whose questions window `w` of article `a` is asked as not answerable: from `a + 1 + w` on in `titles`,
 * the first that is not `a` and shares no index term with its title. Sorted titles put near topics side by side
 * ("Bird", "Bird migration"; "University", "University of Kansas"), and a near topic's questions are the near-topic
 * set left out above, or even answerable. Throws when every other title shares a term.
 * @example otherArticle(['Bird', 'Bird migration', 'Cubism'], 0, 0) // 2
 */
export function otherArticle(titles: string[], a: number, w: number): number {
  const terms = (title: string) => indexTerms(title.replace(/_/g, ' '));
  const own = terms(titles[a]);
  for (let k = 0; k < titles.length; k++) {
    const other = (a + 1 + w + k) % titles.length;
    if (other !== a && ![...terms(titles[other])].some((t) => own.has(t))) return other;
  }
  throw new Error(`no article unlike '${titles[a]}' to ask its small corpora`);
}

/** A window as an article file: its title line, a blank line, its paragraphs (the layout of the whole-article files). */
export function smallArticleText(article: SquadParagraph[], window: SmallCorpus): string {
  return `${article[0].title.replace(/_/g, ' ')}\n\n${window.paragraphs.map((p) => article[p].context).join('\n\n')}\n`;
}
