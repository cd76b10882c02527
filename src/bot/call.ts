/** Plain values from a discord.js interaction, for the command behaviours: who used it, and its options. */
import { PermissionFlagsBits, type BaseInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { CommandCall, Member } from '../../commands/command';

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

/** A slash command's options by name (top-level options; our commands have no sub-commands). */
export function callOf(interaction: ChatInputCommandInteraction): CommandCall {
  return {
    options: Object.fromEntries(interaction.options.data.map((o) => [o.name, o.value])),
    member: memberOf(interaction),
    guildId: interaction.guildId,
  };
}
