/**
 * What an upload or a fetched page is, told from its bytes (never from its name or the server's word), and its
 * text decoded from UTF-8 or the charset it declares. Node's TextDecoder knows the WHATWG encodings.
 */
import { isUtf8 } from 'node:buffer';
import { looksLikeUtf16WithoutBom, UTF16_WITHOUT_BOM, utf16OrderWithoutBom } from '../engine/corpus/decode-text';
import { IntakeError } from './errors';

export type ContentKind = 'html' | 'text';

export interface DecodedContent {
  kind: ContentKind;
  text: string;
}

/** Formats recognised by their first bytes, to name them in the refusal. */
const SIGNATURES: Array<[string, number[]]> = [
  ['PDF', [0x25, 0x50, 0x44, 0x46]],
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['ZIP archive (or Word/EPUB document)', [0x50, 0x4b, 0x03, 0x04]],
  ['gzip archive', [0x1f, 0x8b]],
  ['old Word/Office document', [0xd0, 0xcf, 0x11, 0xe0]],
  ['RIFF media (WebP, WAV, AVI)', [0x52, 0x49, 0x46, 0x46]],
  ['executable', [0x7f, 0x45, 0x4c, 0x46]],
];

const BOMS: Array<[string, number[]]> = [
  ['utf-8', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

const startsWith = (bytes: Uint8Array, sig: number[]) => sig.every((b, i) => bytes[i] === b);

/**
 * Sniffs and decodes. `declaredCharset` is the `charset` of a Content-Type header, if any; an HTML page's own
 * `<meta charset>` is read too. Throws `IntakeError` ('binary' or 'bad-encoding') with a one-line reason.
 * @example decodeContent(new TextEncoder().encode('<!doctype html><p>Hi.</p>')).kind === 'html'
 */
export function decodeContent(bytes: Uint8Array, declaredCharset: string | null = null): DecodedContent {
  const bom = BOMS.find(([, sig]) => startsWith(bytes, sig))?.[0] ?? null;
  const format = !bom || bom === 'utf-8' ? SIGNATURES.find(([, sig]) => startsWith(bytes, sig))?.[0] : undefined;
  if (format) throw new IntakeError('binary', `not an article: the file is a ${format}, not text or HTML`);
  let declared = usable(declaredCharset);
  // A page served as UTF-16 with no byte-order mark is read as the header says, as browsers do: its NUL bytes are
  // its text's. Undeclared, such bytes stay refused (they cannot be told from binary safely).
  if (!bom && declared?.startsWith('utf-16')) declared = checkDeclaredUtf16(bytes, declared);
  const utf16 = bom?.startsWith('utf-16') ? bom : !bom && declared?.startsWith('utf-16') ? declared : null;
  if (!bom || bom === 'utf-8') {
    if (!utf16 && bytes.subarray(0, 8192).includes(0)) {
      if (looksLikeUtf16WithoutBom(bytes)) throw new IntakeError('bad-encoding', `not readable text: the file ${UTF16_WITHOUT_BOM}`);
      throw BINARY();
    }
  }
  // The type is sniffed on the first characters: read as bytes (latin1) unless the page is UTF-16, where every
  // other byte is NUL and no tag would be seen (a UTF-16 page was saved as text, its markup and all).
  const head = utf16 ? new TextDecoder(utf16).decode(bytes.subarray(0, 2048)) : latin1(bytes.subarray(0, 1024));
  const html = looksLikeHtml(head.replace(/^\uFEFF/, '').replace(/^\u00EF\u00BB\u00BF/, ''));
  const metaCharset = html ? (/<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1] ?? null) : null;
  // A page whose bytes were read to find its <meta> is not UTF-16: WHATWG's rule reads such a declaration as UTF-8.
  const label = bom ?? declared ?? usable(metaCharset)?.replace(/^utf-16(le|be)$/, 'utf-8') ?? null;
  let text: string;
  try {
    text = new TextDecoder(label ?? 'utf-8', { fatal: true }).decode(bytes);
  } catch {
    // An HTML page that declares nothing and is not UTF-8 is, by the web's rules, windows-1252.
    if (label || !html) {
      throw new IntakeError('bad-encoding', `not readable text: the bytes are not valid ${label ?? 'UTF-8'} (save the file as UTF-8)`);
    }
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  if (/[\u0000-\u0008\u000E-\u001A\u001C-\u001F]/.test(text.slice(0, 8192))) {
    throw new IntakeError('binary', 'not an article: the file holds control characters, so it is binary, not text');
  }
  return { kind: html ? 'html' : 'text', text };
}

const BINARY = () => new IntakeError('binary', 'not an article: the file is binary, not text or HTML');

/**
 * The label to read bytes by (no byte-order mark) that the server declares UTF-16 (`label`): that label, or null
 * when they are UTF-8, so a server's wrong word loses no good page. Throws when they are the other byte order or
 * binary.
 */
function checkDeclaredUtf16(bytes: Uint8Array, label: string): string | null {
  // UTF-16 text holds NULs (a space is one) or bytes UTF-8 forbids (CJK units, ~1 in 2 each): valid UTF-8 with no
  // NUL is UTF-8 text, whose ASCII pairs read as UTF-16 would be CJK-like gibberish, too short to tell as noise.
  if (!bytes.subarray(0, 8192).includes(0) && isUtf8(bytes)) return null;
  // Latin-script text in the other byte order would read as CJK-like noise (or be called binary): say what it is.
  const order = utf16OrderWithoutBom(bytes);
  if (order && order !== label) {
    throw new IntakeError('bad-encoding', `not readable text: the file is declared ${label.toUpperCase()} but its bytes are ${order.toUpperCase()} (save it as UTF-8)`);
  }
  // Whole code units only: a last character cut in half is left to the decoder to name ('not valid').
  if (looksBinary(new TextDecoder(label).decode(bytes.subarray(0, Math.min(8192, bytes.length & ~1))))) throw BINARY();
  return label;
}

/**
 * Whether bytes declared UTF-16 (no byte-order mark) decode to noise rather than text: more than 1 in 100 of the
 * first characters unpaired surrogates (U+FFFD once decoded), private-use or unassigned code points. Text in any
 * script has next to none; random bytes read as UTF-16 give ~1 in 5 (a surrogate alone is 1 in 32 units, the
 * private-use area 1 in 10).
 */
function looksBinary(head: string): boolean {
  const noise = head.match(/[\uFFFD\p{Co}\p{Cn}]/gu)?.length ?? 0;
  return noise > head.length / 100;
}

/** A charset label TextDecoder knows, normalised; null for none or an unknown one. */
function usable(label: string | null): string | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return null;
  }
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/**
 * The WHATWG MIME sniffing rule for HTML (a tag such as `<!DOCTYPE HTML`, `<html`, `<p` or `<!--` first, after
 * white space), plus the tags modern pages start with.
 */
function looksLikeHtml(head: string): boolean {
  return /^\s*(<\?xml[^>]*>\s*)?<(!doctype\s+html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p|meta|link|article|section|header|main|nav|!--)[\s>/]/i.test(
    head,
  );
}
