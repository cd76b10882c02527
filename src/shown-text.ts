/**
 * Text from the sources as either front shows it to a person: the bot in every message (`shownReply`,
 * src/bot/respond.ts), the terminal in every line it prints (src/cli). Its controls are shown as visible stand-ins
 * (`visibleText`), and the token and its pieces are masked as `SECRET_SHOWN` (`redact`): a data folder may hold a link
 * to the bot's own settings file, read as an article to quote, and the terminal run beside that `.env` loads the token.
 * One function, so both fronts mask alike.
 */
import { redact, SECRET_SHOWN } from './log';
import { visibleJson, visibleText } from './visible-text';

/** @example shownText('a\u202Eb') // 'a\uFFFDb' */
export function shownText(text: string): string {
  return visibleText(redact(text, SECRET_SHOWN));
}

/**
 * A value as one JSON line to print: every string in it through `redact` (the same mask), then what `JSON.stringify`
 * leaves raw (C1, bidi…) escaped (`visibleJson`, src/visible-text.ts). Parsed, a quote is verbatim but for a secret.
 */
export function shownJson(value: unknown): string {
  return visibleJson(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? redact(v, SECRET_SHOWN) : v)));
}

/**
 * Spans `[start, end)` of `text` as spans of `redact(text)`, the text `shownJson` gives when parsed: those before the
 * first masked character or after the last keep their words (shifted by what the mask saved); a span from the first
 * to the last is left out (it may name no word of what is shown), also one between two masked parts.
 * @example shownSpans(`${token} in March`, [[n, n + 5]]) // [[9, 14]]: "March" after "(…) in "
 */
export function shownSpans(text: string, spans: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const shown = redact(text, SECRET_SHOWN);
  if (shown === text) return spans.map(([start, end]) => [start, end]);
  let head = 0;
  while (text[head] === shown[head]) head++;
  let tail = 0;
  while (tail < Math.min(text.length, shown.length) - head && text.at(-1 - tail) === shown.at(-1 - tail)) tail++;
  const saved = text.length - shown.length;
  return spans.flatMap(([start, end]): Array<[number, number]> => (end <= head ? [[start, end]] : start >= text.length - tail ? [[start - saved, end - saved]] : []));
}
