/** /sources [page:1…] [find:<words>], as plain data. */
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

/** Discord's `max_length` for `find`: a few words of a title, an outlet or a link. */
export const FIND_MAX_LENGTH = 100;

/**
 * The most words a find takes: each word is a pattern run over every article's title, outlet and link, so a find's
 * cost grows with its words (at 50,000 articles ~10 ms a word when all match in the link; 31 short words ~300 ms of
 * the bot's one thread, which any member could ask for again and again).
 */
export const FIND_MAX_WORDS = 6;

/**
 * Articles per page. Pages are cut by count, never by how much text fits: page P is always the same articles of
 * the same index, and every article is on exactly one page. Lines too long to share the embed are shortened
 * instead (`fitLines` in render.ts): 15 lines of ~250 characters, a title and a link each, fill Discord's 4,096.
 */
export const PAGE_SIZE = 15;

export const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'sources',
  type: ApplicationCommandType.ChatInput,
  description: 'List the source articles the answers are quoted from.',
  options: [
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'page',
      description: `Which page of the list (${PAGE_SIZE} articles a page; default 1)`,
      min_value: 1,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'find',
      description: `Only articles whose title, outlet or link holds all these words (at most ${FIND_MAX_WORDS})`,
      max_length: FIND_MAX_LENGTH,
    },
  ],
};
