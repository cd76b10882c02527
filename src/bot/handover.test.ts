import { DiscordAPIError, HTTPError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { limitViolations } from '../discord/limits';
import { directMessageFailure, HANDOVER_AFTER_MS, handoverNote, INTERACTION_TOKEN_MS, privateAnswerTold, tokenEnded } from './handover';

const CLOSED = 'they may be closed to this server';

describe('handover', () => {
  it("hands over before Discord's 15 minutes end, leaving time to say so in the reply", () => {
    expect(INTERACTION_TOKEN_MS).toBe(15 * 60_000);
    expect(HANDOVER_AFTER_MS).toBeLessThan(INTERACTION_TOKEN_MS);
    expect(INTERACTION_TOKEN_MS - HANDOVER_AFTER_MS).toBeGreaterThanOrEqual(30_000);
  });

  it("knows Discord's answers to an interaction whose token has ended, and only those", () => {
    expect(tokenEnded({ code: 50027, message: 'Invalid Webhook Token' })).toBe(true);
    expect(tokenEnded({ code: 10015, message: 'Unknown Webhook' })).toBe(true);
    expect(tokenEnded({ code: 50013, message: 'Missing Permissions' })).toBe(false);
    expect(tokenEnded(null)).toBe(false);
  });

  it('says in the reply where it goes on, or, when no way was open, what the member can do', () => {
    expect(handoverNote('dm', true, 'reload').content).toMatch(/so I sent you a direct message: it goes on there\.$/);
    expect(handoverNote('channel', false, 'ask').content).toMatch(/so it goes on in a new message in this channel\.$/);
    // A private reply never tried the channel: the note does not say it did.
    expect(handoverNote(null, true, 'reload', CLOSED).content).toMatch(/and I could not send you a direct message \(they may be closed to this server\)\. When it ends, `\/about` shows how the last reload went\.$/);
    expect(handoverNote(null, false, 'reload', CLOSED).content).toMatch(/\) nor post in this channel\. When it ends/);
    expect(handoverNote(null, true, 'article').content).toMatch(/\. When it ends, `\/sources` shows whether the article is there\.$/);
    // /about shows no /ask answer: an asker pointed there found nothing of theirs.
    expect(handoverNote(null, true, 'ask', CLOSED).content).toMatch(/\(they may be closed to this server\)\. An answer after that cannot reach you: please ask again\.$/);
    expect(handoverNote(null, false, null).content).toMatch(/ nor post in this channel\. An answer after that cannot reach you: please try again\.$/);
    for (const note of [handoverNote('dm', true, 'ask'), handoverNote(null, false, 'article')]) expect(limitViolations(note)).toEqual([]);
  });

  it('says direct messages may be closed only for the error that means it (50007 Cannot send messages to this user)', () => {
    const request = { files: undefined, body: undefined };
    const refused = (code: number, message: string) => new DiscordAPIError({ code, message }, code, 403, 'POST', 'https://discord.com/api/v10/channels/1/messages', request);
    expect(directMessageFailure(refused(50007, 'Cannot send messages to this user'))).toBe(CLOSED);
    // Before, every failure was told "they may be closed to this server": a member with them open was sent to change
    // a setting that was not the reason.
    expect(directMessageFailure(refused(50001, 'Missing Access'))).toBe('Discord refused it');
    expect(directMessageFailure(new HTTPError(503, 'Service Unavailable', 'POST', 'https://discord.com/api/v10/users/@me/channels', request))).toBe('Discord was unavailable');
    expect(directMessageFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe('Discord was unavailable');
    expect(handoverNote(null, true, 'ask', 'Discord refused it').content).toMatch(/ and I could not send you a direct message \(Discord refused it\)\. An answer/);
    expect(privateAnswerTold(null, 'ask', 'Discord was unavailable').content).toMatch(/ by direct message \(Discord was unavailable\): they may ask again\.$/);
  });

  it("says in the channel's message where a private answer went, or that it could reach the member by no way", () => {
    expect(privateAnswerTold('dm', 'ask').content).toBe('Its answer was for the member who asked alone: I sent it to them by direct message.');
    expect(privateAnswerTold('privately', 'reload').content).toBe('Its answer was for the member who asked alone: they were shown it privately.');
    expect(privateAnswerTold(null, 'ask', CLOSED).content).toBe(
      'Its answer was for the member who asked alone, and I could not send it to them by direct message (they may be closed to this server): they may ask again.',
    );
    expect(privateAnswerTold(null, null).content).toMatch(/: they may try again\.$/);
  });
});
