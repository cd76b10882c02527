import { describe, expect, it } from 'vitest';
import { runAtOnce, runInSlices, SLICE_MS, type Sliced } from './slices';

/** `steps` steps of at least 1 ms of busy work each, noting each in `log`; returns how many it took. */
function* busy(steps: number, name: string, log: string[]): Sliced<number> {
  for (let i = 0; i < steps; i++) {
    for (const end = performance.now() + 1; performance.now() < end; );
    log.push(name);
    yield;
  }
  return steps;
}

/** The steps logged between two ticks of a timer, round by round. */
const rounds = (log: string[]) => log.join('').split('T').map((r) => r.length);

describe('sliced work', () => {
  it('run at once, holds the thread to its end: a timer due meanwhile waits', async () => {
    const log: string[] = [];
    const tick = setInterval(() => log.push('T'), 1);
    expect(runAtOnce(busy(10 * SLICE_MS, 'a', log))).toBe(10 * SLICE_MS);
    await new Promise((resolve) => setTimeout(resolve, 5));
    clearInterval(tick);
    expect(rounds(log)[0]).toBe(10 * SLICE_MS);
  });

  it('run in slices, gives a timer its turn every slice, runs side by side sharing each slice, and returns the same', async () => {
    const log: string[] = [];
    const tick = setInterval(() => log.push('T'), 1);
    const done = await Promise.all([runInSlices(busy(10 * SLICE_MS, 'a', log)), runInSlices(busy(10 * SLICE_MS, 'b', log))]);
    clearInterval(tick);
    expect(done).toEqual([10 * SLICE_MS, 10 * SLICE_MS]);
    // Steps take at least 1 ms: a slice holds at most SLICE_MS of them (and a step of each run waiting for the
    // turn), however busy the machine. Runs each taking a slice of their own would hold twice that.
    expect(Math.max(...rounds(log))).toBeLessThanOrEqual(SLICE_MS + 2);
    expect(rounds(log).length).toBeGreaterThan(10);
  });

  it('passes on what the work throws', async () => {
    function* failing(): Sliced<never> {
      yield;
      throw new Error('not an article');
    }
    await expect(runInSlices(failing())).rejects.toThrow('not an article');
    expect(() => runAtOnce(failing())).toThrow('not an article');
  });
});
