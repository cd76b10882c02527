/**
 * The one place that maps interactions to command behaviours: slash commands by name, autocomplete by command
 * name, buttons by custom-id prefix. Whatever a command throws is caught here: the member gets a private
 * "something went wrong (error id …)" and the same id is logged with the error.
 */
import { randomBytes } from 'node:crypto';
import type { Interaction, RepliableInteraction } from 'discord.js';
import type { BotContext, Command, Respond } from '../../commands/command';
import type { Reply } from '../discord/reply';
import { codeSpan } from '../discord/text';
import { callOf, memberOf } from './call';
import { respondTo } from './respond';
import { visibleText } from '../visible-text';

export interface Router {
  handle(interaction: Interaction): Promise<void>;
}

export function newErrorId(): string {
  return randomBytes(3).toString('hex').toUpperCase();
}

export function renderError(errorId: string): Reply {
  return { content: `Sorry, something went wrong (error id ${errorId}). The moderators can look it up in the bot's log.` };
}

/** Inside a code span nothing is formatted and a backslash shows as one: the name as typed (`codeSpan`), not escaped. */
export function renderUnknownCommand(name: string): Reply {
  return { content: `I don't know the command ${codeSpan(`/${name}`, 41)}. It may have been removed; try \`/ask\`, \`/sources\` or \`/about\`.` };
}

/** @example const router = createRouter(await loadCommands(), ctx); client.on('interactionCreate', (i) => void router.handle(i)) */
export function createRouter(commands: Command[], ctx: BotContext): Router {
  const byName = new Map(commands.map((c) => [c.definition.name, c]));
  const byPrefix = new Map(commands.flatMap((c) => (c.button ? [[c.button.prefix, c.button] as const] : [])));

  async function dispatch(interaction: Interaction, respond: Respond | null): Promise<string | undefined> {
    if (interaction.isChatInputCommand() && respond) {
      const command = byName.get(interaction.commandName);
      if (!command) {
        ctx.log.warn('unknown command', { command: interaction.commandName, user: interaction.user.id });
        await respond.reply(renderUnknownCommand(interaction.commandName), { ephemeral: true });
      } else await command.execute(callOf(interaction), respond, ctx);
      return interaction.commandName;
    }
    if (interaction.isAutocomplete()) {
      const focused = interaction.options.getFocused(true);
      const complete = byName.get(interaction.commandName)?.autocomplete;
      const call = { member: memberOf(interaction), guildId: interaction.guildId };
      const choices = complete ? complete({ name: focused.name, value: String(focused.value ?? '') }, ctx, call) : [];
      // The names are shown (an article's title and file name): controls shown as in every message. The values
      // come back as the option (an article's file), so they stay as they are.
      await interaction.respond(choices.map((c) => ({ ...c, name: visibleText(c.name) })));
      return `${interaction.commandName} (autocomplete)`;
    }
    if (interaction.isButton() && respond) {
      const prefix = interaction.customId.split(':', 1)[0];
      const button = byPrefix.get(prefix);
      if (!button) {
        ctx.log.warn('unknown button', { customId: interaction.customId.slice(0, 100), user: interaction.user.id });
        await respond.reply({ content: 'That button no longer does anything.' }, { ephemeral: true });
      } else await button.press(interaction.customId, respond, ctx);
      return `button ${prefix}`;
    }
    return undefined;
  }

  return {
    async handle(interaction) {
      const started = performance.now();
      const respond = interaction.isRepliable() ? respondTo(interaction as RepliableInteraction) : null;
      try {
        const what = await dispatch(interaction, respond);
        if (what) ctx.log.debug('interaction handled', { what, user: interaction.user.id, ms: Math.round(performance.now() - started) });
      } catch (err) {
        const errorId = newErrorId();
        const what = interaction.isCommand() || interaction.isAutocomplete() ? interaction.commandName : interaction.isButton() ? `button ${interaction.customId.slice(0, 100)}` : interaction.type;
        ctx.log.error('interaction failed', { errorId, what, user: interaction.user.id, guild: interaction.guildId, err });
        const tell = async () => {
          if (respond) await respond.reply(renderError(errorId), { ephemeral: true });
          else if (interaction.isAutocomplete() && !interaction.responded) await interaction.respond([]);
        };
        await tell().catch((replyErr) => ctx.log.warn('could not tell the member about the error', { errorId, err: replyErr }));
      }
    },
  };
}
