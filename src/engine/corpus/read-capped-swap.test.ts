/**
 * A leased file swapped for a FIFO between the open that met the lease and the next one. The swap cannot be timed from
 * outside (the window is microseconds), so it is made at the edge: the real `open` of node:fs/promises, wrapped to
 * rename a FIFO over the file right after the kernel refused an open with EAGAIN. The reader's own code runs as is.
 */
import { execFileSync } from 'node:child_process';
import { constants, renameSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { canHoldFiles, holdFile } from '../../../test/hold-file';
import { hasCommand } from '../../../test/system';
import { tempDirs } from '../../../test/temp-dirs';
import { readCapped } from './read-capped';

const tmp = tempDirs();
const edge = vi.hoisted(() => ({ afterEagain: null as null | ((file: string) => void) }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const wrapped = (async (...args: Parameters<typeof real.open>) => {
    try {
      return await real.open(...args);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') edge.afterEagain?.(String(args[0]));
      throw err;
    }
  }) as typeof real.open;
  return { ...real, open: wrapped, default: { ...real, open: wrapped } };
});

describe('readCapped of a leased file', () => {
  it.runIf(canHoldFiles() && hasCommand('mkfifo'))('refuses a FIFO swapped in while it waited for the lease, without hanging on it', async () => {
    const dir = tmp('capped-swap-');
    const file = path.join(dir, 'leased.txt');
    const fifo = path.join(dir, 'fifo');
    await writeFile(file, 'The council voted on Thursday.');
    execFileSync('mkfifo', [fifo]);
    const held = await holdFile(file);
    let swaps = 0;
    edge.afterEagain = (opened) => {
      if (opened !== file || swaps++) return;
      renameSync(fifo, file);
      held.release(); // the regular file's lease goes with it: nothing else holds the reader
    };
    try {
      const outcome = readCapped(file, 30, 64).then(
        () => 'read',
        (err: Error) => err.message,
      );
      // Settled in milliseconds when the reader refuses the FIFO; 10 s tells a hang from a loaded machine's delay.
      const settled = await Promise.race([outcome, sleep(10_000).then(() => 'still waiting')]);
      // Lets an open waiting on the FIFO go (a writer comes), so a failing run leaves no thread of the pool held.
      await open(file, constants.O_WRONLY | constants.O_NONBLOCK).then((h) => h.close(), () => {});
      expect(swaps).toBe(1);
      expect(settled).toBe('not a regular file any more (it changed after it was checked)');
    } finally {
      edge.afterEagain = null;
      held.release();
    }
  }, 30_000);
});
