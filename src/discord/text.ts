/**
 * Generic Discord text helpers, knowing no command: Markdown escaping, cutting at sentence or word boundaries
 * with a visible "…" (never inside a word or a markdown link), links, bold spans, counts, durations and times.
 */
import { escapeBulletedList, escapeHeading, escapeNumberedList } from 'discord.js';
import { LIMITS } from './limits';

export const ELLIPSIS = '…';

/** A bare link as Discord finds one in text (its autolink rule): left as it is, so it still links. */
const BARE_LINK = /https?:\/\/[^\s<]+[^<.,:;"')\]\s]/g;

/** Every character that formats inline, each escaped by itself: `\`, `*`, `_`, `~`, `|`, backtick, `[`, `<`. */
function escapeInline(text: string): string {
  return text.replace(/[\\*_~|`[<]/g, '\\$&');
}

/**
 * Escapes Discord Markdown in untrusted text, so it shows as written.
 * Every formatting character is escaped by itself, rather than by discord.js' `escapeMarkdown`, which pairs them:
 * it leaves part of a run raw ("c****" -> "c\\*\\*\\**", whose "**" can bold what follows) and escapes one
 * twice ("*** out of ****" shows a stray "\\"), so a censored word or a rule of underscores did not show verbatim.
 * Every `[` is escaped (no masked link opens, whatever the line breaks), and every `<`, so an article's `<@id>`,
 * `<#id>`, `<t:…>`, `<:emoji:id>` or `</cmd:id>` shows as text instead of rendering as a mention, channel, timestamp,
 * emoji or clickable command. At a line's start, headings, lists, block quotes and subtext ("-# ") are escaped.
 * Bare links are left as they are, so they still link (Discord formats nothing inside one).
 * @example escapeText('**hi** @everyone') // '\\*\\*hi\\*\\* @everyone' (mentions are disarmed by `respond`, not here)
 * @example escapeText('[a](https://x.example) [b](https://y.example)') // '\\[a](https://x.example) \\[b](https://y.example)'
 */
export function escapeText(text: string): string {
  let inline = '';
  let at = 0;
  // An "http://" outside a link (too short for one here) is made text too: there the escapes could make it one.
  for (const m of text.matchAll(BARE_LINK)) {
    inline += unlink(escapeInline(text.slice(at, m.index)));
    at = m.index + m[0].length;
    // Discord's link runs on to a "<" (past trailing punctuation) and takes the backslash escaping it as its last
    // character, leaving the "<…>" live: such a link is shown as text.
    INTO_ANGLE.lastIndex = at;
    inline += INTO_ANGLE.test(text) ? unlink(escapeInline(m[0])) : m[0].replace(/\[/g, '\\[');
  }
  inline += unlink(escapeInline(text.slice(at)));
  return escapeLineStarts(inline);
}

const INTO_ANGLE = /[.,:;"')\]]*</y;

/** Escaped text with each http(s) link made text ("https\\://…" shows as written, and is neither linked nor previewed). */
function unlink(escaped: string): string {
  return escaped.replace(/(https?):(?=\/\/)/gi, '$1\\:');
}

/**
 * `escapeText` for what a member typed, echoed in a public message: every character escaped, links included, and
 * each http(s) link made text ("https\\://…" shows as written): a bare link in a message is previewed under it,
 * so a link in a question would have had the bot show any page, image or video the member chose. Invites too
 * ("discord\\.gg/…"): Discord shows a card to join their server even without "https://".
 * @example escapeUnlinked('see https://x.example/a_b') // 'see https\\://x.example/a\\_b'
 */
export function escapeUnlinked(text: string): string {
  return unlink(escapeLineStarts(escapeInline(text)))
    .replace(/\b(discord)\.(?=gg\/)|\b(discord(?:app)?)\.(?=com\/invite\/)/gi, '$1$2\\.');
}

/**
 * A member's display name quoted in a message (who reloaded, who added an article): on one line, escaped as what a
 * member typed is (`escapeUnlinked`: no markdown, no mention markup, a link shown as text), cut to `max`. With
 * `escapeText` a name holding a link was clickable (and previewed) in /about. `max` lets any name Discord allows
 * (32 characters, each escaped at most once) show whole: at 60, 32 underscores showed as 28 and an ellipsis.
 * @example memberName('see https://x.example/a_b') // 'see https\\://x.example/a\\_b'
 */
export function memberName(name: string, max = 64): string {
  return escapedCut(oneLine(name), max, escapeUnlinked);
}

/** Headings, lists, block quotes and subtext escaped where they would start a line. */
function escapeLineStarts(text: string): string {
  return escapeBulletedList(escapeNumberedList(escapeHeading(text)))
    .replace(/^( *)>/gm, '$1\\>')
    .replace(/^( *)-# /gm, '$1\\-# ');
}

/** Collapses runs of whitespace (newlines included) so text stays on one line inside a block quote. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const SENTENCE_END = /[.!?…]["'”’»)\]]*(?=\s)/g;

/**
 * Where to cut `text` so that `text.slice(0, cut) + " …"` fits in `max` characters: after the last sentence end
 * when that keeps at least half the room, else at the last word boundary; mid-word only for a single word longer
 * than the room. Returns `text.length` when everything fits.
 */
export function cutIndex(text: string, max: number): number {
  if (text.length <= max) return text.length;
  const room = Math.max(0, max - 2); // " …"
  if (room === 0) return 0;
  const head = text.slice(0, room + 1);
  let sentence = -1;
  for (const m of head.matchAll(SENTENCE_END)) {
    const end = (m.index ?? 0) + m[0].length;
    if (end <= room) sentence = end;
  }
  if (sentence >= room / 2) return sentence;
  // The last whitespace at or before `room` ends the last whole word.
  for (let i = room; i > 0; i--) {
    if (/\s/.test(head[i] ?? '')) {
      let j = i;
      while (j > 0 && /\s/.test(text[j - 1])) j--;
      if (j > 0) return j;
    }
  }
  return wholePairs(text, room);
}

/** `at`, or one less when `at` would fall between the halves of a surrogate pair (an emoji): Discord shows U+FFFD. */
function wholePairs(text: string, at: number): number {
  return at > 0 && at < text.length && /[\uD800-\uDBFF]/.test(text[at - 1]) ? at - 1 : at;
}

/**
 * Plain text cut to `max` characters at a sentence or word boundary, with " …" when cut. Not for escaped text: a
 * cut there can part a backslash from what it escapes (`escapedCut` cuts first, then escapes).
 * @example cut('First sentence here. Second one is longer.', 30) // 'First sentence here. …'
 */
export function cut(text: string, max: number): string {
  const at = cutIndex(text, max);
  if (at >= text.length) return text;
  return `${text.slice(0, at).trimEnd()} ${ELLIPSIS}`.slice(0, max);
}

/**
 * Renders raw text through `render` (escaping, bolding…), cutting the RAW text (never the markup) until the
 * rendered result fits in `max`. `render` gets the raw prefix and whether it was cut (to add the "…").
 */
export function fitRendered(raw: string, max: number, render: (prefixLength: number, wasCut: boolean) => string): string {
  let out = render(raw.length, false);
  if (out.length <= max) return out;
  let budget = max;
  for (let i = 0; i < 30 && budget > 0; i++) {
    const at = cutIndex(raw, budget);
    out = render(at, true);
    if (out.length <= max) return out;
    // Below this cut (never the same one again: a word boundary may lie far back), shrunk by the rendering's own
    // ratio, since escaping can double the text. Taking the overshoot off the budget, as before, could end in
    // nothing: 30 steps of one character short of the previous word, or a doubled text's whole budget at once.
    budget = Math.min(at + 1, Math.floor(((at + 2) * max) / out.length));
  }
  return '';
}

/**
 * Untrusted text escaped (`escapeText`) and cut to `max` characters with " …" when cut. The raw text is cut, then
 * escaped, so no cut parts a backslash from the character it escapes: a stray "\\" shown before the ellipsis, or
 * escaping the markup that follows (a closing `)` or `**`).
 * @example escapedCut('Obama *and* Putin met', 16) // 'Obama \\*and\\* …'
 */
export function escapedCut(text: string, max: number, escape = escapeText): string {
  return fitRendered(text, max, (n, wasCut) => `${escape(text.slice(0, n).trimEnd())}${wasCut ? ` ${ELLIPSIS}` : ''}`);
}

/** Joins rendered items (links, list lines) while they fit, ending with "… and N more" when some do not. */
export function joinFitting(items: string[], max: number, separator: string, more = (n: number) => `${ELLIPSIS} and ${n.toLocaleString('en-US')} more`): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const next = out ? `${out}${separator}${items[i]}` : items[i];
    const rest = items.length - i - 1;
    const tail = rest > 0 ? `${separator}${more(rest)}` : '';
    // Keep room for the "and N more" tail of whatever is left after this item.
    if (next.length + tail.length <= max || (rest === 0 && next.length <= max)) {
      out = next;
      continue;
    }
    const left = items.length - i;
    const end = out ? `${out}${separator}${more(left)}` : more(left);
    return end.length <= max ? end : out;
  }
  return out;
}

/** An embed title: one line, escaped, cut to Discord's limit; `fallback` when the title is empty. */
export function embedTitle(title: string, fallback: string): string {
  return escapedCut(oneLine(title) || fallback, LIMITS.embedTitle);
}

/** An http(s) URL safe to put inside a markdown link, or null. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  const href = parsed.href.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return href.length <= 1000 ? href : null;
}

/** Text for inside `[…]`: escaped as all untrusted text is (every `[` and `<` too), and every `]`; an address made text. */
function linkText(text: string): string {
  return escapeUnlinked(oneLine(text)).replace(/]/g, '\\]');
}

/** `[title](url)` (title cut to `maxTitle` first, so the link itself is never cut), or the escaped title alone. */
export function link(title: string, url: string | null | undefined, maxTitle = 120): string {
  const t = linkText(cut(oneLine(title) || 'untitled', maxTitle));
  const u = safeUrl(url);
  return u ? `[${t}](${u})` : t;
}

/** The fewest characters of a title worth showing beside its link. */
const LINK_TITLE_MIN = 16;

/**
 * `link` fitting in `max`, the title cut (never the address); '' when the address leaves too little room for a
 * readable title. Without an http(s) address, the title alone ('' when not even a word of it fits).
 * @example fittedLink('Obama and Putin met for ninety minutes', 'https://x.example/a', 50) // '[Obama and Putin met for …](https://x.example/a)'
 */
export function fittedLink(title: string, url: string | null | undefined, max: number): string {
  const raw = oneLine(title) || 'untitled';
  const text = (room: number) => fitRendered(raw, room, (n, cut) => `${linkText(raw.slice(0, n).trimEnd())}${cut ? ` ${ELLIPSIS}` : ''}`);
  const u = safeUrl(url);
  if (!u) return text(max);
  const titleRoom = max - u.length - 4; // "[", "](", ")"
  const linked = titleRoom >= LINK_TITLE_MIN ? text(titleRoom) : '';
  return linked ? `[${linked}](${u})` : '';
}

// ---------------------------------------------------------------------------------------------------------------
// Bold spans and block quotes

/** Highlight spans clipped to `[0, length)`, sorted, merged and trimmed of surrounding whitespace. */
export function normaliseSpans(text: string, spans: Array<[number, number]>, length = text.length): Array<[number, number]> {
  const clipped = spans
    .map(([a, b]) => [Math.max(0, Math.min(a, length)), Math.max(0, Math.min(b, length))] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [a, b] of clipped) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged
    .map(([a, b]) => {
      while (a < b && /\s/.test(text[a])) a++;
      while (b > a && /\s/.test(text[b - 1])) b--;
      return [a, b] as [number, number];
    })
    .filter(([a, b]) => b > a);
}

/** The first `length` characters of `text`, escaped, with the `spans` in bold (a quote with the question's words). */
export function boldQuote(text: string, spans: Array<[number, number]>, length = text.length): string {
  let out = '';
  let at = 0;
  // Not inside a bare link, nor straight after one: Discord would take the stars and the escapes for its address.
  const links = [...text.slice(0, length).matchAll(BARE_LINK)].map((m) => [m.index, m.index + m[0].length]);
  const outsideLinks = normaliseSpans(text, spans, length).filter(([a, b]) => !links.some(([s, e]) => a <= e && b > s));
  for (const [a, b] of outsideLinks) {
    out += escapeText(text.slice(at, a));
    out += `**${escapeText(text.slice(a, b))}**`;
    at = b;
  }
  out += escapeText(text.slice(at, length));
  // Newlines inside a quote would end the block quote: the engine's quotes are sentences, but be safe.
  return out.replace(/\s*\n\s*/g, ' ');
}

/**
 * A quote as a one-line block quote with its highlights in bold, fitting in `max`.
 * @example blockQuote({ quote: 'Obama and Putin met.', highlights: [[0, 5]] }, 100) // '> **Obama** and Putin met.'
 */
export function blockQuote(quote: { quote: string; highlights: Array<[number, number]> }, max: number): string {
  return fitRendered(quote.quote, max, (n, cut) => `> ${boldQuote(quote.quote, quote.highlights, n).trimEnd()}${cut ? ` ${ELLIPSIS}` : ''}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Counts, code, durations and times

/** "1 article", "2,000 articles". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** `text` as inline code, cut to `max` characters (backticks inside become quotes, so the span cannot break). */
export function codeSpan(text: string, max: number): string {
  const plain = text.replace(/`/g, "'");
  return `\`${plain.slice(0, wholePairs(plain, max))}\``;
}

/** A Discord timestamp, shown in each reader's time zone: "5 September 2016 10:00 (2 hours ago)". */
export function discordTime(at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `<t:${t}:f> (<t:${t}:R>)`;
}

export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d} d ${h} h ${m} min`;
  if (h) return `${h} h ${m} min`;
  if (m) return `${m} min ${s % 60} s`;
  return `${s} s`;
}
