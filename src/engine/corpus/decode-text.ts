/**
 * An article file's bytes as text: UTF-8 (a UTF-8 byte-order mark dropped), or UTF-16 when the file starts with a
 * UTF-16 byte-order mark (what Windows' Notepad writes as "Unicode"). Node's TextDecoder does the decoding.
 */

/** Why bytes are not an article's text; the message is shown to moderators. */
export class TextDecodeError extends Error {
  override name = 'TextDecodeError';
}

/** The first bytes looked at for NUL bytes (a binary file, or UTF-16 without a byte-order mark). */
const SNIFF_BYTES = 8192;

/**
 * The UTF-16 byte order of a file that starts with a UTF-16 byte-order mark, else null.
 * @example utf16ByteOrder(new Uint8Array([0xff, 0xfe, 0x48, 0])) // 'utf-16le'
 */
export function utf16ByteOrder(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * Whether bytes with no byte-order mark look like UTF-16 text: most characters of Latin-script text are ASCII, so
 * in UTF-16 every other byte is NUL. A binary file has NULs too, but not on one side of nearly every pair.
 * @example looksLikeUtf16WithoutBom(new Uint8Array([0x48, 0, 0x69, 0, 0x2e, 0])) // true
 */
export function looksLikeUtf16WithoutBom(bytes: Uint8Array): boolean {
  return utf16OrderWithoutBom(bytes) !== null;
}

/**
 * The byte order of bytes that look like UTF-16 text without a byte-order mark (`looksLikeUtf16WithoutBom`), told by
 * the side of the pairs their NULs are on (the high bytes: second in little-endian); null when they do not.
 * @example utf16OrderWithoutBom(new Uint8Array([0, 0x48, 0, 0x69])) // 'utf-16be'
 */
export function utf16OrderWithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const head = bytes.subarray(0, SNIFF_BYTES & ~1);
  if (head.length < 4) return null;
  const nuls = [0, 0];
  for (let i = 0; i < head.length; i++) if (head[i] === 0) nuls[i & 1]++;
  const pairs = head.length / 2;
  // One side of the pairs mostly NUL, the other almost never (a NUL character is no text's).
  if (Math.max(...nuls) < 0.7 * pairs || Math.min(...nuls) > 0.02 * pairs) return null;
  return nuls[1] > nuls[0] ? 'utf-16le' : 'utf-16be';
}

/** The message for UTF-16 bytes without a byte-order mark, shared by the data folder and uploads. */
export const UTF16_WITHOUT_BOM =
  'looks like UTF-16 text without a byte-order mark, which cannot be read safely: save it as UTF-8 (or as UTF-16 with a byte-order mark)';

/**
 * Decodes an article file; throws `TextDecodeError` with the reason when the bytes are not text it can read.
 * @example decodeArticleText(new TextEncoder().encode('Hi.')) // 'Hi.'
 */
export function decodeArticleText(bytes: Uint8Array): string {
  const utf16 = utf16ByteOrder(bytes);
  if (utf16) {
    let text: string;
    try {
      text = new TextDecoder(utf16, { fatal: true }).decode(bytes);
    } catch {
      throw new TextDecodeError(`not valid ${utf16.toUpperCase()} text (it starts with a UTF-16 byte-order mark)`);
    }
    // Any file may start with these two bytes; a NUL character tells a binary one.
    if (text.slice(0, SNIFF_BYTES).includes('\0')) throw new TextDecodeError('binary file, not text');
    return text;
  }
  if (bytes.subarray(0, SNIFF_BYTES).includes(0)) {
    throw new TextDecodeError(looksLikeUtf16WithoutBom(bytes) ? UTF16_WITHOUT_BOM : 'binary file, not text');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new TextDecodeError('not valid UTF-8 text');
  }
}
