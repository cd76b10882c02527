import { describe, expect, it } from 'vitest';
import { parseArticle } from './articles';
import { decodeArticleText, looksLikeUtf16WithoutBom, UTF16_WITHOUT_BOM, utf16OrderWithoutBom } from './decode-text';

const ARTICLE = 'Мост одобрен — Bridge approved\n\nThe council voted on Thursday to approve the new bridge. Work starts in May.\n';
const utf16le = (s: string, bom = true) => Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string) => utf16le(s).swap16();

describe('decodeArticleText', () => {
  it('reads UTF-16 with a byte-order mark, either byte order, as the same text as UTF-8 (mark dropped)', () => {
    expect(decodeArticleText(utf16le(ARTICLE))).toBe(ARTICLE);
    expect(decodeArticleText(utf16be(ARTICLE))).toBe(ARTICLE);
    expect(decodeArticleText(Buffer.from(`\uFEFF${ARTICLE}`, 'utf8'))).toBe(ARTICLE);
  });

  it('serves the same sentences from a UTF-16 file as from its UTF-8 twin', () => {
    const sentences = (bytes: Uint8Array) => {
      const a = parseArticle('a.txt', bytes);
      return [a.title, ...a.sentences.map((s) => a.text.slice(s.start, s.end))];
    };
    const expected = ['Мост одобрен — Bridge approved', 'The council voted on Thursday to approve the new bridge.', 'Work starts in May.'];
    expect(sentences(Buffer.from(ARTICLE, 'utf8'))).toEqual(expected);
    expect(sentences(utf16le(ARTICLE))).toEqual(expected);
    expect(sentences(utf16be(ARTICLE))).toEqual(expected);
  });

  it('names the encoding problem of UTF-16 without a byte-order mark, and still calls binary files binary', () => {
    expect(() => decodeArticleText(utf16le(ARTICLE, false))).toThrow(UTF16_WITHOUT_BOM);
    expect(() => decodeArticleText(utf16le(ARTICLE, false).swap16())).toThrow(UTF16_WITHOUT_BOM);
    expect(() => decodeArticleText(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]))).toThrow('binary file, not text');
    // A binary file that happens to start with a UTF-16 byte-order mark.
    expect(() => decodeArticleText(new Uint8Array([0xff, 0xfe, 0, 0, 1, 2, 0, 0]))).toThrow('binary file, not text');
    expect(() => decodeArticleText(new Uint8Array([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]))).toThrow('not valid UTF-16LE text');
    expect(() => decodeArticleText(Buffer.from('Caf\xe9 au lait', 'latin1'))).toThrow('not valid UTF-8 text');
  });

  it('tells UTF-16 without a mark from binary data by where the NUL bytes fall', () => {
    expect(looksLikeUtf16WithoutBom(utf16le('The talks lasted ninety minutes.', false))).toBe(true);
    const binary = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251);
    expect(looksLikeUtf16WithoutBom(binary)).toBe(false);
    expect(looksLikeUtf16WithoutBom(new Uint8Array(4096))).toBe(false); // all NUL: no text
    expect(utf16OrderWithoutBom(utf16le('The talks lasted ninety minutes.', false))).toBe('utf-16le');
    expect(utf16OrderWithoutBom(utf16le('The talks lasted ninety minutes.', false).swap16())).toBe('utf-16be');
    expect(utf16OrderWithoutBom(binary)).toBe(null);
  });
});
