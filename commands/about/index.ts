/** /about: the model in use, the index size, uptime, last reload and /ask answer times; privately. */
import type { Command } from '../command';
import { definition } from './definition';
import { renderAbout } from './render';

export const command: Command = {
  definition,
  async execute(_call, respond, ctx) {
    const { answerTimes, startedAt } = ctx.state;
    const reply = renderAbout({
      status: ctx.engine.status(),
      startedAt,
      now: new Date(),
      asks: answerTimes.total,
      p50: answerTimes.percentile(50),
      p95: answerTimes.percentile(95),
    });
    await respond.reply(reply, { ephemeral: true });
  },
};
