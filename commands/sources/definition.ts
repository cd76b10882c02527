/** /sources, as plain data. */
import { ApplicationCommandType } from 'discord.js';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

export const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'sources',
  type: ApplicationCommandType.ChatInput,
  description: 'List the source articles the answers are quoted from.',
};
