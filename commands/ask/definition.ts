/** /ask question:<text> [count:1–5] [private:true], as plain data. */
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

/**
 * Discord's `max_length` for the question: a chat-sized question. The engine refuses only longer ones
 * (`MAX_QUESTION_LENGTH`, 1,000; a test checks this one is not larger), so a question Discord lets through is
 * never refused for its length; a client that ignores this limit still meets the engine's.
 */
export const DISCORD_QUESTION_MAX_LENGTH = 300;

/** How many quotes a member may ask for (the engine itself allows up to 10). */
export const QUOTE_COUNT = { min: 1, max: 5, default: 3 } as const;

export const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'ask',
  type: ApplicationCommandType.ChatInput,
  description: 'Ask a question about the news event; get verbatim quotes from the source articles.',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'question',
      description: 'Your question, e.g. "How long did Obama and Putin meet?"',
      required: true,
      max_length: DISCORD_QUESTION_MAX_LENGTH,
      autocomplete: true,
    },
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'count',
      description: `How many quotes at most (${QUOTE_COUNT.min}–${QUOTE_COUNT.max}, default ${QUOTE_COUNT.default})`,
      min_value: QUOTE_COUNT.min,
      max_value: QUOTE_COUNT.max,
    },
    {
      type: ApplicationCommandOptionType.Boolean,
      name: 'private',
      description: 'Only you see the answer',
    },
  ],
};
