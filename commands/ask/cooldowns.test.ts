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

  it("gives back a refused question's cooldown, not a later question's", () => {
    const c = new Cooldowns(5);
    expect(c.take('a', 0)).toBeNull();
    c.release('a', 0);
    expect(c.take('a', 1000)).toBeNull(); // released: asked again at once
    c.release('a', 0); // a refusal arriving late: the cooldown taken at 1000 stays
    expect(c.take('a', 2000)).toBe(6000);
  });
});
