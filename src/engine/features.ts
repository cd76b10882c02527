/**
 * The ranker's features for the best candidates of a question: the retrieval signals, the answer-type cues, the
 * question–sentence word alignment through the model's word vectors, the paragraph and the position in the article.
 * One row per candidate, in `FEATURE_NAMES` order; the trained ranker (models/…/quotebot.json) names the features
 * it was trained on, and loading checks they are these.
 */
import { ANSWER_TYPES, answerCues, type AnswerType } from './answer-type';
import type { Question, QueryTerm } from './question';
import type { Candidate, Retrieval, SearchIndex } from './search-index';

export const FEATURE_NAMES = [
  'bm25', 'paragraphBm25', 'cosine', 'coverage', 'phrase', 'titleCoverage', 'fused', 'fusedGap', 'fusedRank', 'cosineRank',
  'bm25Raw', 'align', 'alignSoft', 'paragraphCoverage', 'paragraphCosine', 'cosineGap', 'paragraphAlign',
  'missingNames', 'missingIdf',
  ...ANSWER_TYPES.map((t) => `type_${t}`),
  'cuePerson', 'cueDate', 'cueNumber', 'cueDuration', 'cuePlace', 'cueName', 'typeMatch',
  'sentenceTerms', 'position', 'relativePosition', 'paragraphPosition', 'questionTerms', 'logCorpus',
  'unknownShare', 'statement',
] as const;
export const FEATURE_COUNT = FEATURE_NAMES.length;

/** A candidate with the linear fusion score it was shortlisted by. */
export interface Shortlisted extends Candidate {
  fused: number;
}

const CUE_CAP = 4;

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
  const totalWeight = asked.reduce((s, t) => s + weightOf(t), 0);
  const unknownShare = totalWeight > 0 ? asked.reduce((s, t) => s + (t.id < 0 ? weightOf(t) : 0), 0) / totalWeight : 0;
  const align = aligner(index, retrieval, asked, weightOf, totalWeight);
  const bestFused = shortlist[0].fused;
  const cosineOrder = shortlist.map((c) => c.cosine).sort((a, b) => b - a);
  const maxCosine = cosineOrder[0];
  const typeIndex = ANSWER_TYPES.indexOf(question.type);
  const paragraphCosine = new Map<number, number>();
  const paragraphAlign = new Map<number, number>();
  const nameIds = question.names.map((t) => index.vocabulary.get(t) ?? -1);
  const maxIdf = asked.reduce((m, t) => Math.max(m, weightOf(t)), 0);
  shortlist.forEach((c, row) => {
    const s = index.sentence(c.sentence);
    const text = index.text(c.sentence);
    const cues = answerCues(text, question.words);
    const cueCounts = [cues.person, cues.date, cues.number, cues.duration, cues.place, cues.name].map((x) => Math.min(CUE_CAP, x.length));
    const typeMatch = typeIndex <= 0 ? 0 : Math.min(CUE_CAP, typeSpans(question.type, cueCounts));
    let paragraphMax = paragraphCosine.get(s.paragraph);
    if (paragraphMax === undefined) {
      paragraphMax = 0;
      if (cosine) for (const p of index.paragraphSentences(s.paragraph)) paragraphMax = Math.max(paragraphMax, cosine(p));
      paragraphCosine.set(s.paragraph, paragraphMax);
    }
    const [hard, soft] = align.sentence(index.sentenceTermsOf(c.sentence));
    const paragraphTerms = index.paragraphTermsOf(s.paragraph);
    let paragraphHard = paragraphAlign.get(s.paragraph);
    if (paragraphHard === undefined) {
      paragraphHard = align.sentence(paragraphTerms)[0];
      paragraphAlign.set(s.paragraph, paragraphHard);
    }
    // What the paragraph lacks of the question: its names, and its rarest word (chance matches miss these).
    const missingNames = nameIds.filter((id) => id < 0 || !paragraphTerms.includes(id)).length;
    let missing = 0;
    for (const t of asked) if (t.id < 0 || !paragraphTerms.includes(t.id)) missing = Math.max(missing, weightOf(t));
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
      align.covered(paragraphTerms),
      paragraphMax,
      maxCosine - c.cosine,
      paragraphHard,
      Math.min(3, missingNames),
      maxIdf > 0 ? missing / maxIdf : 0,
      ...ANSWER_TYPES.map((_, i) => (i === typeIndex ? 1 : 0)),
      ...cueCounts,
      typeMatch,
      index.sentenceTermsOf(c.sentence).length,
      s.position,
      index.sentencesIn(s.article) > 1 ? s.position / (index.sentencesIn(s.article) - 1) : 0,
      index.positionInParagraph(c.sentence),
      asked.length,
      Math.log10(Math.max(1, corpusSize)),
      unknownShare,
      /\?\s*$/.test(question.text) ? 0 : 1,
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

/**
 * Word alignment: for each question word, its best match among a sentence's words — 1 for the same term, else the
 * cosine of their word vectors — averaged with IDF weights (`hard`), and the same over the words without an exact
 * match only (`soft`: meaning beyond shared words).
 */
function aligner(index: SearchIndex, retrieval: Retrieval, asked: QueryTerm[], weightOf: (t: QueryTerm) => number, total: number) {
  const { termVectors } = index;
  const dim = index.dim;
  const vectors: Array<Float32Array | null> = asked.map((t) => {
    if (t.id >= 0) return termVectors ? termVectors.subarray(t.id * dim, (t.id + 1) * dim) : null;
    return t.unknownWord ? (retrieval.unknown.get(t.unknownWord) ?? null) : null;
  });
  const weights = asked.map(weightOf);
  const n = asked.length;
  const askedIds = Int32Array.from(asked, (t) => t.id);
  // Term id -> its match with each question word: 1 for the same term, else the cosine (at least 0).
  const similarities = new Map<number, Float32Array>();
  const similarityRow = (id: number): Float32Array => {
    let row = similarities.get(id);
    if (row) return row;
    row = new Float32Array(n);
    const o = id * dim;
    for (let q = 0; q < n; q++) {
      if (askedIds[q] === id) {
        row[q] = 1;
        continue;
      }
      const v = vectors[q];
      if (!v || !termVectors) continue;
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += termVectors[o + j] * v[j];
      row[q] = Math.max(0, dot);
    }
    similarities.set(id, row);
    return row;
  };
  return {
    sentence(ids: Int32Array): [number, number] {
      if (total <= 0) return [0, 0];
      const best = new Float32Array(n);
      for (let i = 0; i < ids.length; i++) {
        const row = similarityRow(ids[i]);
        for (let q = 0; q < n; q++) if (row[q] > best[q]) best[q] = row[q];
      }
      let hard = 0;
      let soft = 0;
      let softWeight = 0;
      for (let q = 0; q < n; q++) {
        hard += weights[q] * best[q];
        if (best[q] < 1) {
          soft += weights[q] * best[q];
          softWeight += weights[q];
        }
      }
      return [hard / total, softWeight > 0 ? soft / softWeight : 1];
    },
    /** Share of the question's IDF mass whose terms stand in `ids` (a paragraph). */
    covered(ids: Int32Array): number {
      if (total <= 0) return 0;
      const set = new Set(ids);
      let sum = 0;
      asked.forEach((t, q) => {
        if (t.id >= 0 && set.has(t.id)) sum += weights[q];
      });
      return sum / total;
    },
  };
}
