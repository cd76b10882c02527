import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The file's bytes, or null when it holds more than `max`, read no further than that: /proc and /sys files are stat'ed
 * at size 0 (/proc/self/pagemap holds GBs), so the size `stated` is not trusted. Throws when the file is no longer a
 * regular one: opened without waiting, since a file swapped for a FIFO after the caller's check would otherwise hold
 * the open, and a thread of libuv's pool (four, shared with every file read), until something wrote to it.
 */
export async function readCapped(file: string, stated: number, max: number): Promise<Uint8Array | null> {
  const handle = await openWithoutWaiting(file);
  try {
    if (!(await handle.stat()).isFile()) throw new Error('not a regular file any more (it changed after it was checked)');
    const chunks: Buffer[] = [];
    let total = 0;
    // A short read of a regular file is its end; asking one byte more than stated tells one that goes on.
    for (let want = Math.min(stated, max) + 1; ; want = Math.min(1 << 16, max + 1 - total)) {
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(want), 0, want, null);
      total += bytesRead;
      if (total > max) return null;
      chunks.push(buffer.subarray(0, bytesRead));
      if (bytesRead < want) return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    }
  } finally {
    await handle.close();
  }
}

/** Waits between two tries at a leased file: short first (Samba lets go of an oplock in milliseconds), then longer. */
const LEASE_RETRY_MS = [5, 10, 20, 50, 100, 200, 500];
/** Past the kernel's own limit (/proc/sys/fs/lease-break-time, 45 s by default), after which it breaks the lease. */
const LEASE_GIVE_UP_MS = 120_000;

/**
 * O_NONBLOCK changes nothing for a regular file's reads, and a FIFO's open returns at once. A regular file under a lease
 * (Samba's, or the tests' hold: test/hold-file.ts) refuses such an open (EAGAIN) rather than wait for the lease to be
 * broken; the kernel still tells the holder to let go, so the open is tried again, still without waiting, until it is.
 * Never a waiting open: after EAGAIN we hold no descriptor, so nothing checked beforehand (an lstat, a dev+ino) binds
 * the path a waiting open would resolve, and a FIFO renamed into place in between would hold that open until a writer
 * came. Checked afterwards, on the descriptor: readCapped's fstat.
 */
async function openWithoutWaiting(file: string) {
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      if (performance.now() - started > LEASE_GIVE_UP_MS) {
        throw new Error(`held by another program (a lease) for over ${LEASE_GIVE_UP_MS / 1000} s`, { cause: err });
      }
      await sleep(LEASE_RETRY_MS[Math.min(attempt, LEASE_RETRY_MS.length - 1)]);
    }
  }
}
