/** For the intake's tests: the `IntakeError` a call was refused with (anything else fails the test). */
import { IntakeError } from './errors';

/** @example expect((await refusal(fetchPage('ftp://x', options))).kind).toBe('bad-link') */
export async function refusal(work: Promise<unknown> | (() => unknown)): Promise<IntakeError> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (err) {
    if (err instanceof IntakeError) return err;
    throw err;
  }
  throw new Error('not refused');
}

/**
 * The worst delay of a 10 ms timer on this thread while `work` runs, and how long it ran. A thread held to the end
 * never runs the timer at all, so the last gap counts too.
 * @example expect((await worstTimerLag(() => extractInWorker(html, null))).lag).toBeLessThan(250)
 */
export async function worstTimerLag(work: () => unknown): Promise<{ lag: number; took: number }> {
  const started = performance.now();
  let last = started;
  let lag = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    lag = Math.max(lag, now - last - 10);
    last = now;
  }, 10);
  await work();
  clearInterval(tick);
  const ended = performance.now();
  return { lag: Math.max(lag, ended - last - 10), took: ended - started };
}
