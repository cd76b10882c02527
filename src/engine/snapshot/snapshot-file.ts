/**
 * A checksummed file of named typed arrays with a JSON description, read back as views into the file's buffer
 * (no parsing of the arrays at all; sections asked for get a buffer of their own instead). The container of the
 * index snapshot (`snapshot.ts`).
 *
 * Layout, little-endian: a 24-byte header (magic u32, version u32, description length u32, CRC-32 of everything
 * after the header u32, payload length u64), the description (UTF-8 JSON: the caller's `meta` and the section table
 * `[name, kind, byte offset in the payload, element count]`), zero padding to 8 bytes, then the payload: each section's
 * bytes, each starting on an 8-byte boundary so a typed array can view it in place.
 */
import { constants as bufferConstants } from 'node:buffer';
import { mkdir, open, readdir, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { replaceFile, writeAll } from '../replace-file';

const MAGIC = 0x4e534251; // "QBSN" little-endian
const HEADER_BYTES = 24;
const ALIGN = 8;
/** The arrays are written in the platform's byte order; the format is little-endian, so big-endian hosts keep none. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const KINDS = { i8: Int8Array, u8: Uint8Array, u16: Uint16Array, i32: Int32Array, u32: Uint32Array, f32: Float32Array };
type Kind = keyof typeof KINDS;
export type Section = Int8Array | Uint8Array | Uint16Array | Int32Array | Uint32Array | Float32Array;
/**
 * Bytes of a `u8` section made part by part while they are written (say one article's text at a time), so the
 * writer never holds them whole: a million sentences' text is 160 MB, and a string joined from it twice that.
 */
export interface LazyBytes {
  byteLength: number;
  parts(): Iterable<Uint8Array>;
}
/**
 * The largest file read back: the whole file is one buffer (the sections view it), and a buffer holds at most
 * this many bytes (4 GiB on Node 20). A larger snapshot is refused when written, with the reason.
 */
export const MAX_FILE_BYTES = bufferConstants.MAX_LENGTH;
/** Reads, writes and checksums go in slices: one call of 2 GiB or more fails (`fs` and zlib count in 31 bits). */
const IO_SLICE = 1 << 30;
/** Bytes per write (and CRC step) of `writeSectionFile`. */
const WRITE_SLICE = 8 << 20;

/** Why a file was not used: shown in the one warning before the rebuild. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

const isLazy = (a: Section | LazyBytes): a is LazyBytes => 'parts' in a;

function kindOf(a: Section | LazyBytes): Kind {
  if (isLazy(a)) return 'u8';
  if (a instanceof Int8Array) return 'i8';
  if (a instanceof Uint8Array) return 'u8';
  if (a instanceof Uint16Array) return 'u16';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Uint32Array) return 'u32';
  return 'f32';
}

const pad = (n: number) => (ALIGN - (n % ALIGN)) % ALIGN;
const bytesOf = (a: Section) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const gib = (n: number) => `${(n / 2 ** 30).toFixed(2)} GiB`;

/** CRC-32 of `bytes`, continuing `crc`, in slices. */
function crcOf(bytes: Uint8Array, crc = 0): number {
  for (let o = 0; o < bytes.length; o += IO_SLICE) crc = crc32(bytes.subarray(o, o + IO_SLICE), crc);
  return crc;
}

/**
 * Writes `sections` and `meta` to `file` atomically (`replaceFile`: a temporary file beside it, renamed over it when
 * complete), so a reader sees the old file or the new one, never half of one. The arrays are written from where they are
 * (lazy ones part by part) and checksummed on the way, the header last: nothing is copied whole.
 * @example await writeSectionFile('.cache/x.bin', 1, { built: 'today' }, { ids: Int32Array.of(1, 2) })
 */
export async function writeSectionFile(file: string, version: number, meta: object, sections: Record<string, Section | LazyBytes>): Promise<void> {
  if (!LITTLE_ENDIAN) throw new SnapshotError('snapshots are little-endian and this machine is not');
  const table: Array<[string, Kind, number, number]> = [];
  let payload = 0;
  for (const [name, array] of Object.entries(sections)) {
    table.push([name, kindOf(array), payload, isLazy(array) ? array.byteLength : array.length]);
    payload += array.byteLength + pad(array.byteLength);
  }
  const description = Buffer.from(JSON.stringify({ meta, sections: table }), 'utf8');
  const total = HEADER_BYTES + description.length + pad(HEADER_BYTES + description.length) + payload;
  if (total > MAX_FILE_BYTES) throw new SnapshotError(`it would be ${gib(total)}, more than the ${gib(MAX_FILE_BYTES)} one file can hold`);
  await mkdir(path.dirname(file), { recursive: true });
  await replaceFile(file, async (handle) => {
    let crc = 0;
    let at = HEADER_BYTES;
    // In slices, each checksummed just before it is written: a whole 100 MB section's CRC blocked the event loop
    // (questions) for a tenth of a second or more.
    const put = async (chunk: Uint8Array) => {
      for (let o = 0; o < chunk.length; o += WRITE_SLICE) {
        const slice = chunk.subarray(o, o + WRITE_SLICE);
        crc = crc32(slice, crc);
        await writeAll(handle, slice, slice.length, at);
        at += slice.length;
      }
    };
    await put(description);
    await put(new Uint8Array(pad(HEADER_BYTES + description.length)));
    for (const array of Object.values(sections)) {
      let written = 0;
      for (const part of isLazy(array) ? array.parts() : [bytesOf(array)]) {
        await put(part);
        written += part.byteLength;
      }
      if (written !== array.byteLength) throw new Error(`a section gave ${written} bytes, not the ${array.byteLength} announced`);
      await put(new Uint8Array(pad(array.byteLength)));
    }
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32LE(MAGIC, 0);
    header.writeUInt32LE(version, 4);
    header.writeUInt32LE(description.length, 8);
    header.writeUInt32LE(crc, 12);
    header.writeBigUInt64LE(BigInt(payload), 16);
    await writeAll(handle, header, HEADER_BYTES, 0);
    await handle.sync();
  });
  await removeAbandoned(file);
}

/** Temporary files of `file` left by writers that died mid-write (their process is gone): a snapshot can be large. */
export async function removeAbandoned(file: string): Promise<void> {
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

/** A file read back: the caller's meta and the sections, as views into the file's buffer (or their own: `separateSections`). */
export interface SectionFile {
  meta: unknown;
  sections: Map<string, Section>;
}

export interface ReadOptions {
  /**
   * Sections read into a buffer of their own (offset 0) instead of viewed in the file's: arrays handed to native
   * code that reads from the start of a buffer (usearch's exact scan), which would otherwise copy them once more.
   */
  separateSections?: readonly string[];
}

type Table = Array<[string, Kind, number, number]>;
/** The file's bytes from `start` to `end`, read into `into` from `at` on. */
interface Piece {
  start: number;
  end: number;
  into: Buffer;
  at: number;
}

/**
 * Reads a file written by `writeSectionFile`. Returns null when there is none; throws `SnapshotError` with the
 * reason when it does not verify (another format or version, cut off, checksum wrong).
 * @example const read = await readSectionFile('.cache/x.bin', 1, { separateSections: ['ids'] }) // read.sections.get('ids')
 */
export async function readSectionFile(file: string, version: number, options: ReadOptions = {}): Promise<SectionFile | null> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SnapshotError(`it cannot be read (${(err as Error).message})`);
  }
  try {
    return await readOpen(handle, version, new Set(options.separateSections));
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    throw new SnapshotError(`it cannot be read (${(err as Error).message})`);
  } finally {
    await handle.close();
  }
}

