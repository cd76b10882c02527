import { describe, expect, it } from 'vitest';
import { percentile } from './percentiles';

describe('percentile (nearest rank)', () => {
  it('picks the smallest value with p percent at or below it', () => {
    expect(percentile([40, 10, 30, 20], 50)).toBe(20);
    expect(percentile([40, 10, 30, 20], 95)).toBe(40);
    expect(percentile([40, 10, 30, 20], 0)).toBe(10);
    expect(percentile([40, 10, 30, 20], 100)).toBe(40);
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
  });

  it('is null without values and leaves its input alone', () => {
    expect(percentile([], 50)).toBeNull();
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });
});
