/**
 * The one way the bot sends a message: every reply, edit and follow-up goes through `respondTo`, which allows no
 * mention whatever the text says, shows the controls of the sources' text instead of sending them and masks the token
 * (`shownReply`), sets the ephemeral flag when asked, and knows whether the interaction was deferred, so commands never
 * call discord.js' reply methods themselves. A deferred reply still unanswered when Discord's 15 minutes for it near
 * their end is handed over to a message of the bot's own (src/bot/handover.ts), so a long /reload's report arrives.
 */
import { MessageFlags, type RepliableInteraction } from 'discord.js';
import type { Respond } from '../../commands/command';
import { NO_MENTIONS, type Reply } from '../discord/reply';
import type { Logger } from '../log';
import { shownText } from '../shown-text';
import { directMessageFailure, handOver, handoverNote, privateAnswerTold, tokenEnded, type Handover } from './handover';

const flags = (ephemeral: boolean) => (ephemeral ? { flags: MessageFlags.Ephemeral as const } : {});

/**
 * Every string of a message body (content, embed titles, descriptions, authors, fields, footers, button labels)
 * through `shownText` (src/shown-text.ts), as the terminal prints: a quote or title holding a bidi override or another
 * control shows it as a stand-in instead of displaying reordered or hidden text. Done here, where every message
 * passes, rather than in each renderer, so no title, file name or error can slip past; the stand-ins keep every
 * length, so what the renderers cut to Discord's limits still fits. The token and its pieces are masked too (shorter
 * than they were): the sources may hold it (a link to the bot's settings file in the data folder).
 * @example shownReply({ content: 'a\u202Eb' }) // { content: 'a\uFFFDb' }
 */
export function shownReply<T>(value: T): T {
  if (typeof value === 'string') return shownText(value) as T;
  if (Array.isArray(value)) return value.map((v) => shownReply(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shownReply(v)])) as T;
  }
  return value;
}

export interface RespondOptions {
  /** Where a reply that could not be handed over, or was lost, is told. */
  log: Logger;
  /** How long after its deferral an unanswered reply is handed over (`HANDOVER_AFTER_MS`; the tests' bot sooner). */
  handoverAfterMs: number;
}

/**
 * A `Respond` for one interaction.
 * @example
 * const respond = respondTo(interaction, { log, handoverAfterMs: HANDOVER_AFTER_MS });
 * await respond.defer();
 * await respond.reply(renderError(errorId), { ephemeral: true }); // deletes the public "thinking…", answers privately
 */
