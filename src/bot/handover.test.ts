import { describe, expect, it } from 'vitest';
import { limitViolations } from '../discord/limits';
import { HANDOVER_AFTER_MS, handoverNote, INTERACTION_TOKEN_MS, tokenEnded } from './handover';

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

  it('says in the reply where it goes on, or, when no way was open, where to look', () => {
    expect(handoverNote('dm', true).content).toMatch(/so I sent you a direct message: it goes on there\.$/);
    expect(handoverNote('channel', false).content).toMatch(/so it goes on in a new message in this channel\.$/);
    // A private reply never tried the channel: the note does not say it did.
    expect(handoverNote(null, true).content).toMatch(/and I could not send you a direct message \(they may be closed to this server\)\. When it ends, `\/about` shows/);
    expect(handoverNote(null, false).content).toMatch(/\) nor post in this channel\. When it ends/);
    for (const note of [handoverNote('dm', true), handoverNote(null, false)]) expect(limitViolations(note)).toEqual([]);
  });
});
