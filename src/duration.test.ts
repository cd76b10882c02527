import { describe, expect, it } from 'vitest';
import { formatMs } from './duration';

describe('formatMs', () => {
  it('tells milliseconds, seconds to a tenth, then minutes and seconds', () => {
    expect([0, 840, 999.4, 1000, 12_345, 59_940, 95_000, 3_601_000].map(formatMs)).toEqual(['0 ms', '840 ms', '999 ms', '1.0 s', '12.3 s', '59.9 s', '1 min 35 s', '60 min 1 s']);
  });

  it('rounds before it chooses the unit, so no unit shows its next one ("60.0 s", "1 min 60 s", "1000 ms")', () => {
    expect([999.6, 59_960, 119_700].map(formatMs)).toEqual(['1.0 s', '1 min 0 s', '2 min 0 s']);
  });
});

describe('formatMs on what is no duration', () => {
  it('never shows a minus sign or "NaN min NaN s" to a member', () => {
    // A negative time (a clock set back) read "-1500 ms", in milliseconds whatever its size; no number "NaN min NaN s".
    expect([-0.4, -1500, -90_000].map(formatMs)).toEqual(['0 ms', '0 ms', '0 ms']);
    expect([Number.NaN, Number.POSITIVE_INFINITY].map(formatMs)).toEqual(['an unknown time', 'an unknown time']);
  });
});
