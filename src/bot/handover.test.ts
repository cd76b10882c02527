import { describe, expect, it } from 'vitest';
import { limitViolations } from '../discord/limits';
import { HANDOVER_AFTER_MS, handoverNote, INTERACTION_TOKEN_MS, privateAnswerTold, tokenEnded } from './handover';

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
    expect(handoverNote(null, true, 'reload').content).toMatch(/and I could not send you a direct message \(they may be closed to this server\)\. When it ends, `\/about` shows how the last reload went\.$/);
    expect(handoverNote(null, false, 'reload').content).toMatch(/\) nor post in this channel\. When it ends/);
    expect(handoverNote(null, true, 'article').content).toMatch(/\. When it ends, `\/sources` shows whether the article is there\.$/);
    // /about shows no /ask answer: an asker pointed there found nothing of theirs.
    expect(handoverNote(null, true, 'ask').content).toMatch(/\(they may be closed to this server\)\. An answer after that cannot reach you: please ask again\.$/);
    expect(handoverNote(null, false, null).content).toMatch(/ nor post in this channel\. An answer after that cannot reach you: please try again\.$/);
    for (const note of [handoverNote('dm', true, 'ask'), handoverNote(null, false, 'article')]) expect(limitViolations(note)).toEqual([]);
  });

  it("says in the channel's message where a private answer went, or that it could reach the member by no way", () => {
    expect(privateAnswerTold('dm', 'ask').content).toBe('Its answer was for the member who asked alone: I sent it to them by direct message.');
    expect(privateAnswerTold('privately', 'reload').content).toBe('Its answer was for the member who asked alone: they were shown it privately.');
    expect(privateAnswerTold(null, 'ask').content).toBe(
      'Its answer was for the member who asked alone, and I could not send it to them by direct message (they may be closed to this server): they may ask again.',
    );
    expect(privateAnswerTold(null, null).content).toMatch(/: they may try again\.$/);
  });
});
