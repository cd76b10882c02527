/** fetchPage against real HTTP servers on 127.0.0.1; only DNS answers are injected (the network edge). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Resolver } from './address';
import { lookupOwnName, ownName, refusal } from './test-helpers';
import { fetchPage, withoutCredentials, type FetchOptions } from './fetch-page';

const MB = 1024 * 1024;
const servers: http.Server[] = [];

async function serve(handler: http.RequestListener): Promise<{ base: string; port: number; requests: http.IncomingMessage[] }> {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, port, requests };
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});


const PAGE = '<!doctype html><html><head><title>Bridge</title></head><body><p>The council voted on Thursday.</p></body></html>';
/** The test server is the only private address these fetches may reach, so redirects onward are really checked. */
const LOCAL_ONLY: FetchOptions = { maxBytes: MB, trustedAddresses: ['127.0.0.1'] };

describe('fetchPage', () => {
  it('fetches a page on 127.0.0.1 when private addresses are allowed', async () => {
    const { base } = await serve((_, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE));
    const page = await fetchPage(`${base}/news/bridge`, { maxBytes: MB, allowPrivate: true });
    expect(page).toMatchObject({ url: `${base}/news/bridge`, contentType: 'text/html; charset=utf-8' });
    expect(Buffer.from(page.bytes).toString()).toBe(PAGE);
  });

  it('refuses the same page as a blocked address when they are not, without connecting', async () => {
    const { base, requests } = await serve((_, res) => res.end(PAGE));
    const blocked = { kind: 'blocked-address', message: 'blocked address: 127.0.0.1 is a loopback address, which links may not reach' };
    expect(await refusal(fetchPage(`${base}/news/bridge`, { maxBytes: MB }))).toMatchObject(blocked);
    // Taken out of its angle brackets, or behind a user name, it is checked all the same.
    expect(await refusal(fetchPage(`<${base.replace('//', '//ann:s3cret@')}/news/bridge>`, { maxBytes: MB }))).toMatchObject(blocked);
    expect(requests).toHaveLength(0);
  });

  it.each([
    ['a private address', 'http://10.0.0.1/admin', '10.0.0.1 is a private-network address'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local (cloud metadata) address'],
    ['an IPv6 unique-local address', 'http://[fd00::1]/', 'fd00::1 is a unique-local'],
    ['a name that resolves to a private address', 'http://intranet.example/', 'intranet.example (192.168.0.10) is a private-network address'],
  ])('refuses a redirect to %s', async (_, target, reason) => {
    const { base } = await serve((_, res) => res.writeHead(302, { location: target }).end());
    const resolve: Resolver = async (host) => (host === 'intranet.example' ? ['192.168.0.10'] : []);
    const err = await refusal(fetchPage(`${base}/go`, { ...LOCAL_ONLY, resolve }));
    expect(err.kind).toBe('blocked-address');
    expect(err.message).toContain(reason);
  });

  it('follows up to 5 redirects, refuses the sixth, and refuses non-http schemes', async () => {
    const { base } = await serve((req, res) => {
      const n = Number(req.url!.slice(1));
      if (req.url === '/ftp') res.writeHead(301, { location: 'ftp://files.example/a' }).end();
      else if (n > 0) res.writeHead(307, { location: `/${n - 1}` }).end();
      else res.end(PAGE);
    });
    expect((await fetchPage(`${base}/5`, LOCAL_ONLY)).url).toBe(`${base}/0`);
    expect((await refusal(fetchPage(`${base}/6`, LOCAL_ONLY))).message).toBe('too many redirects (more than 5)');
    expect((await refusal(fetchPage(`${base}/ftp`, LOCAL_ONLY))).message).toBe('only http and https links can be added, not ftp');
    expect((await refusal(fetchPage('file:///etc/passwd', LOCAL_ONLY))).kind).toBe('bad-link');
    expect((await refusal(fetchPage('not a link', LOCAL_ONLY))).kind).toBe('bad-link');
  });

  it("stops reading a redirect's body at once: an endless one is not downloaded while the next hop answers", async () => {
    let redirectClosed = false;
    let closedBeforeAnswer: boolean | null = null;
    const { base } = await serve((req, res) => {
      if (req.url === '/go') {
        res.writeHead(302, { location: '/slow' });
        const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024, 'a')), 2);
        res.on('close', () => {
          clearInterval(timer);
          redirectClosed = true;
        });
      } else
        setTimeout(() => {
          closedBeforeAnswer = redirectClosed;
          res.end(PAGE);
        }, 300);
    });
    expect(Buffer.from((await fetchPage(`${base}/go`, LOCAL_ONLY)).bytes).toString()).toBe(PAGE);
    expect(closedBeforeAnswer).toBe(true);
  });

  it('resolves a name once and connects to the checked address (no second DNS answer is used)', async () => {
    const { port, requests } = await serve((_, res) => res.end(PAGE));
    const answers = [['127.0.0.1'], ['10.9.9.9']];
    const asked: string[] = [];
    const rebinding: Resolver = async (host) => {
      asked.push(host);
      return answers.shift() ?? [];
    };
    const page = await fetchPage(`http://news.test:${port}/a`, { maxBytes: MB, allowPrivate: true, resolve: rebinding });
    expect(Buffer.from(page.bytes).toString()).toBe(PAGE);
    expect(asked).toEqual(['news.test']);
    expect(requests[0].headers.host).toBe(`news.test:${port}`);
  });

  it('says "not found" for 404 and names other HTTP failures, naming the host that answered', async () => {
    // "the site answered HTTP 404" named none: for an upload, which the moderator gave no site for; after a redirect, which one.
    const { base, port } = await serve((req, res) => (req.url === '/moved' ? res.writeHead(302, { location: `http://localhost:${port}/gone` }).end() : res.writeHead(req.url === '/gone' ? 404 : 503).end('no')));
    expect(await refusal(fetchPage(`${base}/gone`, LOCAL_ONLY))).toMatchObject({ kind: 'not-found', message: `not found: 127.0.0.1:${port} answered HTTP 404` });
    expect(await refusal(fetchPage(`${base}/moved`, LOCAL_ONLY))).toMatchObject({ kind: 'not-found', message: `not found: localhost:${port} answered HTTP 404` });
    expect(await refusal(fetchPage(`${base}/busy`, LOCAL_ONLY))).toMatchObject({ kind: 'http-error', message: `127.0.0.1:${port} answered HTTP 503` });
  });

  it('refuses a declared over-size body before reading it', async () => {
    const { base } = await serve((_, res) => res.writeHead(200, { 'content-length': String(3 * MB) }).write('x'));
    expect((await refusal(fetchPage(`${base}/big`, LOCAL_ONLY))).message).toBe('too large: 3.0 MB, over the limit of 1.0 MB (MAX_FILE_MB)');
  });

  it('cuts off an endless streaming body at the size cap', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((resolve) => (closed = resolve));
    const { base } = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024, 'a')), 2);
      res.on('close', () => {
        clearInterval(timer);
        closed();
      });
    });
    const err = await refusal(fetchPage(`${base}/stream`, { ...LOCAL_ONLY, maxBytes: 256 * 1024 }));
    expect(err).toMatchObject({ kind: 'too-large', message: 'too large: over the limit of 256 KB (MAX_FILE_MB); the download was stopped' });
    await serverSawClose;
  });

  it('counts the size after decompression (a small gzip bomb is refused)', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(8 * MB, ' '));
    expect(bomb.length).toBeLessThan(MB / 10);
    const { base } = await serve((_, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb));
    expect((await refusal(fetchPage(`${base}/bomb`, LOCAL_ONLY))).kind).toBe('too-large');
    const { base: ok } = await serve((_, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync(PAGE)));
    expect(Buffer.from((await fetchPage(ok, LOCAL_ONLY)).bytes).toString()).toBe(PAGE);
  });

  it('reads a deflate body with or without its zlib header (browsers accept both), size-capped after inflating', async () => {
    for (const body of [zlib.deflateSync(PAGE), zlib.deflateRawSync(PAGE)]) {
      const { base } = await serve((_, res) => res.writeHead(200, { 'content-encoding': 'deflate' }).end(body));
      expect(Buffer.from((await fetchPage(base, LOCAL_ONLY)).bytes).toString()).toBe(PAGE);
    }
    // Sent in one-byte writes, so the form is told across chunks.
    const { base: dribble } = await serve((_, res) => {
      res.writeHead(200, { 'content-encoding': 'deflate' });
      const body = zlib.deflateRawSync(PAGE);
      let i = 0;
      const next = () => (i < body.length ? res.write(body.subarray(i, ++i), () => setImmediate(next)) : res.end());
      next();
    });
    expect(Buffer.from((await fetchPage(dribble, LOCAL_ONLY)).bytes).toString()).toBe(PAGE);
    for (const bomb of [zlib.deflateSync(Buffer.alloc(8 * MB, ' ')), zlib.deflateRawSync(Buffer.alloc(8 * MB, ' '))]) {
      const { base } = await serve((_, res) => res.writeHead(200, { 'content-encoding': 'deflate' }).end(bomb));
      expect((await refusal(fetchPage(base, LOCAL_ONLY))).kind).toBe('too-large');
    }
  });

  it('says the body is broken, not that the site is out of reach, when it does not decompress', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const { base, port } = await serve((_, res) => res.writeHead(200, { 'content-encoding': encoding }).end('not compressed at all, really not'));
      expect(await refusal(fetchPage(base, LOCAL_ONLY))).toMatchObject({ kind: 'http-error', message: `127.0.0.1:${port} sent a broken ${encoding} body (it does not decompress)` });
    }
  });

  it('times out a server that stalls, before or during the body', async () => {
    const { base } = await serve((req, res) => {
      if (req.url === '/body') res.writeHead(200).write('<html><p>first part');
    });
    for (const path of ['/headers', '/body']) {
      const started = Date.now();
      const err = await refusal(fetchPage(`${base}${path}`, { ...LOCAL_ONLY, timeoutMs: 300 }));
      expect(err).toMatchObject({ kind: 'timed-out', message: 'timed out: no complete answer within 0.3 s' });
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });

  it('says when nothing listens', async () => {
    const { base } = await serve(() => {});
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const err = await refusal(fetchPage(base, LOCAL_ONLY));
    expect(err).toMatchObject({ kind: 'unreachable', message: `could not reach ${base.slice(7)}: the connection was refused` });
  });
});