async function readOpen(handle: FileHandle, version: number, separate: ReadonlySet<string>): Promise<SectionFile> {
  const { size } = await handle.stat();
  if (size > MAX_FILE_BYTES) throw new SnapshotError(`it is ${gib(size)}, more than the ${gib(MAX_FILE_BYTES)} one file can hold`);
  if (!LITTLE_ENDIAN) throw new SnapshotError('snapshots are little-endian and this machine is not');
  const header = Buffer.alloc(HEADER_BYTES);
  await readPiece(handle, { start: 0, end: Math.min(size, HEADER_BYTES), into: header, at: 0 });
  if (size < HEADER_BYTES || header.readUInt32LE(0) !== MAGIC) throw new SnapshotError('it is not a snapshot (wrong header)');
  const found = header.readUInt32LE(4);
  if (found !== version) throw new SnapshotError(`it has format version ${found}, this engine writes ${version}`);
  const descriptionBytes = header.readUInt32LE(8);
  const payloadStart = HEADER_BYTES + descriptionBytes + pad(HEADER_BYTES + descriptionBytes);
  const expected = payloadStart + Number(header.readBigUInt64LE(16));
  if (size !== expected) throw new SnapshotError(`it is cut off or padded (${size} bytes, expected ${expected})`);
  const description = Buffer.alloc(descriptionBytes);
  await readPiece(handle, { start: HEADER_BYTES, end: HEADER_BYTES + descriptionBytes, into: description, at: 0 });
  // Trusted only once the checksum agrees; until then it only says where the separate sections lie.
  const untrusted = parseDescription(description);
  const pieces = planPieces(size, payloadStart, untrusted?.sections ?? [], separate);
  for (const piece of pieces) await readPiece(handle, piece);
  let crc = 0;
  for (const { start, end, into, at } of pieces) {
    const skip = Math.max(0, HEADER_BYTES - start);
    if (start + skip < end) crc = crcOf(into.subarray(at + skip, at + end - start), crc);
  }
  if (crc !== header.readUInt32LE(12)) throw new SnapshotError('it is corrupted (checksum mismatch)');
  const { meta, sections: table } = untrusted!;
  const sections = new Map<string, Section>();
  for (const [name, kind, offset, length] of table) {
    const Kind = KINDS[kind];
    const start = payloadStart + offset;
    const end = Kind ? start + length * Kind.BYTES_PER_ELEMENT : Infinity;
    // The piece holding the whole section: its own, or a part of the file's buffer.
    const piece = pieces.find((p) => p.start <= start && end <= p.end);
    if (!Kind || !piece) throw new SnapshotError(`section ${name} is malformed`);
    sections.set(name, new Kind(piece.into.buffer as ArrayBuffer, piece.into.byteOffset + piece.at + start - piece.start, length));
  }
  return { meta, sections };
}

