/**
 * A `Content-Encoding: deflate` body in either form servers send: zlib-wrapped (RFC 1950, what the standard says)
 * or raw deflate (RFC 1951, what some servers send; browsers accept both). The form is told from the first two bytes.
 */
import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';

/**
 * Whether two bytes open a zlib stream: compression method 8 (deflate), a window of at most 32 KB, and the header
 * check (the two bytes as a big-endian number are a multiple of 31). Raw deflate does not start so: a low nibble of 8
 * would be a non-final stored block with its padding bits set, which encoders do not write.
 * @example isZlibHeader(0x78, 0x9c) // true
 */
export function isZlibHeader(first: number, second: number): boolean {
  return (first & 0x0f) === 8 && first >> 4 <= 7 && ((first << 8) | second) % 31 === 0;
}

/**
 * Inflates a deflate body of either form, with zlib's own errors (codes `Z_…`) and with backpressure: the inner
 * inflater pauses while this stream's reader is behind, so a small bomb never inflates faster than it is read.
 * @example response.pipe(new DeflateDecoder())
 */
export class DeflateDecoder extends Transform {
  private inflater: zlib.Inflate | zlib.InflateRaw | null = null;
  private head = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.inflater) {
      this.inflater.write(chunk, () => callback());
      return;
    }
    this.head = Buffer.concat([this.head, chunk]);
    if (this.head.length < 2) return callback();
    this.start().write(this.head, () => callback());
    this.head = Buffer.alloc(0);
  }

  override _flush(callback: TransformCallback): void {
    let inflater = this.inflater;
    if (!inflater) {
      if (!this.head.length) return callback(); // an empty body stays empty
      inflater = this.start(); // one byte: the raw inflater says it is broken
      inflater.write(this.head);
    }
    // Bytes after the deflate stream's end (a server's stray newline) end zlib's output early and are ignored, as
    // zlib.createInflate does; its 'end' has then been and gone, and waiting for it would hang until the time limit.
    if (inflater.readableEnded) {
      inflater.destroy();
      return callback();
    }
    inflater.once('end', () => callback());
    inflater.end();
  }

  override _read(size: number): void {
    this.inflater?.resume();
    super._read(size);
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.inflater?.destroy();
    callback(err);
  }

  private start(): zlib.Inflate | zlib.InflateRaw {
    const zlibWrapped = this.head.length >= 2 && isZlibHeader(this.head[0], this.head[1]);
    const inflater = zlibWrapped ? zlib.createInflate() : zlib.createInflateRaw();
    inflater.on('data', (data: Buffer) => {
      if (!this.push(data)) inflater.pause();
    });
    inflater.on('error', (err) => this.destroy(err));
    this.inflater = inflater;
    return inflater;
  }
}
