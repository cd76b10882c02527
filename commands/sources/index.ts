/** /sources [page] [find]: a page of the loaded articles, and when the index was (re)loaded and by whom; privately. */
import { serverRefusal, type Command, type CommandCall } from '../command';
import { definition } from './definition';
import { renderSources, type SourcesQuery } from './render';

export const command: Command = {
  definition,
  async execute(call, respond, ctx) {
    // Who can add articles, as the moderator commands would judge a moderator here (an empty index says so).
    const refusal = serverRefusal(call.guildId, ctx);
    await respond.reply(renderSources(ctx.engine.articles(), ctx.engine.status(), sourcesQuery(call.options), refusal), { ephemeral: true });
  },
};

/**
 * The page and words asked for, as the member's client sent them: a page that is no number is left to the
 * renderer's message (NaN), as is a page below 1; a find of another type is ignored.
 * @example sourcesQuery({ page: 2, find: 'putin' }) // { page: 2, find: 'putin' }
 */
export function sourcesQuery(options: CommandCall['options']): SourcesQuery {
  const { page, find } = options;
  return {
    ...(page !== undefined ? { page: typeof page === 'number' ? page : NaN } : {}),
    ...(typeof find === 'string' ? { find } : {}),
  };
}
