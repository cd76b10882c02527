import { describe, expect, it } from 'vitest';
import { decodeContent } from './decode';
import { refusal } from './test-helpers';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('decodeContent', () => {
  it('tells HTML from text by the bytes', () => {
    expect(decodeContent(utf8('<!DOCTYPE html><html><p>Hi there.</p></html>')).kind).toBe('html');
    expect(decodeContent(utf8('\n  <html lang="en"><body>x</body></html>')).kind).toBe('html');
    expect(decodeContent(utf8('<!-- saved from url --><div>x</div>')).kind).toBe('html');
    expect(decodeContent(utf8('Bridge approved\n\nThe council voted on Thursday.')).kind).toBe('text');
    expect(decodeContent(utf8('---\ntitle: x\n---\n<p> later')).kind).toBe('text');
    expect(decodeContent(utf8('2 < 3 and <b is bold>, said nobody')).kind).toBe('text');
  });

  it('refuses binary files, naming the format when it knows it', async () => {
    expect(() => decodeContent(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]))).toThrow('not an article: the file is a PDF, not text or HTML');
    expect(() => decodeContent(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toThrow(/PNG image/);
    expect((await refusal(() => decodeContent(new Uint8Array([0x41, 0x42, 0x00, 0x43])))).kind).toBe('binary');
    expect((await refusal(() => decodeContent(utf8('text with a bell \u0007 in it')))).kind).toBe('binary');
  });

  it("converts the page's declared charset (meta tag or Content-Type header) to text", () => {
    const cyrillic = new Uint8Array([0xcf, 0xf3, 0xf2, 0xe8, 0xed]); // "Путин" in windows-1251
    const page = new Uint8Array([...utf8('<html><head><meta charset="windows-1251"></head><body><p>'), ...cyrillic, ...utf8('</p></body></html>')]);
    expect(decodeContent(page).text).toContain('<p>Путин</p>');
    const http = new Uint8Array([...utf8('<html><body><p>'), ...cyrillic, ...utf8('</p></body></html>')]);
    expect(decodeContent(http, 'windows-1251').text).toContain('Путин');
    const legacy = utf8('<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head><body>x</body></html>');
    expect(decodeContent(new Uint8Array([...legacy, 0xe9])).text.endsWith('é')).toBe(true);
  });

  it('reads undeclared non-UTF-8 HTML as windows-1252, as browsers do; refuses such plain text', () => {
    const page = new Uint8Array([...utf8('<html><body><p>caf'), 0xe9, ...utf8('</p></body></html>')]);
    expect(decodeContent(page).text).toContain('café');
    expect(() => decodeContent(new Uint8Array([...utf8('caf'), 0xe9, ...utf8(' au lait')]))).toThrow(/not valid UTF-8/);
  });

  it('reads UTF-16 text with a byte-order mark', () => {
    const le = new Uint8Array([0xff, 0xfe, ...Array.from('Hi.').flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(decodeContent(le)).toEqual({ kind: 'text', text: 'Hi.' });
  });

  it('tells a UTF-16 HTML page (with a byte-order mark) as HTML, so it is extracted, not saved as text with its tags', () => {
    const page = '<!DOCTYPE html><html><head><meta charset="utf-16"><title>Bridge</title></head><body><p>The council voted.</p></body></html>';
    const le = Buffer.from(`\uFEFF${page}`, 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const bytes of [le, be]) expect(decodeContent(bytes)).toEqual({ kind: 'html', text: page });
  });

  it('names the encoding of UTF-16 text without a byte-order mark instead of calling it binary', async () => {
    const noBom = Buffer.from('The council voted on Thursday to approve the bridge.', 'utf16le');
    expect(await refusal(() => decodeContent(noBom))).toMatchObject({ kind: 'bad-encoding', message: expect.stringMatching(/^not readable text: the file looks like UTF-16 text without a byte-order mark/) });
  });
});
