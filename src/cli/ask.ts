/**
 * `npm run ask -- "question"`: answers from the command line.
 *
 * Options: --data DIR (default data/), --top K (default 3), --json (one JSON line per question on stdout),
 * --batch FILE (one question per line; the model loads once; one answer per line, in the same order).
 */
import { MAX_TOP, QuestionError } from '../engine';
import { countOption, parseCommandLine, UsageError } from './args';
import { answerToJson, answerToText } from './format';
import { shownJson, shownText } from '../shown-text';
import { openEngineForCli, runMain } from './open-engine';
import { readQuestionText } from './question-set';

const USAGE = 'usage: npm run ask -- [--data DIR] [--top K] [--json] [--batch FILE] "question" …';

runMain(async () => {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    { data: { type: 'string' }, top: { type: 'string' }, json: { type: 'boolean' }, batch: { type: 'string' }, help: { type: 'boolean' } },
    USAGE,
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const top = countOption(values.top, '--top', USAGE, 3, 1, MAX_TOP);
  const questions = [...positionals];
  if (values.batch !== undefined) {
    // Every line is a question, blank ones included (they get an error line), so answers never shift; a final
    // line break ends the last line rather than starting an empty one.
    const text = (await readQuestionText(values.batch, 'batch file')).replace(/\r?\n$/, '');
    if (text) questions.push(...text.split(/\r?\n/));
  }
  if (questions.length === 0) throw new UsageError(`no question given\n${USAGE}`);
  const json = values.json === true;
  const engine = await openEngineForCli(values.data, !json);
  for (const question of questions) {
    try {
      const answer = await engine.ask(question, { top });
      process.stdout.write(`${json ? answerToJson(answer) : answerToText(answer)}\n${json ? '' : '\n'}`);
    } catch (err) {
      if (!(err instanceof QuestionError)) throw err;
      // A bad line in a batch must not shift the answers: it gets an abstaining line of its own.
      const q = question.trim();
      if (json) process.stdout.write(`${shownJson({ question: q, abstained: true, model: engine.status().model, answers: [], error: err.message })}\n`);
      else process.stdout.write(shownText(`Q: ${q}\n  ${err.message}\n\n`));
    }
  }
});
