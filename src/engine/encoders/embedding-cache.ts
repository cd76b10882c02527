/**
 * The on-disk embedding cache of one model, so a restart or reload only runs the model on new sentences.
 *
 * File `<cacheDir>/embeddings/<slug>-<hash of model id and weights>-<dim>.bin`: a header (magic u32, version u32,
 * dim u32, id length u32, id utf-8) then records of (SHA-1 of the text, dim float32, CRC-32 of both), little-endian.
 * Every record is checked on load: a damaged one (bit rot, a zero-filled tail after a crash, values overwritten)
 * is dropped with one warning and embedded again, and the file is rewritten at its true size. A cut-off last
 * record (an interrupted append) is dropped silently. New records are appended by `flush`; after a full build
 * (`flush({ compact: true })`), when most records were not used by this process, the file is rewritten with only
 * the used ones, so it does not grow without bound.
 *
 * Memory: the file's records are held flat (`RecordRows`) only while a build's `embed` call uses them (`open` …
 * `release`; 3.5 s and 390 MB per million 100-d records here); a small call (a reload's) holds none: `lookup`
 * finds its keys in one pass over the file. Between calls the cache keeps its new records and one byte per file
 * row saying whether this process used it.
 */
import { hash } from 'node:crypto';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { replaceFile, writeAll } from '../replace-file';
import { BIG_ENDIAN, CRC_BYTES, hashOf, KEY_BYTES, readFully, RecordRows, writeRows } from './embedding-records';

const MAGIC = 0x43454251; // "QBEC" little-endian
/** 2: records carry a CRC-32. Files of another version are replaced silently (their vectors are re-embedded once). */
const VERSION = 2;
/** Records appended to memory per chunk. */
const CHUNK_ROWS = 1024;
/** Records per read of `lookup`'s pass over the file (about 4 MB of 100-d records). */
const LOOKUP_SLICE_ROWS = 10_000;

/** The cache key of a text: its SHA-1 as a 20-character binary string (crypto.hash is ~4x faster than createHash here). */
export function textKey(text: string): string {
  return hash('sha1', text, 'binary');
}

export class EmbeddingCache {
  /** The file's records while some call holds them (`open` … `release`). */
  private table: RecordRows | null = null;
  private loading: Promise<RecordRows> | null = null;
  private holders = 0;
  /** Records computed since the last flush. */
  private fresh: RecordRows;
  /** Records appended by flushes since the held file's records were read (they are in the file, not in `table`). */
  private appended: RecordRows[] = [];
  /** Per row of the file as last read or written: 1 when this process used it. Survives `release`. */
  private used = new Uint8Array(0);
  /** Rows of the file as last read or written, or -1 before the first read. */
  private fileRows = -1;
  /** The file can be appended to: false before the first write and when it must be rewritten whole. */
  private appendable = false;
  /** The file exists but is damaged, cut off or foreign: rewrite it on the next flush even with nothing new. */
  private repair = false;
  /** Damage was reported since the last rewrite: later reads of the same file stay quiet. */
  private warned = false;
  private readonly recordBytes: number;

  /**
   * @param id identifies the model (name and weights); a file with another id in its header is not reused
   * @param warn told once when the file was damaged (until a flush repairs it)
   */
  constructor(
    readonly file: string,
    private readonly id: string,
    private readonly dim: number,
    private readonly warn: (message: string) => void,
  ) {
    this.recordBytes = KEY_BYTES + 4 * dim + CRC_BYTES;
    this.fresh = new RecordRows(this.recordBytes, CHUNK_ROWS);
  }

  private header(): Buffer {
    const id = Buffer.from(this.id, 'utf8');
    const h = Buffer.alloc(16 + id.length);
    h.writeUInt32LE(MAGIC, 0);
    h.writeUInt32LE(VERSION, 4);
    h.writeUInt32LE(this.dim, 8);
    h.writeUInt32LE(id.length, 12);
    id.copy(h, 16);
    return h;
  }

  /** Holds the file's records until `release`; concurrent callers share one read. */
  async open(): Promise<void> {
    this.holders++;
    this.loading ??= this.read().then((table) => (this.table = table));
    await this.loading;
  }

  /** Lets the file's records go once no caller holds them. */
  release(): void {
    if (--this.holders > 0) return;
    this.holders = 0;
    this.table = null;
    this.loading = null;
    this.appended = [];
  }

  private noteDamage(message: string): void {
    if (!this.warned) this.warn(message);
    this.warned = true;
  }

