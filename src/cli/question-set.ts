/**
 * The command line of `npm run eval`, which asks a question set of a data folder, and the question file it reads
 * (bench/discord-ask.ts reads its file the same way); `npm run ask`'s batch file is read as text the same way too.
 */
import { readFile } from 'node:fs/promises';
import type { ParseArgsConfig } from 'node:util';
import { decodeArticleText, TextDecodeError } from '../engine/corpus/decode-text';
import { parseQuestions } from '../eval/scoring';
import { parseCommandLine, UsageError } from './args';

const QUESTION_SET_OPTIONS = { data: { type: 'string' }, questions: { type: 'string' } } as const;

/**
 * `--data DIR` (default `data`) and `--questions FILE.jsonl` (required, in the formats of `../shared/eval/`: read
 * and parsed here) beside the script's own `options`; no positionals. What is wrong (no question file, a stray
 * word, a line of the file that is no question) is said in one line, then the usage.
 * @example const { data, questions, values } = await parseQuestionSetCommand(argv, { json: { type: 'boolean' } }, usage)
 */
export async function parseQuestionSetCommand<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, usage: string) {
  const { values, positionals } = parseCommandLine(argv, { ...options, ...QUESTION_SET_OPTIONS }, usage);
  const { data, questions: file } = values as { data?: string; questions?: string };
  if (file === undefined) throw new UsageError(`no question file: --questions FILE.jsonl is required\n${usage}`);
  // A count where a file was meant ("--questions 300"), or a question typed after the options.
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'\n${usage}`);
  return { values, data: data ?? 'data', questions: await readQuestionFile(file) };
}

/**
 * A question file in the formats of `../shared/eval/`, read and parsed; a file that cannot be read, or a line that
 * is no question, is said in one line (the file and the line).
 * @example const questions = await readQuestionFile('bench/fixtures/seed-extra.jsonl')
 */
export async function readQuestionFile(file: string) {
  const text = await readQuestionText(file, 'question file');
  try {
    return parseQuestions(text);
  } catch (err) {
    throw new Error(`${file}, ${(err as Error).message}`);
  }
}

/**
 * A file of questions as text, decoded as the engine decodes an article: UTF-8 (its byte-order mark dropped), or UTF-16
 * with a byte-order mark, which Windows PowerShell 5 writes for `>` and `Out-File` (read as UTF-8, each question was
 * garbage between NULs, answered "the sources do not answer"); anything else is said in one line naming the file.
 * @example const text = await readQuestionText('questions.txt', 'batch file')
 */
export async function readQuestionText(file: string, what: string): Promise<string> {
  const bytes = await readFile(file).catch((err: Error) => {
    throw new Error(`cannot read the ${what}: ${err.message}`);
  });
  try {
    return decodeArticleText(bytes);
  } catch (err) {
    if (!(err instanceof TextDecodeError)) throw err;
    throw new Error(`cannot read the ${what} ${file}: ${err.message}`);
  }
}
