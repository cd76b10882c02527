/**
 * Records of the embedding cache held flat: whole records (key, vector, CRC) in a few large buffers, and an
 * open-addressing table from key to row number. A million vectors cost their bytes and 4-8 bytes of table each,
 * instead of a million small typed arrays and strings in a Map (about twice the bytes, and work for the GC).
 */

import type { FileHandle } from 'node:fs/promises';
import { writeAll } from '../replace-file';

export const KEY_BYTES = 20; // SHA-1
export const CRC_BYTES = 4;
/** Records are little-endian; typed arrays use the platform's order, so big-endian hosts decode value by value. */
export const BIG_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;
/** Records per write when rows are written out. */
const WRITE_ROWS = 1024;

/**
 * Rows of records, in chunks of `chunkRows` records each (the last chunk may be partly filled).
 * @example const r = new RecordRows(424, 1024); r.add(record); r.find(key) // 0
 */
export class RecordRows {
  readonly chunks: Buffer[] = [];
  /** Rows stored, found by key or not (a damaged record keeps its row but has no key in the table). */
  rows = 0;
  /** Rows findable by key. */
  size = 0;
  /** Row + 1 per slot, 0 when empty; the slot count is a power of two at least twice `size`. */
  private slots = new Uint32Array(64);

  constructor(
    readonly recordBytes: number,
    private readonly chunkRows: number,
  ) {}

  /** The records of a file read into `records` (whole records only), with the rows that passed their check. */
  static fromBuffer(records: Buffer, recordBytes: number, valid: (row: number) => boolean): RecordRows {
    const count = Math.floor(records.length / recordBytes);
    const table = new RecordRows(recordBytes, Math.max(1, count));
    table.chunks.push(records);
    table.rows = count;
    table.slots = new Uint32Array(slotCount(count));
    for (let r = 0; r < count; r++) if (valid(r)) table.index(r);
    return table;
  }

  /** Byte offset of `row`'s record in its chunk. */
  offset(row: number): number {
    return (row % this.chunkRows) * this.recordBytes;
  }

  chunk(row: number): Buffer {
    return this.chunks[Math.floor(row / this.chunkRows)];
  }

  /** The whole record of `row` (key, vector, CRC), as a view. */
  record(row: number): Buffer {
    const off = this.offset(row);
    return this.chunk(row).subarray(off, off + this.recordBytes);
  }

  /** The vector of `row`: a view into the record on little-endian hosts (records are 4-byte aligned). */
  vector(row: number, dim: number): Float32Array {
    const buf = this.chunk(row);
    const off = buf.byteOffset + this.offset(row) + KEY_BYTES;
    if (!BIG_ENDIAN && off % 4 === 0) return new Float32Array(buf.buffer, off, dim);
    const v = new Float32Array(dim);
    for (let d = 0; d < dim; d++) v[d] = buf.readFloatLE(off - buf.byteOffset + 4 * d);
    return v;
  }

  /** The row holding `key` (a 20-character binary string), or -1. */
  find(key: string): number {
    const mask = this.slots.length - 1;
    for (let s = hashOf(key) & mask; ; s = (s + 1) & mask) {
      const row = this.slots[s] - 1;
      if (row < 0) return -1;
      if (this.keyIs(row, key)) return row;
    }
  }

  /** Appends an encoded record unless its key is already here; returns its row. */
  add(record: Buffer): number {
    const key = record.toString('latin1', 0, KEY_BYTES);
    const found = this.find(key);
    if (found >= 0) return found;
    const row = this.rows;
    if (row % this.chunkRows === 0) this.chunks.push(Buffer.allocUnsafeSlow(this.chunkRows * this.recordBytes));
    record.copy(this.chunk(row), this.offset(row));
    this.rows++;
    if (2 * (this.size + 1) > this.slots.length) this.grow();
    this.index(row);
    return row;
  }

  private keyIs(row: number, key: string): boolean {
    const buf = this.chunk(row);
    const off = this.offset(row);
    for (let i = 0; i < KEY_BYTES; i++) if (buf[off + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  private index(row: number): void {
    const buf = this.chunk(row);
    const mask = this.slots.length - 1;
    let s = buf.readUInt32LE(this.offset(row)) & mask;
    while (this.slots[s] !== 0) {
      if (sameKey(buf, this.offset(row), this.chunk(this.slots[s] - 1), this.offset(this.slots[s] - 1))) return; // a duplicate
      s = (s + 1) & mask;
    }
    this.slots[s] = row + 1;
    this.size++;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.size = 0;
    for (const slot of old) if (slot !== 0) this.index(slot - 1);
  }
}

/** The key's first 4 bytes as a little-endian u32: SHA-1 bytes are already uniformly spread. */
export function hashOf(key: string): number {
  return (key.charCodeAt(0) | (key.charCodeAt(1) << 8) | (key.charCodeAt(2) << 16) | (key.charCodeAt(3) << 24)) >>> 0;
}

function sameKey(a: Buffer, aOff: number, b: Buffer, bOff: number): boolean {
  for (let i = 0; i < KEY_BYTES; i++) if (a[aOff + i] !== b[bOff + i]) return false;
  return true;
}

function slotCount(n: number): number {
  let s = 64;
  while (s < 2 * n) s *= 2;
  return s;
}

/** Writes the rows of `rows` that `keep` accepts (all without it) in large writes; returns how many. */
export async function writeRows(handle: FileHandle, rows: RecordRows, keep: ((row: number) => boolean) | null): Promise<number> {
  const batch = Buffer.allocUnsafe(WRITE_ROWS * rows.recordBytes);
  let n = 0;
  let written = 0;
  for (let r = 0; r < rows.rows; r++) {
    if (keep && !keep(r)) continue;
    rows.record(r).copy(batch, n * rows.recordBytes);
    written++;
    if (++n === WRITE_ROWS) {
      await writeAll(handle, batch, n * rows.recordBytes);
      n = 0;
    }
  }
  if (n > 0) await writeAll(handle, batch, n * rows.recordBytes);
  return written;
}

/** Reads `length` bytes at `position` into the start of `buffer`, or fewer at the end of the file; returns how many. */
export async function readFully(handle: FileHandle, buffer: Buffer, length: number, position: number): Promise<number> {
  let at = 0;
  while (at < length) {
    const { bytesRead } = await handle.read(buffer, at, length - at, position + at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return at;
}
