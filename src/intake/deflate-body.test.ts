import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DeflateDecoder, isZlibHeader } from './deflate-body';

const TEXT = Buffer.from('The council voted on Thursday to approve the bridge. '.repeat(200));

/** The body streamed through a decoder in chunks of `size` bytes. */
async function inflate(body: Buffer, size = 64 * 1024): Promise<Buffer> {
  const chunks = Array.from({ length: Math.ceil(body.length / size) }, (_, i) => body.subarray(i * size, (i + 1) * size));
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(chunks).pipe(new DeflateDecoder())) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

describe('DeflateDecoder', () => {
  it('tells a zlib header from raw deflate at every compression level', () => {
    for (let level = 0; level <= 9; level++) {
      const wrapped = zlib.deflateSync(TEXT, { level });
      const raw = zlib.deflateRawSync(TEXT, { level });
      expect(isZlibHeader(wrapped[0], wrapped[1]), `level ${level}`).toBe(true);
      expect(isZlibHeader(raw[0], raw[1]), `level ${level}`).toBe(false);
    }
  });

  it('inflates both forms, whole or a byte at a time', async () => {
    for (const body of [zlib.deflateSync(TEXT), zlib.deflateRawSync(TEXT), zlib.deflateRawSync(TEXT, { level: 0 })]) {
      expect((await inflate(body)).equals(TEXT)).toBe(true);
      expect((await inflate(body, 1)).equals(TEXT)).toBe(true);
    }
  });

  it('ignores bytes after the end of the deflate stream, as zlib.createInflate does, instead of never ending', async () => {
    const stray = Buffer.from('\r\n');
    for (const body of [zlib.deflateSync(TEXT), zlib.deflateRawSync(TEXT)]) {
      for (const size of [body.length + stray.length, body.length]) {
        const ended = inflate(Buffer.concat([body, stray]), size);
        const hang = new Promise((resolve) => setTimeout(resolve, 2000, 'no end'));
        expect(await Promise.race([ended.then((out) => out.equals(TEXT)), hang])).toBe(true);
      }
    }
  });

  it("keeps an empty body empty and fails with zlib's own error code on a broken one", async () => {
    expect((await inflate(Buffer.alloc(0))).length).toBe(0);
    for (const broken of [Buffer.from([0x6e]), Buffer.from('not compressed at all'), zlib.deflateSync(TEXT).subarray(0, 40)]) {
      await expect(inflate(broken)).rejects.toMatchObject({ code: expect.stringMatching(/^Z_/) });
    }
  });
});
