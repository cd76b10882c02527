/**
 * /reload (moderators): rebuild the index from the data folder while the old one keeps answering.
 * Registered with default_member_permissions = Manage Server, and checked here again (Manage Server or a
 * MODERATOR_ROLE_IDS role), since server admins can change who sees a command.
 */
import { ApplicationCommandType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import type { ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { ReloadProgress } from '../src/engine/types';
import type { BotContext, Command } from '../src/bot/context';
import { displayName, isModerator } from '../src/bot/permissions';
import { renderReloadProgress, renderReloadRefused, renderReloadReport } from '../src/bot/render';

export const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'reload',
  type: ApplicationCommandType.ChatInput,
  description: 'Moderators: re-read the source articles from the data folder.',
  default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
  contexts: [0],
};

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const who = { id: interaction.user.id, name: displayName(interaction) };
  if (!isModerator(interaction, ctx.config.moderatorRoleIds)) {
    ctx.log.warn('reload refused: not a moderator', { user: who.id, name: who.name, guild: interaction.guildId });
    await interaction.reply({ ...renderReloadRefused(), flags: MessageFlags.Ephemeral });
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  ctx.log.info('reload started', { user: who.id, name: who.name, guild: interaction.guildId });

  const started = Date.now();
  let lastEdit = 0;
  // Progress edits are chained so they arrive in order, and awaited before the final report replaces them.
  let edits: Promise<unknown> = Promise.resolve();
  const onProgress = (p: ReloadProgress) => {
    const now = Date.now();
    if (now - started < ctx.timing.progressAfterMs || now - lastEdit < ctx.timing.progressEveryMs) return;
    lastEdit = now;
    edits = edits.then(() => interaction.editReply(renderReloadProgress(p, now - started))).catch(() => undefined);
  };

  const report = await ctx.engine.reload({ onProgress });
  await edits;
  if (report.ok) ctx.state.lastReload = { by: who, at: report.finishedAt };
  ctx.log[report.ok ? 'info' : 'warn']('reload finished', {
    user: who.id,
    name: who.name,
    ok: report.ok,
    error: report.error,
    articles: report.articles,
    sentences: report.sentences,
    added: report.added.length,
    changed: report.changed.length,
    removed: report.removed.length,
    badFiles: report.errors.length,
    ms: report.tookMs,
  });
  await interaction.editReply(renderReloadReport(report));
}

export const command: Command = { definition, execute };