/** The description, or null when it is not one (no JSON, or no table of entries): the checksum then says the file is corrupted. */
function parseDescription(bytes: Buffer): { meta: unknown; sections: Table } | null {
  let parsed: { meta: unknown; sections: Table } | null;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  // Damage can leave valid JSON of another shape, which planning the pieces must not trip over before the checksum.
  const table = parsed?.sections;
  return Array.isArray(table) && table.every((entry) => Array.isArray(entry)) ? parsed : null;
}

/**
 * Where each byte of the file goes: each separate section (with its padding) into a buffer of its own, everything else
 * into one buffer, in order (sections keep their 8-byte alignment, separate ones being cut out whole with their padding).
 * Separate sections that a damaged description places oddly are read into the file's buffer like the rest.
 */
function planPieces(size: number, payloadStart: number, table: Table, separate: ReadonlySet<string>): Piece[] {
  const cuts: Array<{ start: number; end: number }> = [];
  for (const [name, kind, offset, length] of table) {
    const bytes = KINDS[kind] ? length * KINDS[kind].BYTES_PER_ELEMENT : NaN;
    if (separate.has(name)) cuts.push({ start: payloadStart + offset, end: payloadStart + offset + bytes + pad(bytes) });
  }
  cuts.sort((a, b) => a.start - b.start);
  const placed = cuts.every((c, i) => Number.isSafeInteger(c.end) && c.start >= payloadStart && c.start % ALIGN === 0 && c.end <= size && (i === 0 || cuts[i - 1].end <= c.start));
  const owned = placed ? cuts : [];
  // Allocated on their own (not from the pool), so their offset is 0 and every view is aligned.
  const whole = Buffer.allocUnsafeSlow(size - owned.reduce((sum, c) => sum + c.end - c.start, 0));
  const pieces: Piece[] = [];
  let start = 0;
  let at = 0;
  for (const cut of [...owned, { start: size, end: size }]) {
    if (cut.start > start) pieces.push({ start, end: cut.start, into: whole, at });
    at += cut.start - start;
    if (cut.end > cut.start) pieces.push({ ...cut, into: Buffer.allocUnsafeSlow(cut.end - cut.start), at: 0 });
    start = cut.end;
  }
  return pieces;
}

/** Reads one piece, in slices (one read of 2 GiB or more fails); a file that shrank meanwhile is cut off. */
async function readPiece(handle: FileHandle, { start, end, into, at }: Piece): Promise<void> {
  for (let done = 0; done < end - start; ) {
    const { bytesRead } = await handle.read(into, at + done, Math.min(IO_SLICE, end - start - done), start + done);
    if (bytesRead === 0) throw new SnapshotError(`it is cut off (it ended at ${start + done} bytes while being read)`);
    done += bytesRead;
  }
}

/**
 * Size and CRC-32 of a file, read in slices of a few MB: for a file stored beside a section file and checked
 * against what that file's description says of it.
 */
export async function fileChecksum(file: string): Promise<{ bytes: number; crc: number }> {
  const handle = await open(file, 'r');
  try {
    const slice = Buffer.allocUnsafe(8 << 20);
    let crc = 0;
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await handle.read(slice, 0, slice.length, bytes);
      if (bytesRead === 0) return { bytes, crc };
      crc = crc32(slice.subarray(0, bytesRead), crc);
      bytes += bytesRead;
    }
  } finally {
    await handle.close();
  }
}
