/**
 * The one way the bot sends a message: every reply, edit and follow-up goes through `respondTo`, which allows no
 * mention whatever the text says, shows the controls of the sources' text instead of sending them (`visibleReply`),
 * sets the ephemeral flag when asked, and knows whether the interaction was deferred, so commands never call
 * discord.js' reply methods themselves.
 */
import { MessageFlags, type RepliableInteraction } from 'discord.js';
import type { Respond } from '../../commands/command';
import { NO_MENTIONS, type Reply } from '../discord/reply';
import { visibleText } from '../visible-text';

const flags = (ephemeral: boolean) => (ephemeral ? { flags: MessageFlags.Ephemeral as const } : {});

/**
 * Every string of a message body (content, embed titles, descriptions, authors, fields, footers, button labels)
 * through `visibleText`: a quote or title holding a bidi override or another control shows it as a stand-in
 * instead of displaying reordered or hidden text. Done here, where every message passes, rather than in each
 * renderer, so no title, file name or error can slip past; the stand-ins keep every length, so what the renderers
 * cut to Discord's limits still fits.
 * @example visibleReply({ content: 'a\u202Eb' }) // { content: 'a\uFFFDb' }
 */
export function visibleReply<T>(value: T): T {
  if (typeof value === 'string') return visibleText(value) as T;
  if (Array.isArray(value)) return value.map((v) => visibleReply(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visibleReply(v)])) as T;
  }
  return value;
}

/**
 * A `Respond` for one interaction.
 * @example
 * const respond = respondTo(interaction);
 * await respond.defer();
 * await respond.reply(renderError(errorId), { ephemeral: true }); // deletes the public "thinking…", answers privately
 */
export function respondTo(interaction: RepliableInteraction): Respond {
  let answered = false;
  const body = (reply: Reply) => ({ ...visibleReply(reply), allowedMentions: NO_MENTIONS });
  return {
    async defer({ ephemeral = false } = {}) {
      await interaction.deferReply(flags(ephemeral));
    },
    async progress(reply) {
      await interaction.editReply(body(reply));
    },
    async reply(reply, { ephemeral = false } = {}) {
      if (interaction.deferred && !answered) {
        if (ephemeral && !interaction.ephemeral) {
          // A private answer must not replace a public "thinking…" for all to see: delete it, answer privately.
          await interaction.deleteReply().catch(() => undefined);
          await interaction.followUp({ ...body(reply), ...flags(true) });
        } else await interaction.editReply(body(reply));
      } else if (interaction.deferred || interaction.replied) await interaction.followUp({ ...body(reply), ...flags(ephemeral) });
      else await interaction.reply({ ...body(reply), ...flags(ephemeral) });
      answered = true;
    },
  };
}
