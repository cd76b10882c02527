/**
 * `npm run eval -- --data DIR --questions FILE.jsonl`: scores a question set in the formats of `../shared/eval/`
 * and prints R@1, R@3, MRR@5, abstentions on answerable and unanswerable questions, and the count of quotes
 * that are not verbatim substrings of their source file.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeArticleText } from '../engine/corpus/decode-text';
import { parseQuestionSetCommand } from './question-set';
import { openEngineForCli, runMain } from './open-engine';
import { outcome, summarise } from '../eval/scoring';
import { percentile } from '../percentiles';

runMain(async () => {
  const usage = 'usage: npm run eval -- [--data DIR] --questions FILE.jsonl [--json]';
  const { values, data, questions } = await parseQuestionSetCommand(process.argv.slice(2), { json: { type: 'boolean' } }, usage);
  const engine = await openEngineForCli(data);
  const texts = new Map<string, string>();
  const fileText = async (file: string) => {
    if (!texts.has(file)) texts.set(file, decodeArticleText(await readFile(path.join(data, file))));
    return texts.get(file)!;
  };
  const outcomes = [];
  const times: number[] = [];
  for (const q of questions) {
    const answer = await engine.ask(q.question, { top: 5 });
    times.push(answer.tookMs);
    let notVerbatim = 0;
    for (const a of answer.answers) {
      const text = await fileText(a.source.file);
      if (text.slice(a.start, a.end) !== a.quote) notVerbatim++;
    }
    outcomes.push(outcome(q, answer.abstained, answer.answers.map((a) => ({ quote: a.quote, file: a.source.file })), notVerbatim));
  }
  const s = summarise(outcomes);
  const p = (x: number) => percentile(times, x);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...s, model: engine.status().model, p50Ms: p(50), p95Ms: p(95) })}\n`);
    return;
  }
  process.stdout.write(
    [
      `questions ${s.questions} (${s.answerable} answerable, ${s.unanswerable} unanswerable); model ${engine.status().model}`,
      `R@1    ${s.recallAt1.toFixed(3)}`,
      `R@3    ${s.recallAt3.toFixed(3)}`,
      `MRR@5  ${s.mrrAt5.toFixed(3)}`,
      `abstained on answerable    ${s.abstainedAnswerable} of ${s.answerable}`,
      `abstained on unanswerable  ${s.abstainedUnanswerable} of ${s.unanswerable}`,
      `quotes not verbatim        ${s.notVerbatim}`,
      `answer time p50 ${p(50)} ms, p95 ${p(95)} ms`,
    ].join('\n') + '\n',
  );
});
