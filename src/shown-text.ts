/**
 * Text from the sources as either front shows it to a person: the bot in every message (`shownReply`,
 * src/bot/respond.ts), the terminal in every line it prints (src/cli). Its controls are shown as visible stand-ins
 * (`visibleText`), and the token and its pieces are masked as `SECRET_SHOWN` (`redact`): a data folder may hold a link
 * to the bot's own settings file, read as an article to quote, and the terminal run beside that `.env` loads the token.
 * One function, so both fronts mask alike.
 */
import { redact, redaction, SECRET_SHOWN } from './log';
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
 * Spans `[start, end)` of `text` as spans of `redact(text)`, the text `shownJson` gives when parsed: each span's parts
 * outside the masked parts (`redaction` tells where they lie in both), shifted by what the masks before them saved or
 * added, their ends' spaces trimmed; a span wholly inside a masked part is left out (it names no word shown).
 * @example shownSpans(`${token} in March`, [[n, n + 5]]) // [[7, 12]]: "March" after "(…) in "
 */
export function shownSpans(text: string, spans: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const { masked } = redaction(text, SECRET_SHOWN);
  if (!masked.length) return spans.map(([start, end]) => [start, end]);
  /** Where the character at `i` (in no masked part) stands in what is shown: after the last mask before it. */
  const shownAt = (i: number) => {
    const before = masked.filter((part) => part.text[1] <= i).at(-1);
    return before ? before.shown[1] + i - before.text[1] : i;
  };
  return spans.flatMap(([start, end]) => {
    const parts: Array<[number, number]> = [];
    let from = start;
    for (const part of masked) {
      if (part.text[1] <= from || part.text[0] >= end) continue;
      if (part.text[0] > from) parts.push([from, part.text[0]]);
      from = part.text[1];
    }
    if (from < end) parts.push([from, end]);
    return parts.flatMap(([s, e]): Array<[number, number]> => {
      while (s < e && /\s/.test(text[s])) s++;
      while (e > s && /\s/.test(text[e - 1])) e--;
      return s < e ? [[shownAt(s), shownAt(s) + e - s]] : [];
    });
  });
}
