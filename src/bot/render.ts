/**
 * Pure functions from engine results to Discord message payloads. Nothing here talks to Discord or the engine.
 *
 * Every payload stays inside Discord's limits (see `LIMITS`), cuts text at sentence or word boundaries with a
 * visible "…" (never inside a word or a markdown link), escapes Markdown in quoted and echoed text, and carries
 * `allowedMentions: { parse: [] }` so nothing in a question or an article can ping anyone.
 */
import { ButtonStyle, ComponentType, escapeMarkdown } from 'discord.js';
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import type { Answer, ArticleInfo, EngineStatus, Quote, ReloadProgress, ReloadReport, SourceRef } from '../engine/types';

export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedAuthor: 256,
  embedFooter: 2048,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  /** Sum of title, description, field names and values, footer text and author name over all embeds of a message. */
  embedsTotal: 6000,
  customId: 100,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

export const ELLIPSIS = '…';
/** Nothing is pinged, whatever the text says. */
export const NO_MENTIONS: { parse: [] } = Object.freeze({ parse: [] }) as { parse: [] };

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** A message body for reply / editReply / followUp (ephemerality is the caller's business). */
export interface Reply {
  content?: string;
  embeds?: APIEmbed[];
  components?: ButtonRow[];
  allowedMentions: { parse: [] };
}

const COLOR = { answer: 0x5865f2, muted: 0x99aab5, ok: 0x57f287, bad: 0xed4245 } as const;

// ---------------------------------------------------------------------------------------------------------------
// Escaping and cutting

/** Escapes Discord Markdown (including headings, lists and masked links) in untrusted text. */
export function escapeText(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true }).replace(/^>/gm, '\\>');
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
  return room;
}

/** Plain text cut to `max` characters at a sentence or word boundary, with " …" when cut. */
export function truncate(text: string, max: number): string {
  const cut = cutIndex(text, max);
  if (cut >= text.length) return text;
  return `${text.slice(0, cut).trimEnd()} ${ELLIPSIS}`.slice(0, max);
}

/**
 * Renders raw text through `render` (escaping, bolding…), cutting the RAW text (never the markup) until the
 * rendered result fits in `max`. `render` gets the raw prefix and whether it was cut (to add the "…").
 */
export function fitRendered(raw: string, max: number, render: (prefixLength: number, cut: boolean) => string): string {
  let out = render(raw.length, false);
  if (out.length <= max) return out;
  let budget = max;
  for (let i = 0; i < 30 && budget > 0; i++) {
    const cut = cutIndex(raw, budget);
    out = render(cut, true);
    if (out.length <= max) return out;
    budget -= Math.max(1, out.length - max);
  }
  return '';
}