  /**
   * Opens the file and checks its header. Null when there is no readable file, or it is damaged or foreign (then
   * it is marked for a rewrite, with one warning unless it is only of an older version).
   */
  private async openFile(): Promise<{ handle: FileHandle; start: number; count: number; rest: number } | null> {
    const header = this.header();
    let handle: FileHandle;
    try {
      handle = await open(this.file, 'r');
    } catch {
      this.noRecords();
      return null; // no cache yet (or no readable one: the flush reports what cannot be written)
    }
    try {
      const size = (await handle.stat()).size;
      const head = Buffer.alloc(Math.min(size, header.length));
      await handle.read(head, 0, head.length, 0);
      if (head.length < header.length || !head.equals(header)) {
        const olderVersion = head.length >= 8 && head.readUInt32LE(0) === MAGIC && head.readUInt32LE(4) !== VERSION;
        if (!olderVersion) this.noteDamage(`the embedding cache ${this.file} is damaged (its header does not match); it is rebuilt`);
        this.repair = true;
        this.noRecords();
        await handle.close();
        return null;
      }
      const count = Math.floor((size - header.length) / this.recordBytes);
      return { handle, start: header.length, count, rest: size - header.length - count * this.recordBytes };
    } catch {
      await handle.close();
      this.noRecords();
      return null;
    }
  }

  /** The file gives no records (there is none, it is foreign, or reading it failed): none to append to, none marked used. */
  private noRecords(): void {
    this.appendable = false;
    this.noteRows(0);
  }

  private noteDamaged(damaged: number): void {
    if (damaged > 0) {
      this.noteDamage(`the embedding cache ${this.file} had ${damaged} damaged record${damaged === 1 ? '' : 's'}; dropped, and embedded again where needed`);
    }
  }

  private async read(): Promise<RecordRows> {
    const empty = new RecordRows(this.recordBytes, 1);
    const opened = await this.openFile();
    if (!opened) return empty;
    const { handle, start, count, rest } = opened;
    // Whole records only, into a buffer of their own: vectors inside it are 4-byte aligned, so views.
    const records = Buffer.allocUnsafeSlow(count * this.recordBytes);
    try {
      await readFully(handle, records, records.length, start);
    } catch {
      this.noRecords();
      return empty;
    } finally {
      await handle.close();
    }
    const { recordBytes } = this;
    let damaged = 0;
    const table = RecordRows.fromBuffer(records, recordBytes, (r) => {
      const ok = this.intact(records, r * recordBytes);
      if (!ok) damaged++;
      return ok;
    });
    this.noteDamaged(damaged);
    // Damaged records or a cut-off tail force a rewrite; otherwise new records can be appended.
    this.repair = damaged > 0 || rest !== 0;
    this.appendable = !this.repair;
    this.noteRows(table.rows);
    return table;
  }

  /** Whether the record at `offset` of `bytes` passes its CRC. */
  private intact(bytes: Buffer, offset: number): boolean {
    const body = this.recordBytes - CRC_BYTES;
    return crc32(bytes.subarray(offset, offset + body)) === bytes.readUInt32LE(offset + body);
  }

