/**
 * Command-line options for the scripts, through node's own `util.parseArgs` in strict mode: an unknown option or a
 * missing value is refused by name (never taken for a question), as one line followed by the usage. `--help` or
 * `-h` before any `--` prints the usage on stdout and exits 0, as people expect of a command.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A command line that cannot be read as given (an unknown option, a missing value, no question): exit status 2. */
export class UsageError extends Error {}

/**
 * @example parseCommandLine(['--top', '3', '--json', 'q'], { top: { type: 'string' }, json: { type: 'boolean' } }, 'usage: …')
 * // { values: { top: '3', json: true }, positionals: ['q'] }
 */
export function parseCommandLine<O extends Options>(argv: string[], options: O, usage: string) {
  if (asksForHelp(argv)) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's messages run on with advice about '--'; the first sentence names the option and the problem.
    const message = (err as Error).message.split(/\.\s/)[0];
    throw new UsageError(`${message.charAt(0).toLowerCase()}${message.slice(1)}\n${usage}`);
  }
}

/** `--help` or `-h` among the options (after `--` everything is a question, "-h" too). */
export function asksForHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/**
 * A count option's value (`--limit 300`): a whole number from `least` to `most`, `fallback` when the option is
 * absent. Anything else ends the script as `scriptOptions` refuses an unknown option (`refuseUsage`: one line, the
 * usage, exit status 2), where `Number()` would give NaN (or take '0x3', '2.0', '1e0') and `slice(0, NaN)` silently
 * no questions at all. `least` is 1 unless 0 means something (a starting index, `--from 0`): `--limit 0` or
 * `--top 0` would measure nothing, print an empty or NaN table, or fail later with a stack trace.
 * @example countOption(values.limit, '--limit', usage, Infinity) // 300 for `--limit 300`, Infinity without it
 * @example countOption(values.top, '--top', usage, 3, 1, 10) // `--top 11`: "error: --top takes a whole number from 1 to 10, not '11'"
 */
export function countOption(value: string | undefined, name: string, usage: string, fallback: number, least = 1, most = Infinity): number {
  if (value === undefined) return fallback;
  const count = /^\d+$/.test(value) ? Number(value) : NaN;
  // A ceiling names the whole range, 0 included ("from 0 to 9", never "to 9"); without one, a floor of 0 goes unsaid.
  const range = most < Infinity ? ` from ${least} to ${most}` : least ? ` from ${least}` : '';
  if (!(count >= least && count <= most)) refuseUsage(`${name} takes a whole number${range}, not '${value}'`, usage);
  return count;
}

/**
 * The options of a script run from a terminal (bench/, training/, and the commands that take none: `npm start`,
 * deploy-commands, build:model): `parseCommandLine`, no words besides the options, and every option of `required`
 * given; a refusal ends the script with `refuseUsage` rather than an uncaught error's stack trace.
 * @example const values = scriptOptions(process.argv.slice(2), { data: { type: 'string' } }, 'usage: …', ['data'])
 * // values.data: string
 */
export function scriptOptions<O extends Options, R extends keyof O & string = never>(
  argv: string[],
  options: O,
  usage: string,
  required: readonly R[] = [],
) {
  let parsed: ReturnType<typeof parseCommandLine<O>>;
  try {
    parsed = parseCommandLine(argv, options, usage);
  } catch (err) {
    return refuseUsage((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length) refuseUsage(`unexpected argument '${positionals[0]}'`, usage);
  const missing = (value: unknown) => value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  if (required.some((name) => missing((values as Record<string, unknown>)[name]))) refuseUsage(undefined, usage);
  return values as typeof values & { [K in R]-?: K extends keyof typeof values ? NonNullable<(typeof values)[K]> : never };
}

/**
 * Ends a script on a usage error, exit status 2: `error: message` (when given) then `usage` (when given), on stderr.
 * @example refuseUsage('--only takes small', 'usage: …')
 */
export function refuseUsage(message: string | undefined, usage?: string): never {
  process.stderr.write(`${message === undefined ? '' : `error: ${message}\n`}${usage === undefined ? '' : `${usage}\n`}`);
  process.exit(2);
}
