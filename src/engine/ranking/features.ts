/**
 * The ranker's features for the best candidates of a question: the retrieval signals, the answer-type cues, the
 * question–sentence word alignment through the model's word vectors, the paragraph, the sentence before it in its
 * paragraph and the position in the article.
 * One row per candidate, in `FEATURE_NAMES` order; the trained ranker (models/…/quotebot.json) names the features
 * it was trained on, and loading checks they are these.
 */
import { QuestionAlignment } from './alignment';
import { cueCounts } from '../question/answer-cues';
import { ANSWER_TYPES, type AnswerType } from '../question/answer-type';
import type { Question } from '../question/question';
import type { QueryTerm } from '../retrieval/query';
import type { Candidate, Retrieval, SearchIndex } from '../retrieval/search-index';

export const FEATURE_NAMES = [
  'bm25', 'paragraphBm25', 'cosine', 'coverage', 'phrase', 'titleCoverage', 'fused', 'fusedGap', 'fusedRank', 'cosineRank',
  'bm25Raw', 'align', 'alignSoft', 'paragraphCoverage', 'paragraphCosine', 'cosineGap', 'paragraphAlign',
  'missingNames', 'missingIdf',
  ...ANSWER_TYPES.map((t) => `type_${t}`),
  'cuePerson', 'cueDate', 'cueNumber', 'cueDuration', 'cuePlace', 'cueName', 'typeMatch',
  'sentenceTerms', 'position', 'relativePosition', 'paragraphPosition', 'questionTerms', 'logCorpus',
  'unknownShare', 'statement', 'windowCoverage',
] as const;
export const FEATURE_COUNT = FEATURE_NAMES.length;

/** A candidate with the linear fusion score it was shortlisted by. */
export interface Shortlisted extends Candidate {
  fused: number;
}

const CUE_CAP = 4;

/** What a candidate's row takes from its paragraph, computed once per paragraph of a question's shortlist. */
interface ParagraphSignals {
  /** The best cosine of the paragraph's sentences. */
  cosine: number;
  /** The paragraph's word alignment (`QuestionAlignment.align`, hard). */
  align: number;
  /** Share of the question's IDF mass the paragraph holds. */
  coverage: number;
  /** The question's names the paragraph lacks, and the weight of its rarest word the paragraph lacks. */
  missingNames: number;
  missingIdf: number;
}

/**
 * One feature row per shortlisted candidate (best fused first), `FEATURE_COUNT` values each.
 * @param shortlist candidates sorted by fused score, best first
 */
export function candidateFeatures(index: SearchIndex, retrieval: Retrieval, question: Question, shortlist: Shortlisted[]): Float32Array {
  const out = new Float32Array(shortlist.length * FEATURE_COUNT);
  if (shortlist.length === 0) return out;
  const { maxBm25, maxParagraphBm25, corpusSize, cosine } = retrieval;
  const asked = retrieval.terms.filter((t) => !t.expansion);
  const weightOf = (t: QueryTerm) => (t.id >= 0 ? index.idf(t.id) : index.idf(-1)) * t.weight;
  const weights = asked.map(weightOf);
  const totalWeight = weights.reduce((s, w) => s + w, 0);
  const unknownShare = totalWeight > 0 ? asked.reduce((s, t, q) => s + (t.id < 0 ? weights[q] : 0), 0) / totalWeight : 0;
  const alignment = new QuestionAlignment(asked, weights, totalWeight, index.termVectors, index.dim, retrieval.unknown);
  const bestFused = shortlist[0].fused;
  const cosineOrder = shortlist.map((c) => c.cosine).sort((a, b) => b - a);
  const maxCosine = cosineOrder[0];
  const typeIndex = ANSWER_TYPES.indexOf(question.type);
  const typeOneHot = ANSWER_TYPES.map((_, i) => (i === typeIndex ? 1 : 0));
  const statement = /\?\s*$/.test(question.text) ? 0 : 1;
  const nameIds = question.names.map((t) => index.vocabulary.get(t) ?? -1);
  const maxIdf = weights.reduce((m, w) => Math.max(m, w), 0);
  const paragraphs = new Map<number, ParagraphSignals>();
  const paragraphSignals = (paragraph: number): ParagraphSignals => {
    let signals = paragraphs.get(paragraph);
    if (signals) return signals;
    let best = 0;
    if (cosine) for (const p of index.paragraphSentences(paragraph)) best = Math.max(best, cosine(p));
    const terms = index.paragraphTermsOf(paragraph);
    const held = new Set(terms);
    // What the paragraph lacks of the question: its names, and its rarest word (chance matches miss these).
    let missingIdf = 0;
    asked.forEach((t, q) => {
      if (t.id < 0 || !held.has(t.id)) missingIdf = Math.max(missingIdf, weights[q]);
    });
    signals = {
      cosine: best,
      align: alignment.align(terms)[0],
      coverage: alignment.covered(held),
      missingNames: nameIds.filter((id) => id < 0 || !held.has(id)).length,
      missingIdf,
    };
    paragraphs.set(paragraph, signals);
    return signals;
  };
  shortlist.forEach((c, row) => {
    const s = index.sentence(c.sentence);
    const cues = cueCounts(index.text(c.sentence), question.words).map((x) => Math.min(CUE_CAP, x));
    const typeMatch = typeIndex <= 0 ? 0 : Math.min(CUE_CAP, typeSpans(question.type, cues));
    const terms = index.sentenceTermsOf(c.sentence);
    const [hard, soft] = alignment.align(terms);
    const paragraph = paragraphSignals(s.paragraph);
    // Questions are often written from the sentence before the answer: the question's share held by that sentence and
    // this one together tells the sentences of one paragraph apart where the paragraph's own signals cannot.
    const previous = index.positionInParagraph(c.sentence) > 0 ? index.sentenceTermsOf(c.sentence - 1) : null;
    const values = [
      maxBm25 > 0 ? c.bm25 / maxBm25 : 0,
      maxParagraphBm25 > 0 ? c.paragraphBm25 / maxParagraphBm25 : 0,
      c.cosine,
      c.coverage,
      c.phrase,
      c.titleCoverage,
      c.fused,
      bestFused - c.fused,
      row,
      cosineOrder.indexOf(c.cosine),
      c.bm25,
      hard,
      soft,
      paragraph.coverage,
      paragraph.cosine,
      maxCosine - c.cosine,
      paragraph.align,
      Math.min(3, paragraph.missingNames),
      maxIdf > 0 ? paragraph.missingIdf / maxIdf : 0,
      ...typeOneHot,
      ...cues,
      typeMatch,
      terms.length,
      s.position,
      index.sentencesIn(s.article) > 1 ? s.position / (index.sentencesIn(s.article) - 1) : 0,
      index.positionInParagraph(c.sentence),
      asked.length,
      Math.log10(Math.max(1, corpusSize)),
      unknownShare,
      statement,
      alignment.covered(new Set(previous ? [...previous, ...terms] : terms)),
    ];
    out.set(values, row * FEATURE_COUNT);
  });
  return out;
}

function typeSpans(type: AnswerType, counts: number[]): number {
  const [person, date, number, duration, place, name] = counts;
  switch (type) {
    case 'person':
      return person || name;
    case 'date':
      return date;
    case 'number':
      return number || duration;
    case 'duration':
      return duration;
    case 'place':
      return place || name;
    case 'name':
      return name;
    default:
      return 0;
  }
}
