import { describe, expect, it } from 'vitest';
import { Cooldowns } from './cooldowns';

describe('Cooldowns', () => {
  it('holds a member back for the cooldown after a question, others not, and not at 0 seconds', () => {
    const c = new Cooldowns(5);
    expect(c.take('a', 0)).toBeNull();
    expect(c.take('a', 1000)).toBe(5000);
    expect(c.take('b', 1000)).toBeNull();
    expect(c.take('a', 5000)).toBeNull();
    const off = new Cooldowns(0);
    expect(off.take('a', 0)).toBeNull();
    expect(off.take('a', 1)).toBeNull();
  });

  it('release ends the cooldown its own question took, so the member may ask again at once', () => {
    const c = new Cooldowns(5);
    expect(c.take('a', 0)).toBeNull();
    c.release('a', 0);
    expect(c.take('a', 10)).toBeNull();
  });

  it("release leaves a later question's cooldown alone", () => {
    // A refused question whose deferral outlasted the cooldown (Discord slow, or ASK_COOLDOWN_SECONDS=1): meanwhile
    // the member asked again, was answered and is in that question's cooldown, which the late release must not end.
    const c = new Cooldowns(1);
    expect(c.take('a', 0)).toBeNull(); // the question that will be refused
    expect(c.take('a', 1500)).toBeNull(); // the next one, answered; its cooldown runs to 2500
    c.release('a', 0);
    expect(c.take('a', 1600)).toBe(2500);
  });
});
