/**
 * Lines the bench scripts print that hold text from the sources or the question files (quotes, sentences, titles,
 * questions): through `shownText`, as the terminal's own edges (src/cli) print, so an article holding ESC or a bidi
 * override shows a stand-in instead of rewriting the terminal or reversing a line.
 */
import { shownText } from '../src/shown-text';

/** One line on stdout. @example print(`     top: ${sentence}`) */
export function print(line: string): void {
  process.stdout.write(shownText(`${line}\n`));
}

/** One line (or several) on stderr. @example printError(`REFUSED ${question}`) */
export function printError(line: string): void {
  process.stderr.write(shownText(`${line}\n`));
}
