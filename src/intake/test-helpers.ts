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
