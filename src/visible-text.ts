/**
 * Text from the sources (quotes, titles, file names, the reasons a file was skipped) made safe to show: each
 * character that would act instead of print is replaced by a visible stand-in. The engine keeps the source's text as
 * it is (quotes stay verbatim, offsets and highlights index it); only the two display edges — the terminal
 * (src/cli) and the bot (its one `respond` helper, src/bot/respond.ts, and the autocomplete names in router.ts) —
 * call this, through `shownText` (src/shown-text.ts, which masks the token too), so both show the same thing. The
 * JSON log escapes the same characters (`visibleJson`).
 *
 * What is replaced, and why:
 * - C0 controls but tab and line feed (a carriage return only when no line feed follows it: CRLF is a line end), and
 *   DEL: ESC starts terminal escape sequences (clear the screen, recolour, set the window title…); a lone CR or a
 *   backspace overwrites what was printed. Each becomes its Control Picture (U+2400…U+241F, ␡), so ESC reads ␛.
 * - C1 controls (U+0080–U+009F): U+009B is an 8-bit CSI to some terminals. They have no pictures: U+FFFD.
 * - The bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder what
 *   follows, so a verbatim quote could display reversed (Trojan Source, CVE-2021-42574). U+FFFD.
 * - The interlinear annotation characters (U+FFF9–U+FFFB), which some renderers use to hide text: U+FFFD.
 * Kept: the marks U+200E, U+200F and U+061C (they only set the direction of neutral characters next to them, cannot
 * reverse a run of letters, and Arabic and Hebrew text uses them), zero-width joiners (emoji, Persian).
 *
 * Every stand-in is one UTF-16 unit for one, so lengths and offsets are unchanged (Discord's limits, highlights).
 *
 * An article holding them is not refused, from the data folder or uploaded (the upload's check for control
 * characters in src/intake/decode.ts tells binary files from text; it is not this one): one stray control in
 * scraped text should not cost the article its other sentences, and only the display edges see every path — the
 * data folder, uploads, fetched pages, file names — so the same rule holds whichever way a text came in.
 */

/** The characters C1 and after: what `JSON.stringify` leaves raw (it escapes C0 itself). */
const HIDDEN_ABOVE_C0 = '\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069\\uFFF9-\\uFFFB';
const HIDDEN = new RegExp(`[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F${HIDDEN_ABOVE_C0}]|\\r(?!\\n)`, 'g');
/** In JSON also U+2028 and U+2029: valid raw, but readers that split lines on them (Python's splitlines) cut the line. */
const HIDDEN_IN_JSON = new RegExp(`[${HIDDEN_ABOVE_C0}\\u2028\\u2029]`, 'g');

const CONTROL_PICTURES = 0x2400;
const DEL = 0x7f;

function standIn(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(CONTROL_PICTURES + code);
  if (code === DEL) return '\u2421';
  return '\uFFFD';
}

/**
 * `text` with every control that would act on a terminal or reorder the display shown as a visible stand-in;
 * text without any is returned as it is (the same string).
 * @example visibleText('met \u001b[2Jfor 90 minutes') // 'met ␛[2Jfor 90 minutes'
 * @example visibleText('abc\u202Edef') // 'abc\uFFFDdef'
 */
export function visibleText(text: string): string {
  return text.replace(HIDDEN, standIn);
}

/**
 * JSON text (from `JSON.stringify`) with the same characters written as `\uXXXX` escapes: the parsed values are
 * unchanged (a quote stays verbatim), but the line printed holds none of them. `JSON.stringify` escapes C0 itself.
 * @example visibleJson(JSON.stringify({ q: 'a\u202Eb' })) // '{"q":"a\\u202eb"}'
 */
export function visibleJson(json: string): string {
  return json.replace(HIDDEN_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
