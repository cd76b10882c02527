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

  it('reads a UTF-16 page without a byte-order mark when the Content-Type header declares it; undeclared, it stays refused', async () => {
    const page = '<!DOCTYPE html><html><head><title>Мост</title></head><body><p>The council voted on Thursday.</p></body></html>';
    const le = Buffer.from(page, 'utf16le');
    const be = Buffer.from(le).swap16();
    expect(decodeContent(le, 'utf-16le')).toEqual({ kind: 'html', text: page });
    expect(decodeContent(le, 'UTF-16')).toEqual({ kind: 'html', text: page }); // "utf-16" is little-endian by the WHATWG's rule
    expect(decodeContent(be, 'utf-16be')).toEqual({ kind: 'html', text: page });
    const chinese = Buffer.from('新华社杭州电。二十国集团领导人峰会在杭州闭幕。', 'utf16le'); // no NUL byte at all (digits would bring some)
    expect(chinese.includes(0)).toBe(false);
    expect(decodeContent(chinese, 'utf-16le')).toEqual({ kind: 'text', text: '新华社杭州电。二十国集团领导人峰会在杭州闭幕。' });
    expect(await refusal(() => decodeContent(le))).toMatchObject({ kind: 'bad-encoding', message: expect.stringMatching(/without a byte-order mark/) });
    expect(await refusal(() => decodeContent(le, 'utf-8'))).toMatchObject({ kind: 'bad-encoding' });
  });

  it('reads declared UTF-16 text in any script, emoji and all, without calling it noise', () => {
    const texts = [
      '新华社杭州9月5日电 二十国集团领导人峰会在杭州闭幕。😀🎉 与会领导人就全球经济治理达成共识。\n',
      '서울에서 열린 회담에서 양국 정상은 협력을 약속했다. 🫩\n',
      'قال المتحدث إن المحادثات كانت مثمرة. 👍🏽\n',
      'Мост одобрен после восьми лет споров, сказал мэр. 🇷🇺\n',
    ];
    for (const text of texts) {
      expect(decodeContent(Buffer.from(text.repeat(60), 'utf16le'), 'utf-16le')).toEqual({ kind: 'text', text: text.repeat(60) });
      expect(decodeContent(Buffer.from(text.repeat(60), 'utf16le').swap16(), 'utf-16be').text).toBe(text.repeat(60));
    }
  });

  it('still refuses a binary file served as UTF-16, and checks a declared UTF-16 text as any other', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    expect(await refusal(() => decodeContent(png, 'utf-16le'))).toMatchObject({ kind: 'binary', message: expect.stringMatching(/PNG image/) });
    let seed = 7; // the same "random" bytes every run: a linear congruential generator
    const noise = Uint8Array.from({ length: 20_000 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) >>> 16);
    for (const label of ['utf-16le', 'utf-16be']) {
      expect(await refusal(() => decodeContent(noise, label))).toMatchObject({ kind: 'binary', message: 'not an article: the file is binary, not text or HTML' });
    }
    expect((await refusal(() => decodeContent(Buffer.from('Hi \u0007 there.', 'utf16le'), 'utf-16le'))).kind).toBe('binary');
    const cut = Buffer.from('The council voted. '.repeat(50), 'utf16le').subarray(0, -1); // text, its last character cut in half
    expect(await refusal(() => decodeContent(cut, 'utf-16le'))).toMatchObject({ kind: 'bad-encoding', message: 'not readable text: the bytes are not valid utf-16le (save the file as UTF-8)' });
    const shortCut = Buffer.from('The council voted on Thursday.', 'utf16le').subarray(0, -1); // its half character is no noise either
    expect(await refusal(() => decodeContent(shortCut, 'utf-16le'))).toMatchObject({ kind: 'bad-encoding', message: 'not readable text: the bytes are not valid utf-16le (save the file as UTF-8)' });
  });

  it('refuses, saying why, a UTF-16 page served as the other byte order (its text read that way is CJK-like noise)', async () => {
    const page = '<!DOCTYPE html><html><head><title>Bridge</title></head><body><p>The council voted on Thursday to approve the bridge.</p></body></html>';
    const le = Buffer.from(page, 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const [bytes, label, as] of [[be, 'utf-16', 'UTF-16BE'], [be, 'utf-16le', 'UTF-16BE'], [le, 'utf-16be', 'UTF-16LE']] as const) {
      const declared = label === 'utf-16' ? 'UTF-16LE' : label.toUpperCase();
      expect(await refusal(() => decodeContent(bytes, label))).toMatchObject({ kind: 'bad-encoding', message: `not readable text: the file is declared ${declared} but its bytes are ${as} (save it as UTF-8)` });
    }
  });

  it('reads a UTF-8 page its server calls UTF-16 as UTF-8 (read as UTF-16 its bytes are noise), not as a binary file', () => {
    const page = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Café</title></head><body><p>The council voted on Thursday to approve the bridge, 7–2.</p></body></html>';
    for (const label of ['utf-16', 'utf-16le', 'utf-16be']) expect(decodeContent(utf8(page), label)).toEqual({ kind: 'html', text: page });
    expect(decodeContent(utf8('Bridge approved\n\nThe council voted on Thursday.\n'), 'utf-16le')).toEqual({ kind: 'text', text: 'Bridge approved\n\nThe council voted on Thursday.\n' });
  });

  it('reads a page whose <meta> says UTF-16 as UTF-8, as browsers do (its bytes were readable to find the tag)', () => {
    const page = '<html><head><meta charset="utf-16"><title>Café</title></head><body><p>Bridge approved.</p></body></html>';
    expect(decodeContent(utf8(page))).toEqual({ kind: 'html', text: page });
  });
});
