/**
 * What the index is searched with: a question's terms as ids of its vocabulary, weighted, and the vectors of the
 * question's words the corpus lacks. Made by the question analysis (question/), read by retrieval and ranking.
 */

/** A question term as used for scoring: corrected terms weigh less than typed ones. */
export interface QueryTerm {
  term: string;
  /** Term id in the index, -1 when the corpus does not have it. */
  id: number;
  weight: number;
  /** A corpus word standing in for a question word the corpus lacks ("channel" → "CNN"), by word-vector similarity. */
  expansion?: boolean;
  /** For a question word the corpus lacks (and that is no typo of a corpus word): the word, normalised. */
  unknownWord?: string;
}

/** Embeddings of question words the corpus lacks, by word. */
export type WordVectors = Map<string, Float32Array>;
