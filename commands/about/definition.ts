/** /about, as plain data. */
import { ApplicationCommandType } from 'discord.js';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

export const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'about',
  type: ApplicationCommandType.ChatInput,
  description: 'What this bot is, which model it uses and how fast it answers.',
};