/** Joins rendered items (links, list lines) while they fit, ending with "… and N more" when some do not. */
export function joinFitting(items: string[], max: number, separator: string, more = (n: number) => `${ELLIPSIS} and ${n} more`): string {
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

/** Text for inside `[…]`: escaped, brackets escaped too. */
function linkText(text: string): string {
  return escapeMarkdown(oneLine(text), { maskedLink: false }).replace(/([[\]])/g, '\\$1');
}

/** `[title](url)` (title cut to `maxTitle` first, so the link itself is never cut), or the escaped title alone. */
export function link(title: string, url: string | null | undefined, maxTitle = 120): string {
  const t = linkText(truncate(oneLine(title) || 'untitled', maxTitle));
  const u = safeUrl(url);
  return u ? `[${t}](${u})` : t;
}

// ---------------------------------------------------------------------------------------------------------------
// Quotes

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

/** The first `length` characters of a quote, escaped, with the question's words in bold. */
export function boldQuote(text: string, spans: Array<[number, number]>, length = text.length): string {
  let out = '';
  let at = 0;
  for (const [a, b] of normaliseSpans(text, spans, length)) {
    out += escapeText(text.slice(at, a));
    out += `**${escapeText(text.slice(a, b))}**`;
    at = b;
  }
  out += escapeText(text.slice(at, length));
  // Newlines inside a quote would end the block quote: the engine's quotes are sentences, but be safe.
  return out.replace(/\s*\n\s*/g, ' ');
}

/** A quote as a one-line block quote with bold question words, fitting in `max`. */
export function blockQuote(quote: Pick<Quote, 'quote' | 'highlights'>, max: number): string {
  return fitRendered(quote.quote, max, (n, cut) => `> ${boldQuote(quote.quote, quote.highlights, n).trimEnd()}${cut ? ` ${ELLIPSIS}` : ''}`);
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A short stable key for one quote (file hash + offsets, base 36), used in "Show context" button ids. */
export function quoteKey(quote: Pick<Quote, 'source' | 'start' | 'end'>): string {
  return `${fnv1a(quote.source.file).toString(36)}-${quote.start.toString(36)}-${quote.end.toString(36)}`;
}

export const CONTEXT_PREFIX = 'ctx';

/** `ctx:<key>.<key>…` with as many quotes as fit in Discord's 100-character custom id. */
export function contextCustomId(quotes: Quote[]): string {
  let id = `${CONTEXT_PREFIX}:`;
  let n = 0;
  for (const q of quotes) {
    const next = `${id}${n ? '.' : ''}${quoteKey(q)}`;
    if (next.length > LIMITS.customId) break;
    id = next;
    n++;
  }
  return id;
}

export function parseContextCustomId(customId: string): string[] {
  if (!customId.startsWith(`${CONTEXT_PREFIX}:`)) return [];
  return customId
    .slice(CONTEXT_PREFIX.length + 1)
    .split('.')
    .filter((k) => /^[0-9a-z]+-[0-9a-z]+-[0-9a-z]+$/.test(k));
}

function alsoReported(also: SourceRef[], max: number): string {
  if (also.length === 0 || max < 40) return '';
  const head = '*Also reported by* ';
  const list = joinFitting(also.map((s) => link(s.title, s.url, 80)), max - head.length, ', ');
  return list ? `${head}${list}` : '';
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Size of an embed as Discord counts it toward the 6,000-character message total. */
export function embedLength(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

function questionLine(question: string): string {
  return fitRendered(oneLine(question), 300, (n, cut) => `**Question:** ${escapeText(oneLine(question).slice(0, n).trimEnd())}${cut ? ` ${ELLIPSIS}` : ''}`);
}

/** The reply to /ask: one embed per quote under its article's title, or a plain "no answer" when abstained. */
export function renderAnswer(answer: Answer): Reply {
  if (answer.abstained || answer.answers.length === 0) return renderAbstain(answer.question);
  const quotes = answer.answers.slice(0, LIMITS.embeds);
  const footer = truncate(
    `Searched ${plural(answer.articlesSearched, 'article')} (${plural(answer.sentencesSearched, 'sentence')}) in ${formatMs(answer.tookMs)} · model: ${answer.model}`,
    LIMITS.embedFooter,
  );
  const heads = quotes.map((q) => ({
    title: truncate(escapeText(oneLine(q.source.title) || 'Untitled article'), LIMITS.embedTitle),
    author: q.source.outlet ? truncate(oneLine(q.source.outlet), LIMITS.embedAuthor) : undefined,
  }));
  const fixed = heads.reduce((n, h) => n + h.title.length + (h.author?.length ?? 0), 0) + footer.length;
  const per = Math.min(LIMITS.embedDescription, Math.floor((LIMITS.embedsTotal - fixed) / quotes.length));
  const embeds: APIEmbed[] = quotes.map((q, i) => {
    const also = alsoReported(q.alsoIn, Math.min(600, Math.floor(per / 3)));
    const body = blockQuote(q, per - (also ? also.length + 2 : 0));
    const url = safeUrl(q.source.url);
    return {
      color: COLOR.answer,
      title: heads[i].title,
      ...(url ? { url } : {}),
      ...(heads[i].author ? { author: { name: heads[i].author! } } : {}),
      description: also ? `${body}\n\n${also}` : body,
      ...(i === quotes.length - 1 ? { footer: { text: footer } } : {}),
    };
  });
  const components: ButtonRow[] = [
    {
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Show context', custom_id: contextCustomId(quotes) }],
    },
  ];
  return { content: questionLine(answer.question), embeds, components, allowedMentions: NO_MENTIONS };
}

/** The sources do not answer: say so plainly, quote nothing, point to /sources. */
export function renderAbstain(question: string): Reply {
  return {
    content: `${questionLine(question)}\nThe source articles don't answer this question, so I have nothing to quote. Try rephrasing it, or see \`/sources\` for what the articles cover.`,
    embeds: [],
    components: [],
    allowedMentions: NO_MENTIONS,
  };
}

/** "Show context": the sentences around each quote, for whoever pressed the button. */
export function renderContext(quotes: Quote[], missing: number): Reply {
  if (quotes.length === 0) {
    return {
      content: "I can't find the context of that answer any more (the bot restarted or the answer is too old). Ask again with `/ask`.",
      allowedMentions: NO_MENTIONS,
    };
  }
  const shown = quotes.slice(0, LIMITS.embeds);
  const titles = shown.map((q) => truncate(escapeText(oneLine(q.source.title) || 'Untitled article'), LIMITS.embedTitle));
  const per = Math.min(LIMITS.embedDescription, Math.floor((LIMITS.embedsTotal - titles.reduce((n, t) => n + t.length, 0)) / shown.length));
  const embeds = shown.map((q, i): APIEmbed => {
    const third = Math.floor(per / 3) - 4;
    const before = q.context.before ? fitContext(q.context.before, third, 'before') : '';
    const after = q.context.after ? fitContext(q.context.after, third, 'after') : '';
    const middle = blockQuote(q, per - before.length - after.length - 4);
    const url = safeUrl(q.source.url);
    return {
      color: COLOR.muted,
      title: titles[i],
      ...(url ? { url } : {}),
      description: [before, middle, after].filter(Boolean).join('\n'),
    };
  });
  const note = missing > 0 ? `Context for ${plural(missing, 'quote')} is no longer available.` : undefined;
  return { ...(note ? { content: note } : {}), embeds, allowedMentions: NO_MENTIONS };
}

/** Context before a quote is cut from its start (keeping the end next to the quote); after, from its end. */
function fitContext(text: string, max: number, side: 'before' | 'after'): string {
  const t = oneLine(text);
  if (max < 10) return '';
  if (side === 'after') return fitRendered(t, max, (n, cut) => `${escapeText(t.slice(0, n).trimEnd())}${cut ? ` ${ELLIPSIS}` : ''}`);
  // Cut the reversed word list so whole words are kept at the end.
  const rendered = escapeText(t);
  if (rendered.length <= max) return rendered;
  const words = t.split(' ');
  let out = '';
  for (let i = words.length - 1; i >= 0; i--) {
    const next = escapeText(words.slice(i).join(' '));
    if (next.length + 2 > max) break;
    out = next;
  }
  return out ? `${ELLIPSIS} ${out}` : '';
}

// ---------------------------------------------------------------------------------------------------------------
// Other commands

export function renderEmptyQuestion(): Reply {
  return { content: 'Please type a question after `/ask`, for example: *How long did the leaders meet?*', allowedMentions: NO_MENTIONS };
}

export function renderQuestionError(message: string): Reply {
  return { content: truncate(message, LIMITS.content), allowedMentions: NO_MENTIONS };
}

export function renderCooldown(untilMs: number): Reply {
  return {
    content: `You're asking a little fast: you can ask again <t:${Math.ceil(untilMs / 1000)}:R>.`,
    allowedMentions: NO_MENTIONS,
  };
}

export function renderError(errorId: string): Reply {
  return {
    content: `Sorry, something went wrong (error id ${errorId}). The moderators can look it up in the bot's log.`,
    allowedMentions: NO_MENTIONS,
  };
}

export function renderUnknownCommand(name: string): Reply {
  return {
    content: `I don't know the command \`/${escapeMarkdown(name.slice(0, 40), { inlineCode: true }).replace(/`/g, '')}\`. It may have been removed; try \`/ask\`, \`/sources\` or \`/about\`.`,
    allowedMentions: NO_MENTIONS,
  };
}

export function renderReloadRefused(): Reply {
  return { content: 'Only moderators (Manage Server, or a moderator role) can reload the sources.', allowedMentions: NO_MENTIONS };
}

/** Autocomplete choices: at most 25, names and values at most 100 characters, no duplicates or empties. */
export function renderChoices(suggestions: string[]): Array<{ name: string; value: string }> {
  const seen = new Set<string>();
  const out: Array<{ name: string; value: string }> = [];
  for (const s of suggestions) {
    const text = oneLine(s);
    if (!text) continue;
    // The value becomes the question: cut at a word without an ellipsis. The name may show one.
    const value = text.length <= LIMITS.choiceValue ? text : text.slice(0, cutIndex(text, LIMITS.choiceValue + 2)).trimEnd();
    if (!value || seen.has(value)) continue;
    seen.add(value);
    out.push({ name: truncate(text, LIMITS.choiceName), value });
    if (out.length === LIMITS.choices) break;
  }
  return out;
}

/** Who reloaded and when, as Discord timestamps. */
export function describeReload(last: { by: { name: string } | null; at: Date }): string {
  const t = Math.floor(last.at.getTime() / 1000);
  return last.by ? `<t:${t}:f> (<t:${t}:R>) by ${escapeText(oneLine(last.by.name))}` : `<t:${t}:f> (<t:${t}:R>), at start`;
}

/** /sources: every loaded article, linked, with outlet, date and sentence count; "… and N more" past the limits. */
export function renderSources(articles: ArticleInfo[], status: EngineStatus, last: { by: { name: string } | null; at: Date }): Reply {
  const title = `Sources: ${plural(articles.length, 'article')}, ${plural(status.sentences, 'sentence')}`;
  const fields = [{ name: 'Index loaded', value: truncate(describeReload(last), LIMITS.fieldValue) }];
  const errors = status.lastReload?.errors ?? [];
  if (errors.length) {
    fields.push({
      name: 'Files not loaded',
      value: joinFitting(errors.map((e) => `\`${e.file.replace(/`/g, "'").slice(0, 100)}\``), 300, ', ') + ' (see `/reload` for reasons)',
    });
  }
  const lines = articles.map((a, i) => {
    const meta = [a.outlet ? escapeText(oneLine(a.outlet)).slice(0, 80) : null, a.published ? escapeText(oneLine(a.published)).slice(0, 40) : null].filter(Boolean);
    return `**${i + 1}.** ${link(a.title, a.url, 150)}${meta.length ? ` — ${meta.join(', ')}` : ''} · ${plural(a.sentences, 'sentence')}`;
  });
  const room = Math.min(LIMITS.embedDescription, LIMITS.embedsTotal - title.length - fields.reduce((n, f) => n + f.name.length + f.value.length, 0));
  const description = lines.length ? joinFitting(lines, room, '\n') : 'No articles are loaded.';
  return { embeds: [{ color: COLOR.answer, title, description, fields }], allowedMentions: NO_MENTIONS };
}

