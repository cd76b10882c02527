/**
 * The one way the bot sends a message: every reply, edit and follow-up goes through `respondTo`, which allows no
 * mention whatever the text says, sets the ephemeral flag when asked, and knows whether the interaction was
 * deferred, so commands never call discord.js' reply methods themselves.
 */
import { MessageFlags, type RepliableInteraction } from 'discord.js';
import type { Respond } from '../../commands/command';
import { NO_MENTIONS, type Reply } from '../discord/reply';

const flags = (ephemeral: boolean) => (ephemeral ? { flags: MessageFlags.Ephemeral as const } : {});

/**
 * A `Respond` for one interaction.
 * @example
 * const respond = respondTo(interaction);
 * await respond.defer();
 * await respond.reply({ content: 'Too long' }, { ephemeral: true }); // deletes the public "thinking…", answers privately
 */
export function respondTo(interaction: RepliableInteraction): Respond {
  let answered = false;
  const body = (reply: Reply) => ({ ...reply, allowedMentions: NO_MENTIONS });
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
