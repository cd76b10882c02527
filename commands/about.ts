/** /about: the model in use, the index size, uptime, last reload and /ask answer times. */
import { ApplicationCommandType, MessageFlags } from 'discord.js';
import type { ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { BotContext, Command } from '../src/bot/context';
import { renderAbout } from '../src/bot/render';

export const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'about',
  type: ApplicationCommandType.ChatInput,
  description: 'What this bot is, which model it uses and how fast it answers.',
};

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const { stats } = ctx.state;
  const reply = renderAbout({
    status: ctx.engine.status(),
    startedAt: ctx.state.startedAt,
    now: new Date(),
    lastReload: ctx.state.lastReload,
    asks: stats.total,
    p50: stats.percentile(50),
    p95: stats.percentile(95),
  });
  await interaction.reply({ ...reply, flags: MessageFlags.Ephemeral });
}

export const command: Command = { definition, execute };
