/**
 * Writing the engine's own files (the index snapshot, the embedding cache) whole: every byte of a write, and a file
 * replaced only once complete, through a temporary file `${file}.${pid}.tmp` (the name `removeAbandoned` knows).
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';

/**
 * Writes the first `length` bytes of `bytes` whole, at `position` (null: where the file stands): a write that fills
 * the disk is cut short without an error (the next one fails), and a cut-off file was renamed into place as if
 * complete, unwarned.
 */
export async function writeAll(handle: FileHandle, bytes: Uint8Array, length = bytes.length, position: number | null = null): Promise<void> {
  for (let done = 0; done < length; ) done += (await handle.write(bytes, done, length - done, position === null ? null : position + done)).bytesWritten;
}

/**
 * Writes `file` whole through a temporary file renamed over it, so a reader sees the old file or the new one, never
 * a cut-off one. The temporary file is removed whatever fails (a write, the close, the rename): on a full disk it
 * held the space the next write needs.
 * @example await replaceFile('.cache/x.bin', (handle) => writeAll(handle, bytes))
 */
export async function replaceFile<T>(file: string, write: (handle: FileHandle) => Promise<T>): Promise<T> {
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    let written: T;
    try {
      written = await write(handle);
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
    return written;
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}
