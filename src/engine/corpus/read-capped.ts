import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

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

/**
 * O_NONBLOCK changes nothing for a regular file's reads, and a FIFO's open returns at once. A regular file under a lease
 * (Samba's, or the tests' hold: test/hold-file.ts) refuses such an open (EAGAIN) rather than wait for the lease to be
 * broken: that one is opened again, waiting, as before.
 */
async function openWithoutWaiting(file: string) {
  try {
    return await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    return open(file, 'r');
  }
}
