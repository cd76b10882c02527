/**
 * The scoring convention of `../shared/eval/README`: when a returned quote "hits" a question's gold answer,
 * and the summary figures (R@k, MRR@5, abstentions) over a question set.
 */

/** One evaluation question, in the formats of `../shared/eval/`. */
export interface EvalQuestion {
  question: string;
  /** Gold sentences (rows with `file`) or gold substrings (rows without); empty when the sources do not answer. */
  gold: string[];
  /** For SQuAD rows: the file the gold sentence comes from, relative to the data folder. */
  file?: string;
  kind?: string;
}

/** What the evaluation needs of one returned quote. */
export interface ReturnedQuote {
  quote: string;
  file: string;
}

function wordsOf(s: string): string[] {
  return s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function normaliseForSubstring(s: string): string {
  return s.replace(/[“”„‟″]/g, '"').replace(/[‘’‚‛′]/g, "'").replace(/\s+/g, ' ').trim();
}

/**
 * Whether `quote` hits one of the question's gold answers.
 * - With `file` (SQuAD, news): the quote comes from that file and either lies inside a gold passage (at least 20
 *   characters; the news convention) or covers at least 60% of a gold sentence's words (case and punctuation
 *   ignored) with at most twice as many words plus 10.
 * - Without (seed set): one gold substring lies inside the quote (curly and straight quotes alike, white space collapsed).
 * @example isHit({ question: 'q', gold: ['met for 90 minutes'] }, { quote: 'Obama and Putin met for 90 minutes.', file: 'a.txt' }) // true
 */
export function isHit(q: EvalQuestion, r: ReturnedQuote): boolean {
  if (q.file !== undefined) {
    if (r.file !== q.file) return false;
    // News rows: the gold is an evidence passage, and any quote lying inside it (at least 20 characters) hits.
    const inside = normaliseForSubstring(r.quote);
    if (inside.length >= 20 && q.gold.some((g) => normaliseForSubstring(g).includes(inside))) return true;
    const quoteWords = wordsOf(r.quote);
    const bag = new Map<string, number>();
    for (const w of quoteWords) bag.set(w, (bag.get(w) ?? 0) + 1);
    return q.gold.some((g) => {
      const goldWords = wordsOf(g);
      if (goldWords.length === 0 || quoteWords.length > 2 * goldWords.length + 10) return false;
      const left = new Map(bag);
      let covered = 0;
      for (const w of goldWords) {
        const n = left.get(w) ?? 0;
        if (n > 0) {
          covered++;
          left.set(w, n - 1);
        }
      }
      return covered / goldWords.length >= 0.6;
    });
  }
  const quote = normaliseForSubstring(r.quote);
  return q.gold.some((g) => quote.includes(normaliseForSubstring(g)));
}

export interface EvalSummary {
  questions: number;
  answerable: number;
  unanswerable: number;
  recallAt1: number;
  recallAt3: number;
  mrrAt5: number;
  /** Answerable questions the engine abstained on. */
  abstainedAnswerable: number;
  /** Unanswerable questions the engine (rightly) abstained on. */
  abstainedUnanswerable: number;
  /** Returned quotes that are not exact substrings of their source file. */
  notVerbatim: number;
}

/** Per-question outcome fed to `summarise`. */
export interface EvalOutcome {
  question: EvalQuestion;
  abstained: boolean;
  /** 1-based rank of the first hit within the first 5 quotes, or null. */
  firstHit: number | null;
  notVerbatim: number;
}

/** Ranks the quotes of one answer against the question's gold. */
export function outcome(q: EvalQuestion, abstained: boolean, quotes: ReturnedQuote[], notVerbatim = 0): EvalOutcome {
  const i = quotes.slice(0, 5).findIndex((r) => isHit(q, r));
  return { question: q, abstained, firstHit: i === -1 ? null : i + 1, notVerbatim };
}

/** R@1, R@3 and MRR@5 over answerable questions; abstention counts on both kinds. */
export function summarise(outcomes: EvalOutcome[]): EvalSummary {
  const answerable = outcomes.filter((o) => o.question.gold.length > 0);
  const unanswerable = outcomes.filter((o) => o.question.gold.length === 0);
  const share = (n: number) => (answerable.length ? n / answerable.length : 0);
  return {
    questions: outcomes.length,
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    recallAt1: share(answerable.filter((o) => o.firstHit === 1).length),
    recallAt3: share(answerable.filter((o) => o.firstHit !== null && o.firstHit <= 3).length),
    mrrAt5: share(answerable.reduce((s, o) => s + (o.firstHit ? 1 / o.firstHit : 0), 0)),
    abstainedAnswerable: answerable.filter((o) => o.abstained).length,
    abstainedUnanswerable: unanswerable.filter((o) => o.abstained).length,
    notVerbatim: outcomes.reduce((s, o) => s + o.notVerbatim, 0),
  };
}

/** Parses a JSONL question file; throws with the line number on a bad line. */
export function parseQuestions(jsonl: string): EvalQuestion[] {
  return jsonl
    .split('\n')
    .map((line, n) => ({ line: line.trim(), n: n + 1 }))
    .filter(({ line }) => line)
    .map(({ line, n }) => {
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch {
        throw new Error(`line ${n}: not JSON`);
      }
      const r = row as Partial<EvalQuestion>;
      if (typeof r.question !== 'string' || !Array.isArray(r.gold)) throw new Error(`line ${n}: needs "question" and "gold"`);
      return { question: r.question, gold: r.gold, file: r.file, kind: r.kind };
    });
}
