/**
 * A checksummed file of named typed arrays with a JSON description, read back as views into the file's buffer
 * (no parsing of the arrays at all). The container of the index snapshot (`snapshot.ts`).
 *
 * Layout, little-endian: a 24-byte header (magic u32, version u32, description length u32, CRC-32 of everything
 * after the header u32, payload length u64), the description (UTF-8 JSON: the caller's `meta` and the section table
 * `[name, kind, byte offset in the payload, element count]`), zero padding to 8 bytes, then the payload: each section's
 * bytes, each starting on an 8-byte boundary so a typed array can view it in place.
 */
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';

const MAGIC = 0x4e534251; // "QBSN" little-endian
const HEADER_BYTES = 24;
const ALIGN = 8;
/** The arrays are written in the platform's byte order; the format is little-endian, so big-endian hosts keep none. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const KINDS = { u8: Uint8Array, u16: Uint16Array, i32: Int32Array, u32: Uint32Array, f32: Float32Array };
type Kind = keyof typeof KINDS;
export type Section = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float32Array;

/** Why a file was not used: shown in the one warning before the rebuild. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

function kindOf(a: Section): Kind {
  if (a instanceof Uint8Array) return 'u8';
  if (a instanceof Uint16Array) return 'u16';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Uint32Array) return 'u32';
  return 'f32';
}

const pad = (n: number) => (ALIGN - (n % ALIGN)) % ALIGN;
const bytesOf = (a: Section) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Writes `sections` and `meta` to `file` atomically: a temporary file beside it, renamed over it when complete,
 * so a reader sees the old file or the new one, never half of one.
 * @example await writeSectionFile('.cache/x.bin', 1, { built: 'today' }, { ids: Int32Array.of(1, 2) })
 */
export async function writeSectionFile(file: string, version: number, meta: object, sections: Record<string, Section>): Promise<void> {
  if (!LITTLE_ENDIAN) throw new SnapshotError('snapshots are little-endian and this machine is not');
  const table: Array<[string, Kind, number, number]> = [];
  let payload = 0;
  for (const [name, array] of Object.entries(sections)) {
    table.push([name, kindOf(array), payload, array.length]);
    payload += array.byteLength + pad(array.byteLength);
  }
  const description = Buffer.from(JSON.stringify({ meta, sections: table }), 'utf8');
  const chunks: Uint8Array[] = [description, new Uint8Array(pad(HEADER_BYTES + description.length))];
  for (const array of Object.values(sections)) chunks.push(bytesOf(array), new Uint8Array(pad(array.byteLength)));
  let crc = 0;
  for (const chunk of chunks) crc = crc32(chunk, crc);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(version, 4);
  header.writeUInt32LE(description.length, 8);
  header.writeUInt32LE(crc, 12);
  header.writeBigUInt64LE(BigInt(payload), 16);
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.write(header);
    for (const chunk of chunks) if (chunk.length) await handle.write(chunk);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  await rename(tmp, file);
  await removeAbandoned(file);
}

/** Temporary files of `file` left by writers that died mid-write (their process is gone): a snapshot can be large. */
async function removeAbandoned(file: string): Promise<void> {
  const prefix = `${path.basename(file)}.`;
  const names = await readdir(path.dirname(file)).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(/^(\d+)\.tmp$/.exec(name.slice(prefix.length))?.[1]);
    if (!name.startsWith(prefix) || !pid || pid === process.pid || isAlive(pid)) continue;
    await rm(path.join(path.dirname(file), name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/** A file read back: the caller's meta and the sections, as views into the file's buffer. */
export interface SectionFile {
  meta: unknown;
  sections: Map<string, Section>;
}

/**
 * Reads a file written by `writeSectionFile`. Returns null when there is none; throws `SnapshotError` with the
 * reason when it does not verify (another format or version, cut off, checksum wrong).
 */
export async function readSectionFile(file: string, version: number): Promise<SectionFile | null> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SnapshotError(`it cannot be read (${(err as Error).message})`);
  }
  if (!LITTLE_ENDIAN) throw new SnapshotError('snapshots are little-endian and this machine is not');
  if (buf.length < HEADER_BYTES || buf.readUInt32LE(0) !== MAGIC) throw new SnapshotError('it is not a snapshot (wrong header)');
  const found = buf.readUInt32LE(4);
  if (found !== version) throw new SnapshotError(`it has format version ${found}, this engine writes ${version}`);
  const descriptionBytes = buf.readUInt32LE(8);
  const payloadStart = HEADER_BYTES + descriptionBytes + pad(HEADER_BYTES + descriptionBytes);
  const expected = payloadStart + Number(buf.readBigUInt64LE(16));
  if (buf.length !== expected) throw new SnapshotError(`it is cut off or padded (${buf.length} bytes, expected ${expected})`);
  if (crc32(buf.subarray(HEADER_BYTES)) !== buf.readUInt32LE(12)) throw new SnapshotError('it is corrupted (checksum mismatch)');
  // Views need their offset aligned; a buffer that is not (a pooled small one) is copied once.
  const bytes = buf.byteOffset % ALIGN === 0 ? buf : Buffer.from(new Uint8Array(buf));
  const { meta, sections: table } = JSON.parse(bytes.toString('utf8', HEADER_BYTES, HEADER_BYTES + descriptionBytes)) as {
    meta: unknown;
    sections: Array<[string, Kind, number, number]>;
  };
  const sections = new Map<string, Section>();
  for (const [name, kind, offset, length] of table) {
    const Kind = KINDS[kind];
    if (!Kind || payloadStart + offset + length * Kind.BYTES_PER_ELEMENT > bytes.length) throw new SnapshotError(`section ${name} is malformed`);
    sections.set(name, new Kind(bytes.buffer as ArrayBuffer, bytes.byteOffset + payloadStart + offset, length));
  }
  return { meta, sections };
}
