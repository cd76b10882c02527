/** /sources: the loaded articles, and when the index was last (re)loaded and by whom. */
import { ApplicationCommandType, MessageFlags } from 'discord.js';
import type { ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { BotContext, Command } from '../src/bot/context';
import { renderSources } from '../src/bot/render';

export const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'sources',
  type: ApplicationCommandType.ChatInput,
  description: 'List the source articles the answers are quoted from.',
};

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const reply = renderSources(ctx.engine.articles(), ctx.engine.status(), ctx.state.lastReload);
  await interaction.reply({ ...reply, flags: MessageFlags.Ephemeral });
}

export const command: Command = { definition, execute };
