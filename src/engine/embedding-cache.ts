/**
 * The on-disk embedding cache of one model, so a restart or reload only runs the model on new sentences.
 *
 * File `<cacheDir>/embeddings/<slug>-<hash of model id and weights>-<dim>.bin`: a header (magic u32, version u32,
 * dim u32, id length u32, id utf-8) then records of (SHA-1 of the text, dim float32, CRC-32 of both), little-endian.
 * Every record is checked on load: a damaged one (bit rot, a zero-filled tail after a crash, values overwritten)
 * is dropped with one warning per load and embedded again, and the file is rewritten at its true size. A cut-off
 * last record (an interrupted append) is dropped silently. New records are appended by `flush`; when most records
 * were not used by this process the file is rewritten with only the used ones, so it does not grow without bound.
 */
import { hash } from 'node:crypto';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';

const MAGIC = 0x43454251; // "QBEC" little-endian
/** 2: records carry a CRC-32. Files of another version are replaced silently (their vectors are re-embedded once). */
const VERSION = 2;
const KEY_BYTES = 20; // SHA-1
const CRC_BYTES = 4;
/** Records are little-endian; typed arrays use the platform's order, so big-endian hosts go value by value. */
const BIG_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;

/** The cache key of a text: its SHA-1 as a 20-character binary string (crypto.hash is ~4x faster than createHash here). */
export function textKey(text: string): string {
  return hash('sha1', text, 'binary');
}

export class EmbeddingCache {
  private entries: Map<string, Float32Array> | null = null;
  private loading: Promise<void> | null = null;
  private fresh = new Map<string, Float32Array>();
  private used = new Set<string>();
  /** Whether the file can be appended to: false before the first write and when it must be rewritten whole. */
  private appendable = false;
  /** The file exists but is damaged, cut off or foreign: rewrite it on the next flush even with nothing new. */
  private repair = false;
  private readonly recordBytes: number;

  /**
   * @param id identifies the model (name and weights); a file with another id in its header is not reused
   * @param warn told once per load when the file was damaged
   */
  constructor(
    readonly file: string,
    private readonly id: string,
    private readonly dim: number,
    private readonly warn: (message: string) => void,
  ) {
    this.recordBytes = KEY_BYTES + 4 * dim + CRC_BYTES;
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

  /** Reads the file once; concurrent callers share the read. */
  load(): Promise<void> {
    this.loading ??= this.read().then((entries) => {
      this.entries = entries;
    });
    return this.loading;
  }

  private async read(): Promise<Map<string, Float32Array>> {
    const entries = new Map<string, Float32Array>();
    let buf: Buffer;
    try {
      buf = await readFile(this.file);
    } catch {
      return entries; // no cache yet
    }
    const header = this.header();
    if (buf.length < header.length || !buf.subarray(0, header.length).equals(header)) {
      const olderVersion = buf.length >= 8 && buf.readUInt32LE(0) === MAGIC && buf.readUInt32LE(4) !== VERSION;
      if (!olderVersion) this.warn(`the embedding cache ${this.file} is damaged (its header does not match); it is rebuilt`);
      this.repair = true;
      return entries;
    }
    const { dim, recordBytes } = this;
    const count = Math.floor((buf.length - header.length) / recordBytes);
    const floats = new Float32Array(count * dim);
    const floatBytes = new Uint8Array(floats.buffer);
    let damaged = 0;
    for (let r = 0; r < count; r++) {
      const off = header.length + r * recordBytes;
      const body = off + recordBytes - CRC_BYTES;
      if (crc32(buf.subarray(off, body)) !== buf.readUInt32LE(body)) {
        damaged++;
        continue;
      }
      const v = floats.subarray(r * dim, (r + 1) * dim);
      if (BIG_ENDIAN) for (let d = 0; d < dim; d++) v[d] = buf.readFloatLE(off + KEY_BYTES + 4 * d);
      else floatBytes.set(buf.subarray(off + KEY_BYTES, body), r * dim * 4);
      entries.set(buf.toString('latin1', off, off + KEY_BYTES), v);
    }
    if (damaged > 0) {
      this.warn(`the embedding cache ${this.file} had ${damaged} damaged record${damaged === 1 ? '' : 's'}; dropped, and embedded again where needed`);
    }
    // Damaged records or a cut-off tail force a rewrite; otherwise new records can be appended.
    this.repair = damaged > 0 || header.length + count * recordBytes !== buf.length;
    this.appendable = !this.repair;
    return entries;
  }

  get(key: string): Float32Array | undefined {
    const v = this.entries?.get(key) ?? this.fresh.get(key);
    if (v) this.used.add(key);
    return v;
  }

  set(key: string, v: Float32Array): void {
    if (this.entries?.has(key)) return;
    this.fresh.set(key, v);
    this.used.add(key);
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

  /** Writes what is new (appending), or the whole file when it was damaged or is mostly stale. */
  async flush(): Promise<void> {
    if (this.loading) await this.loading;
    if (!this.entries) return;
    const total = this.entries.size + this.fresh.size;
    const compact = this.appendable && total > 1000 && total - this.used.size > total / 2;
    if (this.fresh.size === 0 && !compact && !this.repair) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    if (this.appendable && !compact) {
      const handle = await open(this.file, 'a');
      try {
        await handle.write(Buffer.concat([...this.fresh].map(([k, v]) => this.record(k, v))));
      } finally {
        await handle.close();
      }
      for (const [k, v] of this.fresh) this.entries.set(k, v);
    } else {
      // Rewrite (first write, damaged or cut-off file, or compaction) atomically through a temporary file.
      const keep = new Map<string, Float32Array>();
      for (const k of compact ? this.used : [...this.entries.keys(), ...this.fresh.keys()]) {
        const v = this.entries.get(k) ?? this.fresh.get(k);
        if (v) keep.set(k, v);
      }
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, Buffer.concat([this.header(), ...[...keep].map(([k, v]) => this.record(k, v))]));
      await rename(tmp, this.file);
      this.entries = keep;
      this.appendable = true;
      this.repair = false;
    }
    this.fresh = new Map();
  }
}