  /**
   * The cached vectors of a few keys (a reload's changed sentences, or records set since the flush), found in one
   * pass over the file in slices without holding its records (a million are 400 MB). Only the records found are
   * checked; a damaged one is a miss, and the file is rewritten on the flush.
   */
  async lookup(keys: readonly string[]): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>();
    const wanted = new Map<number, string[]>();
    for (const key of keys) {
      const f = this.fresh.find(key);
      if (f >= 0) found.set(key, this.fresh.vector(f, this.dim).slice());
      else {
        const prefix = hashOf(key);
        const list = wanted.get(prefix);
        if (list) list.push(key);
        else wanted.set(prefix, [key]);
      }
    }
    if (wanted.size === 0) return found;
    if (this.loading) await this.loading; // a build's read in flight: its marks first
    const opened = await this.openFile();
    if (!opened) return found;
    const { handle, start, count, rest } = opened;
    const { recordBytes } = this;
    const slice = Buffer.allocUnsafeSlow(LOOKUP_SLICE_ROWS * recordBytes);
    const rows: number[] = [];
    let damaged = 0;
    try {
      for (let first = 0; first < count; first += LOOKUP_SLICE_ROWS) {
        const n = Math.min(LOOKUP_SLICE_ROWS, count - first);
        if ((await readFully(handle, slice, n * recordBytes, start + first * recordBytes)) < n * recordBytes) {
          throw new Error('the file shrank while it was read');
        }
        for (let r = 0, off = 0; r < n; r++, off += recordBytes) {
          const candidates = wanted.get(slice.readUInt32LE(off));
          if (!candidates) continue;
          const key = slice.toString('latin1', off, off + KEY_BYTES);
          if (!candidates.includes(key) || found.has(key)) continue;
          if (!this.intact(slice, off)) {
            damaged++;
            continue;
          }
          const v = new Float32Array(this.dim);
          for (let d = 0; d < this.dim; d++) v[d] = slice.readFloatLE(off + KEY_BYTES + 4 * d);
          found.set(key, v);
          rows.push(first + r);
        }
      }
    } catch {
      this.noRecords();
      return found;
    } finally {
      await handle.close();
    }
    this.noteDamaged(damaged);
    if (damaged > 0 || rest !== 0) this.repair = true;
    this.appendable = !this.repair;
    this.noteRows(count);
    for (const r of rows) this.used[r] = 1;
    return found;
  }

  /** Keeps the used marks when the file is the one last seen (or grew by another process's appends). */
  private noteRows(rows: number): void {
    if (rows < this.fileRows) this.used = new Uint8Array(rows);
    else if (rows > this.used.length) {
      const used = new Uint8Array(rows);
      used.set(this.used);
      this.used = used;
    }
    this.fileRows = rows;
  }

  /** The cached vector of `key` (a view; do not keep it past `release`), if any. Call between `open` and `release`. */
  get(key: string): Float32Array | undefined {
    const row = this.table?.find(key) ?? -1;
    if (row >= 0) {
      this.used[row] = 1;
      return this.table!.vector(row, this.dim);
    }
    for (const rows of [this.fresh, ...this.appended]) {
      const f = rows.find(key);
      if (f >= 0) return rows.vector(f, this.dim);
    }
    return undefined;
  }

  /** Records a vector computed for a key `get` did not find. */
  set(key: string, v: Float32Array): void {
    this.fresh.add(this.record(key, v));
  }

  private record(key: string, v: Float32Array): Buffer {
    const b = Buffer.alloc(this.recordBytes);
    b.write(key, 0, KEY_BYTES, 'latin1');
    if (BIG_ENDIAN) for (let d = 0; d < this.dim; d++) b.writeFloatLE(v[d], KEY_BYTES + 4 * d);
    else b.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), KEY_BYTES);
    const body = this.recordBytes - CRC_BYTES;
    b.writeUInt32LE(crc32(b.subarray(0, body)), body);
    return b;
  }

  /**
   * Writes what is new (appending), or the whole file when it was damaged, or when `compact` and it is mostly
   * stale. `compact` says this process's calls asked for every text worth keeping (a full build): rows none of them
   * used may then be dropped. A process that only looked up a reload's sentences (a start from the index snapshot)
   * used almost none of the rows, and compacting would throw the corpus's vectors away.
   */
  async flush({ compact: mayCompact = false }: { compact?: boolean } = {}): Promise<void> {
    if (this.loading) await this.loading;
    if (this.fileRows < 0) return; // never read: nothing was asked of the cache
    const fresh = this.fresh;
    let usedRows = 0;
    for (const u of this.used) usedRows += u;
    const total = this.fileRows + fresh.rows;
    const compact = mayCompact && this.appendable && total > 1000 && total - (usedRows + fresh.rows) > total / 2;
    if (fresh.rows === 0 && !compact && !this.repair) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    if (this.appendable && !compact) {
      const handle = await open(this.file, 'a');
      try {
        await writeRows(handle, fresh, null);
      } finally {
        await handle.close();
      }
      const used = new Uint8Array(this.fileRows + fresh.rows).fill(1);
      used.set(this.used);
      this.used = used;
      this.fileRows = used.length;
      // A held table stays valid: the appended records are looked up beside it until the file is read again.
      if (this.table) this.appended.push(fresh);
    } else {
      // Rewrite (first write, damaged or cut-off file, or compaction) atomically through a temporary file.
      const rows = this.fileRows;
      const used = this.used;
      const table = this.table ?? (await this.read());
      // A file changed by another process since its rows were marked: keep all of it rather than guess.
      const keep = (r: number) => table.find(table.record(r).toString('latin1', 0, KEY_BYTES)) === r && (!compact || table.rows !== rows || used[r] === 1);
      const kept = await replaceFile(this.file, async (handle) => {
        await writeAll(handle, this.header());
        return (await writeRows(handle, table, keep)) + (await writeRows(handle, fresh, null));
      });
      this.used = new Uint8Array(kept).fill(1);
      this.fileRows = kept;
      this.table = null;
      this.loading = null;
      this.appended = [];
      this.appendable = true;
      this.repair = false;
      this.warned = false;
    }
    this.fresh = new RecordRows(this.recordBytes, CHUNK_ROWS);
  }
}

