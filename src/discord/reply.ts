/**
 * The shape of a message the bot sends. Mentions and ephemerality are not part of it: the bot's one `respond`
 * helper (src/bot/respond.ts) adds `allowed_mentions: none` to every message and the ephemeral flag when asked.
 */
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** A message body for a reply, an edit of a deferred reply, or a follow-up. */
export interface Reply {
  content?: string;
  embeds?: APIEmbed[];
  components?: ButtonRow[];
}

/** Nothing is pinged, whatever the text says. */
export const NO_MENTIONS: { parse: [] } = Object.freeze({ parse: [] }) as { parse: [] };

/** Embed side colours. */
export const COLOR = { answer: 0x5865f2, muted: 0x99aab5, ok: 0x57f287, bad: 0xed4245 } as const;