export function respondTo(interaction: RepliableInteraction, { log, handoverAfterMs }: RespondOptions): Respond {
  let answered = false;
  let deferredAt: number | null = null;
  let timer: NodeJS.Timeout | undefined;
  /** Started once, when the reply is handed over; null when that failed. */
  let handover: Promise<Handover | null> | undefined;
  /** Discord has refused an edit because the token ended: nothing more is sent to the interaction. */
  let tokenGone = false;
  let shown: Reply | undefined;
  const body = (reply: Reply) => ({ ...shownReply(reply), allowedMentions: NO_MENTIONS });
  const who = () => ({ what: interaction.isCommand() ? interaction.commandName : 'button', user: interaction.user.id, guild: interaction.guildId });
  /** The slash command's name, for what a note tells the member to do; null for a button. */
  const command = interaction.isChatInputCommand() ? interaction.commandName : null;
  const toInteraction = async (send: () => Promise<unknown>) => {
    if (tokenGone) throw Object.assign(new Error('the interaction token has ended'), { code: 50027 });
    await send().catch((err: unknown) => {
      tokenGone ||= tokenEnded(err);
      throw err;
    });
  };

  const handOverOnce = () =>
    (handover ??= (async () => {
      clearTimeout(timer);
      const privately = interaction.ephemeral ?? false;
      let moved: Handover | null = null;
      let dmFailure = '';
      // A private reply only by direct message (the channel would show it to all); a public one in its channel, else so.
      for (const dm of privately ? [true] : [false, true]) {
        moved = await handOver(interaction, dm, shownReply(shown ?? { content: 'Still working on it.' })).catch((err: unknown) => {
          log.warn(`could not hand the reply over to ${dm ? 'a direct message' : 'the channel'}`, { ...who(), code: (err as { code?: unknown }).code, err });
          if (dm) dmFailure = directMessageFailure(err);
          return null;
        });
        if (moved) break;
      }
      if (moved) log.info('reply handed over', { ...who(), where: moved.where });
      await toInteraction(() => interaction.editReply(body(handoverNote(moved?.where ?? null, privately, command, dmFailure)))).catch((err: unknown) =>
        log.warn('could not say in the reply where it goes on', { ...who(), err }),
      );
      return moved;
    })());

  /**
   * A private answer after a public reply went on in the channel: by direct message, else privately in the
   * interaction while its token lasts. The public note saying it goes on in the channel goes then, with the channel's
   * message, as a public "thinking…" does; once the token has ended that note stays, so the channel's message stays
   * too, saying where the answer went, or that it could reach the member by no way (never the answer itself). A
   * channel message holding an earlier answer stays as it is.
   */
  const answerPrivately = async (moved: Handover, reply: Reply) => {
    let dmFailure = '';
    const byDm = await handOver(interaction, true, shownReply(reply))
      .then(() => true)
      .catch((err: unknown) => {
        log.warn('could not send a private answer by direct message', { ...who(), code: (err as { code?: unknown }).code, err });
        dmFailure = directMessageFailure(err);
        return false;
      });
    const sent = byDm ? 'dm' : await toInteraction(() => interaction.followUp({ ...body(reply), ...flags(true) })).then(() => 'privately' as const, () => null);
    if (!sent) log.warn("private answer lost: no direct message, and Discord no longer takes this interaction's follow-ups", who());
    const told = shownReply(privateAnswerTold(sent, command, dmFailure));
    const sayIt = (say: () => Promise<void>) => say().catch((err: unknown) => log.warn('could not say so in the channel either', { ...who(), err }));
    // The channel's message already holds an answer (this one follows it, as an error after it would): it stays.
    if (answered) return sent ? undefined : sayIt(() => moved.send(told));
    const noteGone = sent !== null && (await toInteraction(() => interaction.deleteReply()).then(() => true, () => false));
    if (noteGone) return moved.remove().catch(() => undefined);
    await sayIt(() => moved.edit(told).catch(() => moved.send(told)));
  };

  return {
    async defer({ ephemeral = false } = {}) {
      await interaction.deferReply(flags(ephemeral));
      deferredAt = Date.now();
      timer = setTimeout(handOverOnce, handoverAfterMs);
      timer.unref();
    },
    async progress(reply) {
      shown = reply;
      // Once handed over, progress goes to the bot's own message; when no way was open, nowhere: in the reply it would
      // replace the note saying where to look, and the member would see a progress frozen at the token's end.
      if (handover) {
        const moved = await handover;
        if (moved) await moved.edit(shownReply(reply));
      } else await toInteraction(() => interaction.editReply(body(reply)));
    },
    async reply(reply, { ephemeral = false } = {}) {
      clearTimeout(timer);
      // The timer can fire late (a busy event loop): an answer past the handover's time is handed over first.
      if (deferredAt !== null && !answered && Date.now() - deferredAt >= handoverAfterMs) handOverOnce();
      const moved = await handover;
      try {
        if (moved) {
          if (ephemeral && moved.where === 'channel') await answerPrivately(moved, reply);
          // Someone deleted the message meanwhile (10008 Unknown Message): the answer comes as a new one.
          else if (!answered) await moved.edit(shownReply(reply)).catch(() => moved.send(shownReply(reply)));
          else await moved.send(shownReply(reply));
        } else if (interaction.deferred && !answered) {
          if (ephemeral && !interaction.ephemeral) {
            // A private answer must not replace a public "thinking…" for all to see: delete it, answer privately.
            await toInteraction(() => interaction.deleteReply()).catch(() => undefined);
            await toInteraction(() => interaction.followUp({ ...body(reply), ...flags(true) }));
          } else await toInteraction(() => interaction.editReply(body(reply)));
        } else if (interaction.deferred || interaction.replied) await toInteraction(() => interaction.followUp({ ...body(reply), ...flags(ephemeral) }));
        else await interaction.reply({ ...body(reply), ...flags(ephemeral) });
      } catch (err) {
        // The member was told at the handover where to look; another error is the command's, for the router.
        if (!(handover && tokenEnded(err))) throw err;
        log.warn("reply lost: Discord no longer takes this interaction's edits, and it could not be handed over", { ...who(), err });
      }
      answered = true;
    },
  };
}
