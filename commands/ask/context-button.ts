/**
 * The "Show context" button under an answer, in one place: the quotes of an answer are kept in a `QuoteStore`,
 * the button's custom id carries their keys (`ctx:<key>.<key>…`, within Discord's 100 characters), and pressing it
 * shows whoever pressed it, privately, the sentences around each quote.
 */
import { ButtonStyle, ComponentType, type APIEmbed } from 'discord.js';
import type { Quote } from '../../src/engine/types';
import { LIMITS } from '../../src/discord/limits';
import { COLOR, type ButtonRow, type Reply } from '../../src/discord/reply';
import { ELLIPSIS, blockQuote, embedTitle, escapeText, escapedCut, oneLine, plural, safeUrl } from '../../src/discord/text';
import type { BotContext, Respond } from '../command';

export const CONTEXT_PREFIX = 'ctx';

/** Quotes served recently, so "Show context" can find them again from the keys in a button's custom id. */
export class QuoteStore {
  private readonly map = new Map<string, Quote>();
  constructor(private readonly max = 5000) {}

  /** Keeps the quotes of an answer (the oldest are forgotten past `max`). */
  keep(quotes: Quote[]): void {
    for (const quote of quotes) {
      const key = quoteKey(quote);
      this.map.delete(key);
      this.map.set(key, quote);
      if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
    }
  }

  get(key: string): Quote | undefined {
    return this.map.get(key);
  }
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A short stable key for one quote (file hash + offsets, base 36). */
export function quoteKey(quote: Pick<Quote, 'source' | 'start' | 'end'>): string {
  return `${fnv1a(quote.source.file).toString(36)}-${quote.start.toString(36)}-${quote.end.toString(36)}`;
}

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

/** The quote keys in a custom id made by `contextCustomId` (none for any other id). */
export function parseContextCustomId(customId: string): string[] {
  if (!customId.startsWith(`${CONTEXT_PREFIX}:`)) return [];
  return customId
    .slice(CONTEXT_PREFIX.length + 1)
    .split('.')
    .filter((k) => /^[0-9a-z]+-[0-9a-z]+-[0-9a-z]+$/.test(k));
}

/** The row with the "Show context" button for an answer's quotes. */
export function contextButtonRow(quotes: Quote[]): ButtonRow {
  return {
    type: ComponentType.ActionRow,
    components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Show context', custom_id: contextCustomId(quotes) }],
  };
}

/** Pressed: the context of every quote still kept, privately. */
export async function pressContext(customId: string, respond: Respond, ctx: BotContext): Promise<void> {
  const keys = parseContextCustomId(customId);
  const found = keys.map((k) => ctx.state.quotes.get(k)).filter((q) => q !== undefined);
  await respond.reply(renderContext(found, found.length ? keys.length - found.length : 0), { ephemeral: true });
}

/** The sentences before and after each quote; says so when the answer is no longer kept. */
export function renderContext(quotes: Quote[], missing: number): Reply {
  if (quotes.length === 0) {
    return { content: "I can't find the context of that answer any more (the bot restarted or the answer is too old). Ask again with `/ask`." };
  }
  const shown = quotes.slice(0, LIMITS.embeds);
  const titles = shown.map((q) => embedTitle(q.source.title, 'Untitled article'));
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
  return { ...(note ? { content: note } : {}), embeds };
}

/** Context before a quote is cut from its start (keeping the end next to the quote); after, from its end. */
function fitContext(text: string, max: number, side: 'before' | 'after'): string {
  const t = oneLine(text);
  if (max < 10) return '';
  if (side === 'after') return escapedCut(t, max);
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
