/** /sources: the loaded articles, and when the index was last (re)loaded and by whom; privately. */
import type { Command } from '../command';
import { definition } from './definition';
import { renderSources } from './render';

export const command: Command = {
  definition,
  async execute(_call, respond, ctx) {
    await respond.reply(renderSources(ctx.engine.articles(), ctx.engine.status()), { ephemeral: true });
  },
};
