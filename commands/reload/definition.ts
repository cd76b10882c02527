/**
 * /reload (moderators), as plain data. Registered for members with Manage Server only; the behaviour checks
 * again (Manage Server or a MODERATOR_ROLE_IDS role), since server admins can change who sees a command.
 */
import { ApplicationCommandType, InteractionContextType, PermissionFlagsBits } from 'discord.js';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

export const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'reload',
  type: ApplicationCommandType.ChatInput,
  description: 'Moderators: re-read the source articles from the data folder.',
  default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
  contexts: [InteractionContextType.Guild],
};