export function renderReloadProgress(progress: ReloadProgress, elapsedMs: number): Reply {
  const what =
    progress.phase === 'reading'
      ? 'reading the data folder'
      : progress.phase === 'embedding'
        ? `embedding sentences ${progress.done.toLocaleString('en-US')}/${progress.total.toLocaleString('en-US')}`
        : 'building the index';
  return { content: `Reloading… ${what} (${formatMs(elapsedMs)} so far). The current index keeps answering meanwhile.`, allowedMentions: NO_MENTIONS };
}

/** /reload's report: counts, files added/changed/removed, each bad file with its reason, time taken. */
export function renderReloadReport(report: ReloadReport): Reply {
  const fileList = (files: string[]) =>
    files.length ? joinFitting(files.map((f) => `\`${f.replace(/`/g, "'").slice(0, 200)}\``), LIMITS.fieldValue, ', ') : 'none';
  const fields = [
    { name: `Added (${files(report.added)})`, value: fileList(report.added) },
    { name: `Changed (${files(report.changed)})`, value: fileList(report.changed) },
    { name: `Removed (${files(report.removed)})`, value: fileList(report.removed) },
  ];
  if (report.errors.length) {
    fields.push({
      name: `Not loaded (${files(report.errors.length)})`,
      value: joinFitting(
        report.errors.map((e) => `\`${e.file.replace(/`/g, "'").slice(0, 150)}\`: ${escapeText(oneLine(e.reason)).slice(0, 300)}`),
        LIMITS.fieldValue,
        '\n',
      ),
    });
  }
  const counts = `**${plural(report.articles, 'article')}, ${plural(report.sentences, 'sentence')}** · ${plural(report.embedded, 'sentence')} newly embedded · took ${formatMs(report.tookMs)} · model: ${escapeText(report.model)}`;
  const description = report.ok
    ? counts
    : `The reload failed: ${escapeText(oneLine(report.error ?? 'unknown error')).slice(0, 1500)}\nThe previous index keeps serving answers (${plural(report.articles, 'article')}, ${plural(report.sentences, 'sentence')}).`;
  return {
    content: '',
    embeds: [{ color: report.ok ? COLOR.ok : COLOR.bad, title: report.ok ? 'Sources reloaded' : 'Reload failed — the old index keeps serving', description, fields }],
    allowedMentions: NO_MENTIONS,
  };
}

