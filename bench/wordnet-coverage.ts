/**
 * Would WordNet tell the ranker what the word vectors do not? For each answerable question whose gold sentence is
 * in the ranker's shortlist, the WordNet coverage (`WordNetCoverage`: the IDF share of the question's terms a
 * sentence lacks literally but holds a WordNet neighbour of) of the gold and of its rival: the first candidate when
 * the gold is not first ("help": the gold's coverage is higher by at least --margin; "back": the reverse), the
 * runner-up when it is ("risk": the runner-up's is higher, where a feature could pull a right answer down). Counted
 * on the engine's final order (after the cross-encoder stage) and on the ranker's own.
 *
 *   npx tsx bench/wordnet-coverage.ts --data DIR --questions FILE [--every N] [--margin PERCENT] [--cache DIR] [--out FILE.jsonl]
 *
 * `--every 4` takes every 4th question; `--margin 5` (the default) is 0.05 of the question's weight. `--out` writes
 * one JSON line per counted question (its ranks and both coverages). Without the question file (../shared), says so
 * and exits 0.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { countOption, scriptOptions } from '../src/cli/args';
import { traceQuestion } from '../src/engine/answer';
import type { ScoredCandidate } from '../src/engine/ranking/ranker';
import { WordNetCoverage, wordNet } from './wordnet';
import { isHit, parseQuestions } from '../src/eval/scoring';
import { loadBenchModel, snapshotIndex } from './snapshot-index';

const usage = 'usage: npx tsx bench/wordnet-coverage.ts --data DIR --questions FILE [--every N] [--margin PERCENT] [--cache DIR] [--out FILE.jsonl]';
const options = { data: { type: 'string' }, questions: { type: 'string' }, every: { type: 'string' }, margin: { type: 'string' }, cache: { type: 'string' }, out: { type: 'string' } } as const;
const values = scriptOptions(process.argv.slice(2), options, usage, ['data', 'questions']);
const every = countOption(values.every, '--every', usage, 1);
const margin = countOption(values.margin, '--margin', usage, 5, 0) / 100;
if (!existsSync(values.questions)) {
  console.error(`skipped: the questions are missing (${values.questions}); ../shared must be beside the checkout`);
  process.exit(0);
}

const cacheDir = path.resolve(values.cache ?? '.cache');
const models = await loadBenchModel(cacheDir);
const index = await snapshotIndex(path.resolve(values.data), cacheDir, models.embedder);
const t0 = performance.now();
const wordnet = wordNet();
console.error(`WordNet read in ${Math.round(performance.now() - t0)} ms (${wordnet.size} synsets)`);
const questions = parseQuestions(readFileSync(values.questions, 'utf8')).filter((_, i) => i % every === 0);

/** One counted question: its gold's rank in each order and the coverages compared there. */
interface Row {
  question: string;
  order: 'final' | 'ranker';
  rank: number;
  gold: number;
  rival: number;
  /** The literal coverage (`Candidate.coverage`) of both, to tell what WordNet adds from what `coverage` says. */
  goldLiteral: number;
  rivalLiteral: number;
}
const rows: Row[] = [];
let answerable = 0;
for (const q of questions) {
  if (!q.gold.length) continue;
  answerable++;
  const t = await traceQuestion(index, models, q.question, 5);
  const isGold = (c: ScoredCandidate) => isHit(q, { quote: index.text(c.sentence), file: index.articles[index.articleOf(c.sentence)].file });
  if (!t.ranked.ranked.some(isGold)) continue;
  const asked = t.retrieval.terms.filter((x) => !x.expansion);
  const weights = asked.map((x) => (x.id >= 0 ? index.idf(x.id) : index.idf(-1)) * x.weight);
  const coverage = new WordNetCoverage(wordnet, asked, weights, weights.reduce((s, w) => s + w, 0), index.vocabulary);
  const of = (c: ScoredCandidate) => coverage.of(index.sentenceTermsOf(c.sentence));
  for (const [order, list] of [['final', t.ranking.ranked], ['ranker', t.ranked.ranked]] as const) {
    const rank = list.findIndex(isGold);
    const rival = rank === 0 ? list.find((c) => !isGold(c)) : list[0];
    rows.push({
      question: q.question, order, rank: rank + 1,
      gold: of(list[rank]), rival: rival ? of(rival) : 0, goldLiteral: list[rank].coverage, rivalLiteral: rival?.coverage ?? 0,
    });
  }
}

const pct = (n: number, of: number) => `${n} (${of ? ((100 * n) / of).toFixed(1) : '0.0'}%)`;
console.log(`${path.basename(values.questions)}: ${questions.length} questions (every ${every}), ${answerable} answerable, ${rows.length / 2} with the gold shortlisted; margin ${margin}`);
for (const order of ['final', 'ranker'] as const) {
  const mine = rows.filter((r) => r.order === order);
  const missed = mine.filter((r) => r.rank > 1);
  const right = mine.filter((r) => r.rank === 1);
  const any = mine.filter((r) => r.gold > 0).length;
  console.log(`  ${order}: ${counts(missed, right, (r) => r.gold, (r) => r.rival)}; gold coverage > 0 in ${pct(any, mine.length)}`);
  // WordNet coverage is highest where literal coverage is lowest: so also the comparisons WordNet turns (literal plus
  // WordNet ahead by the margin, literal alone not), and those between sentences of equal literal coverage.
  const ahead = (a: number, b: number) => a >= b + margin;
  const turned = (r: Row, gold: boolean) =>
    gold ? ahead(r.goldLiteral + r.gold, r.rivalLiteral + r.rival) && !ahead(r.goldLiteral, r.rivalLiteral)
      : ahead(r.rivalLiteral + r.rival, r.goldLiteral + r.gold) && !ahead(r.rivalLiteral, r.goldLiteral);
  console.log(`    turned by WordNet: ${counts(missed, right, (r) => (turned(r, true) ? 1 : 0), (r) => (turned(r, false) ? 1 : 0))}`);
  const even = (r: Row) => Math.abs(r.goldLiteral - r.rivalLiteral) < margin;
  console.log(`    equal literal coverage: ${counts(missed.filter(even), right.filter(even), (r) => r.gold, (r) => r.rival)}`);
}

/** help/back among the questions whose gold is not first, risk/gold-ahead among those whose gold is. */
function counts(missed: Row[], right: Row[], gold: (r: Row) => number, rival: (r: Row) => number): string {
  const ahead = (rs: Row[], a: (r: Row) => number, b: (r: Row) => number) => rs.filter((r) => a(r) > 0 && a(r) >= b(r) + margin).length;
  return (
    `gold not first ${missed.length}: help ${pct(ahead(missed, gold, rival), missed.length)}, back ${pct(ahead(missed, rival, gold), missed.length)}; ` +
    `gold first ${right.length}: risk ${pct(ahead(right, rival, gold), right.length)}, gold ahead ${pct(ahead(right, gold, rival), right.length)}`
  );
}
if (values.out) writeFileSync(values.out, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
