import { open } from 'node:fs/promises';

/**
 * The file's bytes, or null when it holds more than `max`, read no further than that: /proc and /sys files are stat'ed
 * at size 0 (/proc/self/pagemap holds GBs), so the size `stated` is not trusted.
 */
export async function readCapped(file: string, stated: number, max: number): Promise<Uint8Array | null> {
  const handle = await open(file, 'r');
  try {
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