function files(n: string[] | number): string {
  return String(typeof n === 'number' ? n : n.length);
}

export interface AboutInfo {
  status: EngineStatus;
  startedAt: Date;
  now: Date;
  lastReload: { by: { name: string } | null; at: Date };
  asks: number;
  p50: number | null;
  p95: number | null;
}

export function renderAbout(info: AboutInfo): Reply {
  const { status } = info;
  const times = info.p50 === null ? 'no questions yet' : `p50 ${formatMs(info.p50)}, p95 ${formatMs(info.p95 ?? info.p50)} over ${plural(info.asks, 'question')}`;
  return {
    embeds: [
      {
        color: COLOR.answer,
        title: 'About this bot',
        description:
          'I answer questions about the news event with **verbatim sentences** from the source articles — no generated text. Every quote links to its article.',
        fields: [
          { name: 'Embedding model', value: escapeText(status.model).slice(0, 1000), inline: true },
          { name: 'Index', value: `${plural(status.articles, 'article')}, ${plural(status.sentences, 'sentence')}${status.reloading ? ' (reloading…)' : ''}`, inline: true },
          { name: 'Uptime', value: formatUptime(info.now.getTime() - info.startedAt.getTime()), inline: true },
          { name: 'Last reload', value: truncate(describeReload(info.lastReload), LIMITS.fieldValue) },
          { name: '/ask answer times since start', value: times },
        ],
      },
    ],
    allowedMentions: NO_MENTIONS,
  };
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

// ---------------------------------------------------------------------------------------------------------------
// Checking

/** Every way a payload breaks Discord's limits or the bot's own rules (empty when it is fine). */
export function limitViolations(reply: Reply): string[] {
  const v: string[] = [];
  if (!reply.allowedMentions || JSON.stringify(reply.allowedMentions) !== '{"parse":[]}') v.push('allowedMentions must be { parse: [] }');
  if ((reply.content?.length ?? 0) > LIMITS.content) v.push(`content ${reply.content!.length} > ${LIMITS.content}`);
  const embeds = reply.embeds ?? [];
  if (embeds.length > LIMITS.embeds) v.push(`${embeds.length} embeds > ${LIMITS.embeds}`);
  let total = 0;
  embeds.forEach((e, i) => {
    total += embedLength(e);
    if ((e.title?.length ?? 0) > LIMITS.embedTitle) v.push(`embed ${i} title too long`);
    if ((e.description?.length ?? 0) > LIMITS.embedDescription) v.push(`embed ${i} description ${e.description!.length} > ${LIMITS.embedDescription}`);
    if ((e.footer?.text.length ?? 0) > LIMITS.embedFooter) v.push(`embed ${i} footer too long`);
    if ((e.author?.name.length ?? 0) > LIMITS.embedAuthor) v.push(`embed ${i} author too long`);
    if ((e.fields?.length ?? 0) > LIMITS.fields) v.push(`embed ${i} has too many fields`);
    for (const f of e.fields ?? []) {
      if (f.name.length > LIMITS.fieldName || f.name.length === 0) v.push(`embed ${i} field name length ${f.name.length}`);
      if (f.value.length > LIMITS.fieldValue || f.value.length === 0) v.push(`embed ${i} field value length ${f.value.length}`);
    }
  });
  if (total > LIMITS.embedsTotal) v.push(`embeds total ${total} > ${LIMITS.embedsTotal}`);
  for (const row of reply.components ?? []) {
    for (const c of row.components) {
      if ('custom_id' in c && c.custom_id.length > LIMITS.customId) v.push(`custom_id ${c.custom_id.length} > ${LIMITS.customId}`);
    }
  }
  return v;
}
