/**
 * The command line of the scripts that ask a question set of a data folder (`npm run eval`,
 * bench/discord-ask.ts): the same two options, read the same way.
 */
import { readFile } from 'node:fs/promises';
import type { ParseArgsConfig } from 'node:util';
import { parseQuestions } from '../eval/scoring';
import { parseCommandLine } from './args';

const QUESTION_SET_OPTIONS = { data: { type: 'string' }, questions: { type: 'string' } } as const;

/**
 * `--data DIR` (default `data`) and `--questions FILE.jsonl` (required, in the formats of `../shared/eval/`: read
 * and parsed here) beside the script's own `options`; no positionals. A missing question file or a stray word
 * gets the usage.
 * @example const { data, questions, values } = await parseQuestionSetCommand(argv, { json: { type: 'boolean' } }, usage)
 */
export async function parseQuestionSetCommand<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, usage: string) {
  const { values, positionals } = parseCommandLine(argv, { ...options, ...QUESTION_SET_OPTIONS }, usage);
  const { data, questions: file } = values as { data?: string; questions?: string };
  if (file === undefined || positionals.length) throw new Error(usage);
  return { values, data: data ?? 'data', questions: parseQuestions(await readFile(file, 'utf8')) };
}
