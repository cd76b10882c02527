/** Who counts as a moderator, and how to name a member in logs and replies. */
import { PermissionFlagsBits } from 'discord.js';
import type { BaseInteraction } from 'discord.js';

/** Roles of the member who used the interaction: a cached GuildMember or the raw API member. */
function memberRoleIds(interaction: BaseInteraction): string[] {
  const member = interaction.member as unknown;
  if (!member || typeof member !== 'object') return [];
  const roles = (member as { roles?: unknown }).roles;
  if (Array.isArray(roles)) return roles.map(String);
  const cache = (roles as { cache?: Map<string, unknown> } | undefined)?.cache;
  return cache ? [...cache.keys()] : [];
}

/** Manage Server in this channel, or one of the configured moderator roles. */
export function isModerator(interaction: BaseInteraction, moderatorRoleIds: string[]): boolean {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  if (moderatorRoleIds.length === 0) return false;
  const roles = new Set(memberRoleIds(interaction));
  return moderatorRoleIds.some((id) => roles.has(id));
}

export function displayName(interaction: BaseInteraction): string {
  const member = interaction.member as { nick?: string | null; displayName?: string } | null;
  return member?.displayName ?? member?.nick ?? interaction.user.globalName ?? interaction.user.username;
}
