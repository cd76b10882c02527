/** /sources [page:1…] [find:<words>], as plain data. */
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

/** Discord's `max_length` for `find`: a few words of a title, an outlet or a link. */
export const FIND_MAX_LENGTH = 100;

export const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'sources',
  type: ApplicationCommandType.ChatInput,
  description: 'List the source articles the answers are quoted from.',
  options: [
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'page',
      description: 'Which page of the list (15 articles a page; default 1)',
      min_value: 1,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'find',
      description: 'Only articles whose title, outlet or link holds all these words',
      max_length: FIND_MAX_LENGTH,
    },
  ],
};
