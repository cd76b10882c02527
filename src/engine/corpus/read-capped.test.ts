import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdtemp, open, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { canHoldFiles, holdFile } from '../../../test/hold-file';
import { hasCommand } from '../../../test/system';
import { readCapped } from './read-capped';

describe('readCapped', () => {
  it('reads no further than the limit, whatever size the file was stated at', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'capped-')), 'grown.txt');
    await writeFile(file, 'x'.repeat(100));
    expect(await readCapped(file, 100, 100)).toHaveLength(100);
    // Checked at 10 bytes, grown (or swapped) since: read no further than the limit.
    expect(await readCapped(file, 10, 64)).toBeNull();
  });

  it.runIf(hasCommand('mkfifo'))('refuses a file swapped for a FIFO after its check at once, holding no thread of the pool', async () => {
    const fifo = path.join(await mkdtemp(path.join(os.tmpdir(), 'capped-')), 'swapped.txt');
    execFileSync('mkfifo', [fifo]);
    // A plain open of a FIFO waits for a writer: the read would hold a thread of libuv's pool (four, shared with
    // every file read) until one came.
    const outcome = readCapped(fifo, 10, 64).then(
      () => 'read',
      (err: Error) => err.message,
    );
    const settled = await Promise.race([outcome, sleep(2000).then(() => 'still waiting')]);
    // Lets a waiting open go (a writer comes), so a failing run leaves no thread held.
    await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).then((h) => h.close(), () => {});
    expect(settled).toBe('not a regular file any more (it changed after it was checked)');
  });

  it.runIf(canHoldFiles())('waits for a regular file under a lease (Samba\'s), as a plain open does, and reads it', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'capped-')), 'leased.txt');
    await writeFile(file, 'The council voted on Thursday.');
    const held = await holdFile(file);
    const read = readCapped(file, 30, 64).then((bytes) => (bytes ? Buffer.from(bytes).toString() : null));
    await held.opened;
    const early = await Promise.race([read, sleep(300).then(() => 'still waiting')]);
    held.release();
    expect(early).toBe('still waiting');
    expect(await read).toBe('The council voted on Thursday.');
  });

  it.runIf(canHoldFiles())('gives up on a file whose lease is not let go, with why, rather than hold the reload', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'capped-')), 'leased.txt');
    await writeFile(file, 'The council voted on Thursday.');
    const held = await holdFile(file);
    // The real lease stays (the kernel ends it after 45 s); only the clock the reader measures its wait by is moved on.
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const read = readCapped(file, 30, 64).then(
        () => 'read',
        (err: Error) => err.message,
      );
      await held.opened;
      vi.advanceTimersByTime(121_000);
      expect(await read).toBe('held by another program (a lease) for over 120 s');
    } finally {
      vi.useRealTimers();
      held.release();
    }
  }, 30_000);
});
