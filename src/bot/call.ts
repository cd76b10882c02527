/** Plain values from a discord.js interaction, for the command behaviours: who used it, and its options. */
import { ApplicationCommandOptionType, PermissionFlagsBits, type BaseInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { AttachmentRef, CommandCall, Member } from '../../commands/command';

/** Roles of the member who used the interaction: a cached GuildMember or the raw API member. */
function memberRoleIds(interaction: BaseInteraction): string[] {
  const member = interaction.member as unknown;
  if (!member || typeof member !== 'object') return [];
  const roles = (member as { roles?: unknown }).roles;
  if (Array.isArray(roles)) return roles.map(String);
  const cache = (roles as { cache?: Map<string, unknown> } | undefined)?.cache;
  return cache ? [...cache.keys()] : [];
}

/** @example memberOf(interaction) // { id: '9100…', name: 'member0101', roleIds: [], canManageServer: false } */
export function memberOf(interaction: BaseInteraction): Member {
  const member = interaction.member as { nick?: string | null; displayName?: string } | null;
  return {
    id: interaction.user.id,
    name: member?.displayName ?? member?.nick ?? interaction.user.globalName ?? interaction.user.username,
    roleIds: memberRoleIds(interaction),
    canManageServer: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
  };
}

/** A slash command's options by name, those of its sub-command when it has one (`/article add url:…`). */
export function callOf(interaction: ChatInputCommandInteraction): CommandCall {
  const top = interaction.options.data;
  const sub = top.length === 1 && top[0].type === ApplicationCommandOptionType.Subcommand ? top[0] : null;
  const data = sub ? (sub.options ?? []) : top;
  const attachments: Record<string, AttachmentRef> = {};
  for (const o of data) if (o.attachment) attachments[o.name] = { url: o.attachment.url, name: o.attachment.name, size: o.attachment.size };
  return {
    ...(sub ? { subcommand: sub.name } : {}),
    options: Object.fromEntries(data.filter((o) => !o.attachment).map((o) => [o.name, o.value])),
    attachments,
    member: memberOf(interaction),
    guildId: interaction.guildId,
  };
}
