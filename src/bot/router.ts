/**
 * The one place that maps interactions to command behaviours: slash commands by name, autocomplete by
 * command name, buttons by custom-id prefix. Whatever a command throws is caught here: the member gets an
 * ephemeral "something went wrong (error id …)" and the same id is logged with the error.
 */
import { randomBytes } from 'node:crypto';
import { MessageFlags } from 'discord.js';
import type { Interaction, RepliableInteraction } from 'discord.js';
import type { BotContext, Command } from './context';
import { renderError, renderUnknownCommand } from './render';

export interface Router {
  handle(interaction: Interaction): Promise<void>;
}

export function newErrorId(): string {
  return randomBytes(3).toString('hex').toUpperCase();
}

export function createRouter(commands: Command[], ctx: BotContext): Router {
  const byName = new Map(commands.map((c) => [c.definition.name, c]));
  const byPrefix = new Map(commands.flatMap((c) => (c.buttons ? [[c.buttons.prefix, c.buttons] as const] : [])));

  async function dispatch(interaction: Interaction): Promise<string | undefined> {
    if (interaction.isChatInputCommand()) {
      const command = byName.get(interaction.commandName);
      if (!command) {
        ctx.log.warn('unknown command', { command: interaction.commandName, user: interaction.user.id });
        await interaction.reply({ ...renderUnknownCommand(interaction.commandName), flags: MessageFlags.Ephemeral });
        return interaction.commandName;
      }
      await command.execute(interaction, ctx);
      return interaction.commandName;
    }
    if (interaction.isAutocomplete()) {
      const command = byName.get(interaction.commandName);
      if (command?.autocomplete) await command.autocomplete(interaction, ctx);
      else await interaction.respond([]);
      return `${interaction.commandName} (autocomplete)`;
    }
    if (interaction.isButton()) {
      const prefix = interaction.customId.split(':', 1)[0];
      const handler = byPrefix.get(prefix);
      if (!handler) {
        ctx.log.warn('unknown button', { customId: interaction.customId.slice(0, 100), user: interaction.user.id });
        await interaction.reply({ content: 'That button no longer does anything.', allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral });
        return `button ${prefix}`;
      }
      await handler.handle(interaction, ctx);
      return `button ${prefix}`;
    }
    return undefined;
  }

  return {
    async handle(interaction) {
      const started = performance.now();
      try {
        const what = await dispatch(interaction);
        if (what) ctx.log.debug('interaction handled', { what, user: interaction.user.id, ms: Math.round(performance.now() - started) });
      } catch (err) {
        const errorId = newErrorId();
        const what = interaction.isCommand() || interaction.isAutocomplete() ? interaction.commandName : interaction.isButton() ? `button ${interaction.customId.slice(0, 100)}` : interaction.type;
        ctx.log.error('interaction failed', { errorId, what, user: interaction.user.id, guild: interaction.guildId, err });
        await tellMember(interaction, errorId).catch((replyErr) => {
          ctx.log.warn('could not tell the member about the error', { errorId, err: replyErr });
        });
      }
    },
  };
}

async function tellMember(interaction: Interaction, errorId: string): Promise<void> {
  if (interaction.isAutocomplete()) {
    if (!interaction.responded) await interaction.respond([]);
    return;
  }
  if (!interaction.isRepliable()) return;
  const i = interaction as RepliableInteraction;
  const body = renderError(errorId);
  if (i.deferred && !i.replied) {
    if (i.ephemeral) {
      await i.editReply(body);
      return;
    }
    // A public "thinking…" must not turn into a public error: remove it and tell the member privately.
    await i.deleteReply().catch(() => undefined);
    await i.followUp({ ...body, flags: MessageFlags.Ephemeral });
  } else if (i.replied) await i.followUp({ ...body, flags: MessageFlags.Ephemeral });
  else await i.reply({ ...body, flags: MessageFlags.Ephemeral });
}
