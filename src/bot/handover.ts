/**
 * A reply that outlives its interaction. Discord takes edits and follow-ups of an interaction for 15 minutes (its
 * token's life); after that they fail (50027 Invalid Webhook Token, 10015 Unknown Webhook), and a moderator whose
 * /reload ran longer never saw how it ended. So before then `respondTo` hands the reply over to a message of the
 * bot's own, which it may edit as long as it likes: a direct message to the member when the reply was private (in
 * the channel, a moderator's report would show everyone what only moderators see), a message in the channel when
 * the reply was public (a direct message when the bot may not post there). The interaction's reply, still editable
 * then, says where it went on, or, when neither way was open, what the member can do (`handoverNote`).
 */
import { DiscordAPIError, RESTJSONErrorCodes, Routes, type RepliableInteraction } from 'discord.js';
import type { Reply } from '../discord/reply';
import { LIMITS } from '../discord/limits';
import { cut } from '../discord/text';

/** How long Discord takes edits and follow-ups of an interaction. */
export const INTERACTION_TOKEN_MS = 15 * 60_000;
/** When the reply is handed over: a minute before the token ends, so the note in the reply still gets there. */
export const HANDOVER_AFTER_MS = INTERACTION_TOKEN_MS - 60_000;

/** Discord's answer to an edit or follow-up of an interaction whose token has ended. */
export function tokenEnded(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === RESTJSONErrorCodes.InvalidWebhookToken || code === RESTJSONErrorCodes.UnknownWebhook;
}

/**
 * Why a direct message to the member failed, as they are told: "may be closed to this server" only for Discord's
 * 50007 (Cannot send messages to this user: they take none from this server's members, or blocked the bot); another
 * refusal or an outage is not theirs to mend (it was told them as closed messages all the same).
 * @example directMessageFailure({ code: 50007 }) // 'they may be closed to this server'
 */
export function directMessageFailure(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === RESTJSONErrorCodes.CannotSendMessagesToThisUser) return 'they may be closed to this server';
  return err instanceof DiscordAPIError ? 'Discord refused it' : 'Discord was unavailable';
}

/** The bot's own message the reply went on in: `edit` shows the next progress or the answer in it. */
export interface Handover {
  /** 'dm' when the reply was private, 'channel' when it was public. */
  where: 'dm' | 'channel';
  edit(reply: Reply): Promise<void>;
  /** Sends another message there (a second answer, as a follow-up would be; or the answer when `edit` found none). */
  send(reply: Reply): Promise<void>;
  /** Deletes the message (a private answer goes elsewhere: the channel's message must not stay saying it goes on there). */
  remove(): Promise<void>;
}

/** What the interaction was, for the notes: its slash command, else "request". */
function what(interaction: RepliableInteraction): string {
  return interaction.isChatInputCommand() ? `\`/${interaction.commandName}\`` : 'request';
}

/**
 * What a member can do about an answer that cannot reach them, by command: a reload's and an article's outcome
 * show elsewhere once they end (`/about`'s last reload, `/sources`); any other answer (an `/ask`'s) shows nowhere
 * else, so it is asked again. `/about` shows no `/ask` answer: pointing an asker there told them something untrue.
 */
function whereElse(command: string | null): string {
  if (command === 'reload') return 'When it ends, `/about` shows how the last reload went.';
  if (command === 'article') return 'When it ends, `/sources` shows whether the article is there.';
  return `An answer after that cannot reach you: please ${command === 'ask' ? 'ask' : 'try'} again.`;
}

/**
 * The note the interaction's reply is edited into: where it goes on, or, when no way was open (null), what the
 * member can do (`command`: the slash command's name, null for a button; `dmFailure`: why the direct message failed,
 * `directMessageFailure`).
 * @example handoverNote('dm', true, 'reload') // { content: 'This is taking longer than the 15 minutes Discord lets me update this reply, so I sent you a direct message: it goes on there.' }
 */
export function handoverNote(where: Handover['where'] | null, privately: boolean, command: string | null, dmFailure = ''): Reply {
  const lead = 'This is taking longer than the 15 minutes Discord lets me update this reply';
  if (where === 'dm') return { content: `${lead}, so I sent you a direct message: it goes on there.` };
  if (where === 'channel') return { content: `${lead}, so it goes on in a new message in this channel.` };
  const why = `I could not send you a direct message${dmFailure && ` (${dmFailure})`}${privately ? '' : ' nor post in this channel'}`;
  return { content: `${lead}, and ${why}. ${whereElse(command)}` };
}

/**
 * What the channel's message (a public reply handed over) becomes when the answer was private and the reply's note
 * still points there (its token ended): where the answer went, by direct message (`'dm'`) or privately in the
 * interaction, or (null) that it could reach the member by neither (`dmFailure`: why, `directMessageFailure`), rather
 * than vanish or wait for ever.
 * @example privateAnswerTold('dm', 'ask') // { content: 'Its answer was for the member who asked alone: I sent it to them by direct message.' }
 */
export function privateAnswerTold(sent: 'dm' | 'privately' | null, command: string | null, dmFailure = ''): Reply {
  const lead = 'Its answer was for the member who asked alone';
  if (sent) return { content: `${lead}: ${sent === 'dm' ? 'I sent it to them by direct message' : 'they were shown it privately'}.` };
  const again = command === 'ask' ? 'ask' : 'try';
  return { content: `${lead}, and I could not send it to them by direct message${dmFailure && ` (${dmFailure})`}: they may ${again} again.` };
}

/** The message body as the REST API takes it: no mention allowed whatever the text says. */
function apiBody(reply: Reply) {
  return { content: reply.content ?? '', embeds: reply.embeds ?? [], components: reply.components ?? [], allowed_mentions: { parse: [] } };
}

/**
 * Posts the bot's own message for `interaction`, by direct message or in its channel (`first` in it, after a line
 * saying what it is), and returns how to edit it; throws Discord's error when it may not (direct messages closed:
 * 50007; no right to post: 50013, 50001).
 */
export async function handOver(interaction: RepliableInteraction, byDm: boolean, first: Reply): Promise<Handover> {
  const { rest } = interaction.client;
  const channelId = byDm
    ? ((await rest.post(Routes.userChannels(), { body: { recipient_id: interaction.user.id } })) as { id: string }).id
    : interaction.channelId;
  if (!channelId) throw new Error('the interaction names no channel');
  const where = byDm ? 'dm' : 'channel';
  const lead =
    where === 'dm'
      ? `About your ${what(interaction)}${interaction.channelId ? ` in <#${interaction.channelId}>` : ''}: it outlasts the 15 minutes Discord lets me update its reply, so it goes on here.`
      : `A ${what(interaction)} here outlasts the 15 minutes Discord lets me update its reply, so it goes on in this message.`;
  // The lead stays on every edit, so the message always says what it is about; the reply's own text follows it.
  const withLead = (reply: Reply): Reply => ({ ...reply, content: cut(reply.content ? `${lead}\n${reply.content}` : lead, LIMITS.content) });
  const posted = (await rest.post(Routes.channelMessages(channelId), { body: apiBody(withLead(first)) })) as { id: string };
  return {
    where,
    async edit(reply) {
      await rest.patch(Routes.channelMessage(channelId, posted.id), { body: apiBody(withLead(reply)) });
    },
    async send(reply) {
      await rest.post(Routes.channelMessages(channelId), { body: apiBody(withLead(reply)) });
    },
    async remove() {
      await rest.delete(Routes.channelMessage(channelId, posted.id));
    },
  };
}
