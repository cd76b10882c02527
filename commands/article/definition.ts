/**
 * /article add file:<attachment> | url:<link> and /article remove article:<id> (moderators), as plain data.
 * Registered for members with Manage Server only; the behaviour checks again, like /reload.
 */
import { ApplicationCommandOptionType, ApplicationCommandType, InteractionContextType, PermissionFlagsBits } from 'discord.js';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

export const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'article',
  type: ApplicationCommandType.ChatInput,
  description: 'Moderators: add or remove a source article.',
  default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'add',
      description: 'Add an article from a file or a link (give exactly one).',
      options: [
        {
          type: ApplicationCommandOptionType.Attachment,
          name: 'file',
          description: 'A page saved from a browser (.html), Markdown with front matter (.md) or scraped text (.txt)',
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'url',
          description: 'An http(s) link to a news article',
          max_length: 2000,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'remove',
      description: 'Remove a loaded article (its file is kept aside, not deleted).',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'article',
          description: 'The article: start typing its title or file name',
          required: true,
          autocomplete: true,
        },
      ],
    },
  ],
};
