/**
 * Fetching a member-supplied link without letting it reach the bot's own network: http/https only, every hop
 * (at most 5 redirects) resolved and checked by `checkHost`, the connection pinned to the checked address,
 * one time limit over the whole fetch, and the size cap enforced while the body streams in (after decompression).
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { tooLargeReason } from '../engine/corpus/too-large';
import { DeflateDecoder } from './deflate-body';
import { checkHost, systemLookup, type AddressPolicy, type CheckedAddress } from './address';
import { IntakeError } from './errors';

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface FetchOptions extends AddressPolicy {
  /** The body is cut off and refused past this many bytes (MAX_FILE_MB). */
  maxBytes: number;
  /** For the whole fetch, redirects included (default 10 s). */
  timeoutMs?: number;
  /**
   * When set, every hop's host must be one of these (an upload: Discord's attachment hosts, fetched with `allowPrivate`),
   * resolved by the system's lookup (`systemLookup`): names of the settings', not a member's.
   */
  onlyHosts?: readonly string[];
}

export interface FetchedPage {
  /** The address the body came from, after redirects. */
  url: string;
  bytes: Uint8Array;
  contentType: string | null;
}

/**
 * Fetches a link; throws `IntakeError` ('bad-link', 'blocked-address', 'not-found', 'http-error', 'timed-out',
 * 'unreachable', 'dns-failed', 'too-large') with a one-line reason.
 * @example const page = await fetchPage('https://example.com/news/1', { maxBytes: 5 << 20 })
 */
export async function fetchPage(link: string, options: FetchOptions): Promise<FetchedPage> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const timedOut = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(new IntakeError('timed-out', `timed out: no complete answer within ${timeoutMs / 1000} s`))),
  );
  timedOut.catch(() => {});
  let url = parseLink(link);
  const policy: AddressPolicy = { ...options, resolve: options.resolve ?? (options.onlyHosts ? (options.systemLookup ?? systemLookup) : undefined) };
  try {
    for (let hop = 0; ; hop++) {
      if (options.onlyHosts && !options.onlyHosts.includes(url.hostname)) {
        throw new IntakeError('blocked-address', `blocked address: ${hop ? 'redirected to ' : ''}${url.hostname}, which is not one of the hosts this download may come from`);
      }
      // The system's lookup (an upload's host; a link's under the intranet opt-in) cannot be cancelled: race it against
      // the clock (a link's DNS servers are given up at their own 5 s deadline).
      const address = await Promise.race([checkHost(url.hostname, policy), timedOut]);
      const response = await Promise.race([request(url, address, controller.signal), timedOut]);
      const status = response.statusCode ?? 0;
      if (REDIRECTS.has(status) && response.headers.location) {
        // Not read on (resume): a redirect's body, endless or not, was downloaded while the next hop answered.
        response.destroy();
        if (hop >= MAX_REDIRECTS) throw new IntakeError('http-error', `too many redirects (more than ${MAX_REDIRECTS})`);
        url = parseLink(new URL(response.headers.location, url).href);
        continue;
      }
      if (status === 404 || status === 410) throw drain(response, new IntakeError('not-found', `not found: ${url.host} answered HTTP ${status}`));
      if (status < 200 || status >= 300) throw drain(response, new IntakeError('http-error', `${url.host} answered HTTP ${status}`));
      const declared = Number(response.headers['content-length']);
      if (declared > options.maxBytes) throw drain(response, new IntakeError('too-large', tooLargeReason(options.maxBytes, declared)));
      const bytes = await Promise.race([readCapped(response, options.maxBytes, url.host), timedOut]);
      return { url: url.href, bytes, contentType: response.headers['content-type'] ?? null };
    }
  } catch (err) {
    if (err instanceof IntakeError) throw err;
    if (controller.signal.aborted) throw new IntakeError('timed-out', `timed out: no complete answer within ${timeoutMs / 1000} s`);
    throw new IntakeError('unreachable', `could not reach ${url.host}: ${networkReason(err as NodeJS.ErrnoException)}`);
  } finally {
    clearTimeout(timer);
    controller.abort(); // closes a socket still open after an error
  }
}

