/**
 * `npm run ask -- "question"`: answers from the command line.
 *
 * Options: --data DIR (default data/), --top K (default 3), --json (one JSON line per question on stdout),
 * --batch FILE (one question per line; the model loads once; answers in the same order).
 */
import { readFile } from 'node:fs/promises';
import { QuestionError } from '../engine';
import { parseArgs } from './args';
import { answerToJson, answerToText } from './format';
import { openEngineForCli, runMain } from './open-engine';

const USAGE = 'usage: npm run ask -- [--data DIR] [--top K] [--json] [--batch FILE] "question" …';

runMain(async () => {
  const { flags, positionals } = parseArgs(process.argv.slice(2), ['json', 'help']);
  if (flags.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const top = flags.has('top') ? Number(flags.get('top')) : 3;
  if (!Number.isInteger(top) || top < 1 || top > 10) throw new Error('--top takes a whole number from 1 to 10');
  const questions = [...positionals];
  const batch = flags.get('batch');
  if (typeof batch === 'string') {
    questions.push(...(await readFile(batch, 'utf8')).split(/\r?\n/).filter((l) => l.trim()));
  }
  if (questions.length === 0) throw new Error(`no question given\n${USAGE}`);
  const data = flags.get('data');
  const engine = await openEngineForCli(typeof data === 'string' ? data : undefined, !flags.has('json'));
  const json = flags.has('json');
  for (const question of questions) {
    try {
      const answer = await engine.ask(question, { top });
      process.stdout.write(`${json ? answerToJson(answer) : answerToText(answer)}\n${json ? '' : '\n'}`);
    } catch (err) {
      if (!(err instanceof QuestionError)) throw err;
      // A bad line in a batch must not shift the answers: it gets an abstaining line of its own.
      if (json) process.stdout.write(`${JSON.stringify({ question, abstained: true, model: engine.status().model, answers: [], error: err.message })}\n`);
      else process.stdout.write(`Q: ${question}\n  ${err.message}\n\n`);
    }
  }
});
