/** For the intake's tests: the `IntakeError` a call was refused with, and this machine's name for the system's lookup. */
import { lookup } from 'node:dns/promises';
import os from 'node:os';
import { IntakeError } from './errors';

/** Anything but an `IntakeError` fails the test. @example expect((await refusal(fetchPage('ftp://x', options))).kind).toBe('bad-link') */
export async function refusal(work: Promise<unknown> | (() => unknown)): Promise<IntakeError> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (err) {
    if (err instanceof IntakeError) return err;
    throw err;
  }
  throw new Error('not refused');
}

/** This machine's name, for the tests of the system's lookup (the hosts file holds it on most systems). */
export const ownName = os.hostname().toLowerCase();

/**
 * The IPv4 address the system's lookup gives `ownName`, or null (the tests that need it are skipped) when it gives
 * none within 1 s: a name outside the hosts file goes to this machine's DNS, which may be silent (offline) for 10 s+.
 */
export async function lookupOwnName(): Promise<string | null> {
  const late = new Promise<null>((resolve) => setTimeout(resolve, 1000, null).unref());
  return Promise.race([lookup(ownName, { family: 4 }).then((a) => a.address, () => null), late]);
}