/**
 * A link as typed: trimmed, and out of the angle brackets Discord's users put around a link to post it unpreviewed
 * (`<https://…>`, also RFC 3986's way to set one apart in text). Taken before anything compares or logs it.
 * @example unwrapLink(' <https://news.example/a> ') // 'https://news.example/a'
 */
function unwrapLink(link: string): string {
  const trimmed = link.trim();
  return /^<[^<>]*>$/.test(trimmed) ? trimmed.slice(1, -1).trim() : trimmed;
}

/**
 * `link` as fetched (`unwrapLink`) without its user name and password (`<https://ann:pw@host/a>` → `https://host/a`);
 * one that does not parse keeps the rest as given. The fetch sends them (a page behind a password), but the saved
 * article's link shows in every answer and in /sources, and the log keeps what it is given.
 * @example withoutCredentials('https://ann:pw@news.example/a') // 'https://news.example/a'
 */
export function withoutCredentials(typed: string): string {
  const link = unwrapLink(typed);
  try {
    const url = new URL(link);
    if (!url.username && !url.password) return link;
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    // Up to the authority's last "@", as the URL parser takes it (after a "<" left unclosed too).
    return link.replace(/^(\s*<?\s*[a-z][a-z\d+.-]*:[/\\]*)[^/\\?#]*@/i, '$1');
  }
}

function parseLink(link: string): URL {
  let url: URL;
  try {
    url = new URL(unwrapLink(link));
  } catch {
    throw new IntakeError('bad-link', 'not a link: give a full address starting with https://');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new IntakeError('bad-link', `only http and https links can be added, not ${url.protocol.replace(/:$/, '')}`);
  }
  return url;
}

/** One GET to the checked address: a fresh connection (no pooled socket to another address), the name kept for TLS. */
function request(url: URL, pinned: CheckedAddress, signal: AbortSignal): Promise<http.IncomingMessage> {
  const lookup: LookupFunction = (_host, opts, callback) => {
    if (opts.all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, {
      agent: false,
      lookup,
      signal,
      headers: {
        'user-agent': 'quotebot/0.1 (article intake)',
        accept: 'text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,*/*;q=0.1',
        'accept-encoding': 'gzip, deflate, br',
      },
    });
    req.on('response', resolve);
    req.on('error', reject);
  });
}

/** `host`: who sent it, for the refusal of a body that does not decompress. */
async function readCapped(response: http.IncomingMessage, maxBytes: number, host: string): Promise<Uint8Array> {
  const encoding = String(response.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? zlib.createGunzip() : encoding === 'deflate' ? new DeflateDecoder() : encoding === 'br' ? zlib.createBrotliDecompress() : null;
  const body: Readable = decoder ? response.pipe(decoder) : response;
  if (decoder) response.on('error', (err) => decoder.destroy(err));
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        response.destroy();
        decoder?.destroy();
        throw new IntakeError('too-large', `${tooLargeReason(maxBytes)}; the download was stopped`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    // zlib's own errors (Z_DATA_ERROR; brotli's ERR__ERROR_FORMAT_…), not a network one passed on through the decoder.
    if (decoder && /^(Z_|ERR__ERROR|ERR_BROTLI)/.test(String((err as NodeJS.ErrnoException).code))) {
      response.destroy();
      throw new IntakeError('http-error', `${host} sent a broken ${encoding} body (it does not decompress)`);
    }
    throw err;
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function drain(response: http.IncomingMessage, error: IntakeError): IntakeError {
  response.destroy();
  return error;
}

function networkReason(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ECONNRESET':
      return 'the connection was closed';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host is unreachable';
    default:
      return err.code?.startsWith('ERR_TLS') || /certificate/i.test(err.message) ? 'its TLS certificate is not valid' : err.message.split('\n')[0];
  }
}