/** The address the system's lookup gives this machine's name, if it gives one at once (the hosts file). */
const ownNameAddress = await lookupOwnName();

describe('fetchPage of an upload', () => {
  // The hosts an upload may come from are the bot's settings' (Discord's, DISCORD_API_BASE's host), no member's: a
  // proxy standing in for Discord may be named only in /etc/hosts or by a search domain (a Kubernetes service), which
  // discord.js reaches through the system's lookup, and which the links' DNS resolver does not consult.
  it.runIf(ownNameAddress)("resolves the settings' hosts as the system does, hosts file included", async () => {
    const server = http.createServer((_, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('The council voted on Thursday.\n'));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, ownNameAddress!, resolve));
    const { port } = server.address() as AddressInfo;
    const page = await fetchPage(`http://${ownName}:${port}/attachments/1/news.txt`, { maxBytes: MB, allowPrivate: true, onlyHosts: [ownName] });
    expect(Buffer.from(page.bytes).toString()).toBe('The council voted on Thursday.\n');
  });
});

describe('withoutCredentials', () => {
  it('drops a user name and password and the angle brackets, and leaves any other link, or text that is no link, as given', () => {
    expect(withoutCredentials('https://ann:s3cret@news.example/a?b=1')).toBe('https://news.example/a?b=1');
    expect(withoutCredentials('http://ann@news.example/a')).toBe('http://news.example/a');
    expect(withoutCredentials('https://ann:p%40ss@news.example/a')).toBe('https://news.example/a'); // a "@" in the password
    expect(withoutCredentials('https://news.example/a b')).toBe('https://news.example/a b');
    expect(withoutCredentials('not a link @everyone')).toBe('not a link @everyone');
    expect(withoutCredentials('<https://ann:s3cret@news.example/a>')).toBe('https://news.example/a'); // as fetched: see unwrapLink
    // Not a link the fetch takes (a space in the host), but logged as typed: the password went with it.
    expect(withoutCredentials('https://ann:s3cret@news .example/a')).toBe('https://news .example/a');
    expect(withoutCredentials('<https://ann:s3cret@/a>')).toBe('https:///a');
    // Out of its angle brackets with or without a password: the log showed '<https://news.example/a>' without one.
    expect(withoutCredentials(' <https://news.example/a> ')).toBe('https://news.example/a');
    expect(withoutCredentials('<https://ann:s3cret@news .example/a')).toBe('<https://news .example/a');
  });
});
