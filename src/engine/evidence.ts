/**
 * Whether the question's specific content exists in the corpus at all, whatever the candidates: its rarest words,
 * names and numbers, and whether any one paragraph holds them together. A question about an event the sources do
 * not cover shares common words with many paragraphs but its rare ones with none, or each with a different one.
 * Computed once per question from the paragraph postings; the abstention model weighs these signals by name.
 */
import type { Question } from './question';
import type { SearchIndex } from './search-index';
import { termOf, words } from './text';

export const EVIDENCE_NAMES = [
  'corpusCoverage', 'corpusMatch', 'anchorContext', 'nameContext', 'rareTogether', 'rarePair', 'namesAbsent', 'namesTogether', 'numbersAbsent', 'rarestPresentIdf',
] as const;
export type EvidenceName = (typeof EVIDENCE_NAMES)[number];

/** How many of the question's rarest terms `rareTogether` looks for in one paragraph. */
const RARE = 3;
/** Names beyond this many are not looked for together (bits of a mask). */
const MAX_NAMES = 8;
const COUNT_CAP = 3;

/**
 * The question's corpus evidence, in `EVIDENCE_NAMES` order:
 * - `corpusCoverage`: the largest share of the question's IDF mass that one paragraph holds (over all paragraphs);
 * - `corpusMatch`: that largest IDF mass itself (how unlikely such a match is by chance, before corpus size);
 * - `anchorContext`: among the paragraphs holding its rarest term the corpus has, the largest share of the rest of
 *   its IDF mass one of them holds (the name is there, but is what the question says of it?);
 * - `nameContext`: among the paragraphs holding one of its names, the largest share of its other words' IDF mass
 *   (1 without names: nothing to tell apart);
 * - `rareTogether`: the most of its 3 rarest terms (a word the corpus lacks is rarest) standing in one paragraph, as a share;
 * - `rarePair`: 1 when its two rarest terms stand in one paragraph (its only term is in the corpus), else 0;
 * - `namesAbsent`: how many of its names (capitalised words after the first) the corpus lacks (at most 3);
 * - `namesTogether`: the largest share of its names standing in one paragraph (1 without names);
 * - `numbersAbsent`: how many of its numbers and years the corpus lacks (at most 3);
 * - `rarestPresentIdf`: the IDF of its rarest term the corpus has, over the IDF of a term it lacks (0..1).
 * @example corpusEvidence(index, analyseQuestion(index, 'Who won the 2021 Tour de France?'))[EVIDENCE_NAMES.indexOf('numbersAbsent')] // 1 when no article says 2021
 */
export function corpusEvidence(index: SearchIndex, question: Question): Float32Array {
  const out = new Float32Array(EVIDENCE_NAMES.length);
  const terms = question.terms.filter((t) => !t.expansion);
  const unseen = index.idf(-1);
  const idfOf = (id: number) => (id >= 0 ? index.idf(id) : unseen);
  const total = terms.reduce((s, t) => s + idfOf(t.id) * t.weight, 0);
  // Rarest first; ties by term so the choice does not depend on word order.
  const rare = [...terms].sort((a, b) => idfOf(b.id) - idfOf(a.id) || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0)).slice(0, RARE);
  const nameIds = question.names.slice(0, MAX_NAMES).map((n) => index.vocabulary.get(n) ?? -1);

  // Per known term id: its IDF mass and its bits (rare terms in bits 0..2, names from bit 3).
  const byId = new Map<number, { mass: number; bits: number; anchor: boolean; other: number }>();
  const entry = (id: number) => byId.get(id) ?? byId.set(id, { mass: 0, bits: 0, anchor: false, other: 0 }).get(id)!;
  for (const t of terms) if (t.id >= 0) entry(t.id).mass += idfOf(t.id) * t.weight;
  rare.forEach((t, k) => t.id >= 0 && (entry(t.id).bits |= 1 << k));
  nameIds.forEach((id, k) => id >= 0 && (entry(id).bits |= 1 << (RARE + k)));
  const nameSet = new Set(nameIds);
  let otherTotal = 0;
  for (const t of terms) if (!nameSet.has(t.id) || t.id < 0) otherTotal += idfOf(t.id) * t.weight;
  for (const [id, e] of byId) if (!nameSet.has(id)) e.other = e.mass;
  let anchorId = -1;
  for (const t of terms) if (t.id >= 0 && (anchorId < 0 || idfOf(t.id) > idfOf(anchorId))) anchorId = t.id;
  if (anchorId >= 0) entry(anchorId).anchor = true;

  const mass = new Map<number, number>();
  const other = new Map<number, number>();
  const bits = new Map<number, number>();
  const anchored = new Set<number>();
  for (const [id, e] of byId) {
    for (const p of index.paragraphsWith(id)) {
      if (e.mass) mass.set(p, (mass.get(p) ?? 0) + e.mass);
      if (e.other) other.set(p, (other.get(p) ?? 0) + e.other);
      if (e.bits) bits.set(p, (bits.get(p) ?? 0) | e.bits);
      if (e.anchor) anchored.add(p);
    }
  }
  let bestMass = 0;
  for (const m of mass.values()) bestMass = Math.max(bestMass, m);
  const anchorMass = anchorId >= 0 ? byId.get(anchorId)!.mass : 0;
  let anchorContext = 0;
  if (total - anchorMass > 0) for (const p of anchored) anchorContext = Math.max(anchorContext, (mass.get(p)! - anchorMass) / (total - anchorMass));
  let nameContext = nameIds.length ? 0 : 1;
  if (nameIds.length && otherTotal > 0) for (const [p, b] of bits) if (b >> RARE) nameContext = Math.max(nameContext, (other.get(p) ?? 0) / otherTotal);
  const rareMask = (1 << rare.length) - 1;
  const pairMask = rare.length >= 2 ? 3 : rareMask;
  let bestRare = 0;
  let bestNames = 0;
  let pair = 0;
  for (const b of bits.values()) {
    bestRare = Math.max(bestRare, popCount(b & rareMask));
    bestNames = Math.max(bestNames, popCount(b >> RARE));
    if (pairMask && (b & pairMask) === pairMask) pair = 1;
  }
  const numbers = new Set(words(question.text).flatMap(({ word }) => (/^\d/.test(word) ? [termOf(word) ?? ''] : [])).filter(Boolean));
  let rarestPresent = 0;
  for (const t of terms) if (t.id >= 0) rarestPresent = Math.max(rarestPresent, idfOf(t.id));
  out.set([
    total > 0 ? Math.min(1, bestMass / total) : 0,
    bestMass,
    Math.min(1, anchorContext),
    Math.min(1, nameContext),
    rare.length ? bestRare / rare.length : 0,
    pair,
    Math.min(COUNT_CAP, nameIds.filter((id) => id < 0).length),
    nameIds.length ? bestNames / nameIds.length : 1,
    Math.min(COUNT_CAP, [...numbers].filter((n) => !index.vocabulary.has(n)).length),
    unseen > 0 ? rarestPresent / unseen : 0,
  ]);
  return out;
}

function popCount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}
