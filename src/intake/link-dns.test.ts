/**
 * The links' resolver (`linkResolver`, c-ares) against a DNS server on 127.0.0.1: the address checks hold on its
 * answers, and names whose server never answers hold up no other link's lookup (they did through `dns.lookup`,
 * whose thread pool let two run at once: bench/dns-stall.ts) and are given up within one deadline; a server's
 * SERVFAIL or REFUSED sends the question to the next, and is the servers' fault, not the link's, when all answer so;
 * under the intranet opt-in the system's lookup comes next.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkHost, linkResolver } from './address';
import { fetchPage } from './fetch-page';
import { startTestDns, type TestDns } from './test-dns';
import { lookupOwnName, ownName, refusal } from './test-helpers';

const servers: TestDns[] = [];
async function dns(table: Parameters<typeof startTestDns>[0]): Promise<TestDns> {
  const server = await startTestDns(table);
  servers.push(server);
  return server;
}
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const TABLE = {
  'news.example': ['2606:4700::6810:84e5', '93.184.216.34'],
  'v6.example': ['2606:4700:4700::1111'],
  'intranet.example': ['10.0.0.5'],
  'rebind.example': ['93.184.216.34', '127.0.0.1'],
  'me.example': ['93.184.216.35'],
  // IPv6 answers that carry an IPv4 address: judged as that address.
  'mapped.example': ['::ffff:10.0.0.5'],
  'nat64.example': ['64:ff9b::7f00:1'],
};

describe('linkResolver', () => {
  it('gives both families, IPv4 first (the address connected to), and the checks hold on them', async () => {
    const server = await dns(TABLE);
    const resolve = linkResolver([server.server]);
    expect(await resolve('news.example')).toEqual(['93.184.216.34', '2606:4700::6810:84e5']);
    expect(await checkHost('news.example', { resolve })).toEqual({ address: '93.184.216.34', family: 4 });
    expect(await checkHost('v6.example', { resolve })).toEqual({ address: '2606:4700:4700::1111', family: 6 });
    expect(await refusal(checkHost('intranet.example', { resolve }))).toMatchObject({ kind: 'blocked-address', message: expect.stringContaining('intranet.example (10.0.0.5)') });
    expect(await checkHost('intranet.example', { resolve, trustedAddresses: ['10.0.0.5'] })).toEqual({ address: '10.0.0.5', family: 4 });
    expect((await refusal(checkHost('rebind.example', { resolve }))).kind).toBe('blocked-address');
    const own = () => ['93.184.216.35'];
    expect((await refusal(checkHost('me.example', { resolve, ownAddresses: own }))).message).toContain("this machine's own address");
    expect(await refusal(checkHost('mapped.example', { resolve }))).toMatchObject({ kind: 'blocked-address', message: expect.stringContaining('mapped.example (::ffff:10.0.0.5) is a private-network address') });
    expect(await refusal(checkHost('nat64.example', { resolve }))).toMatchObject({ kind: 'blocked-address', message: expect.stringContaining('nat64.example (64:ff9b::7f00:1)') });
    expect(await refusal(checkHost('nowhere.example', { resolve }))).toMatchObject({ kind: 'not-found', message: 'not found: the host nowhere.example does not resolve to any address' });
  });

  it('refuses localhost without asking, and asks the DNS, not /etc/hosts, for other names (refused when it knows none)', async () => {
    const server = await dns(TABLE);
    const resolve = linkResolver([server.server]);
    for (const host of ['localhost', 'news.localhost']) expect((await refusal(checkHost(host, { resolve }))).kind).toBe('blocked-address');
    expect(server.asked).toEqual([]);
    // Names the hosts file of most systems maps to loopback (Debian's ip6-localhost; "vm" here).
    for (const host of ['ip6-localhost', 'ip6-loopback']) {
      expect((await refusal(checkHost(host, { resolve }))).kind).toBe('not-found');
      expect(server.asked).toContain(`${host} A`);
    }
  });

  it('keeps answering other links while eight names go unanswered, and gives those up after its tries', async () => {
    const silent = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`site${i}.example`, 'silent' as const]));
    const server = await dns({ ...silent, ...TABLE });
    const resolve = linkResolver([server.server], 200);
    const started = Date.now();
    const hanging = Object.keys(silent).map((host) => refusal(checkHost(host, { resolve })).then((err) => ({ err, ms: Date.now() - started })));
    const t = Date.now();
    expect(await checkHost('news.example', { resolve })).toEqual({ address: '93.184.216.34', family: 4 });
    expect(Date.now() - t).toBeLessThan(500);
    for (const { err, ms } of await Promise.all(hanging)) {
      expect(err).toMatchObject({ kind: 'timed-out', message: expect.stringMatching(/^timed out: the DNS servers did not answer for site\d\.example$/) });
      // 200 ms, then 400 (c-ares adds up to a fifth): well under the fetch's own limit.
      expect(ms).toBeLessThan(3000);
    }
    expect(server.asked.filter((q) => q === 'site0.example A')).toHaveLength(2); // its two tries
  });

  it('tells a DNS server that refuses the connection (a closed port) as the DNS unreachable, not the name unknown', async () => {
    const closed = await startTestDns({});
    await closed.close(); // its port now answers "port unreachable": c-ares's ECONNREFUSED
    const err = await refusal(checkHost('news.example', { resolve: linkResolver([closed.server], 200) }));
    // It was "not found: the host news.example does not resolve to any address", blaming the link.
    expect(err).toMatchObject({ kind: 'unreachable', message: 'could not reach the DNS servers for news.example: the connection was refused' });
  });

  it('gives up within one deadline however many servers stay silent, and still reaches one that answers after them', async () => {
    const silent = await Promise.all([1, 2, 3].map(() => dns({ 'site.example': 'silent', 'news.example': 'silent' })));
    const answering = await dns({ 'news.example': ['93.184.216.34'] });
    const servers = silent.map((s) => s.server);
    const started = Date.now();
    // 200 ms a try, then 400, a server after the other: 2.6-3 s measured without the deadline (11-16 s at the real 2 s).
    expect(await refusal(checkHost('site.example', { resolve: linkResolver(servers, 200, 500) }))).toMatchObject({ kind: 'timed-out', message: 'timed out: the DNS servers did not answer for site.example' });
    expect(Date.now() - started).toBeLessThan(1500);
    // Past two silent servers' first tries (400 ms) to the third.
    const twoSilent = linkResolver([...servers.slice(0, 2), answering.server], 200, 1000);
    expect(await checkHost('news.example', { resolve: twoSilent })).toEqual({ address: '93.184.216.34', family: 4 });
  });

  it('keeps the family answered when the other is still unanswered at the deadline', async () => {
    const server = await dns({ 'half.example A': ['93.184.216.34'], 'half.example AAAA': 'silent' });
    const started = Date.now();
    // 1 s a try, then 2 s: 3 s without the deadline, so only the deadline ends it within 1.5 s.
    expect(await linkResolver([server.server], 1000, 300)('half.example')).toEqual(['93.184.216.34']);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("tells a server's SERVFAIL and REFUSED as the DNS servers' failure, not the name unknown", async () => {
    const server = await dns({ 'failing.example': 'servfail', 'closed.example': 'refused', 'gone.example': [] });
    const resolve = linkResolver([server.server]);
    const advice = "the link itself may be fine: try again later, or ask the bot's host if it lasts";
    // Both were "not found: the host … does not resolve to any address", as for a name that does not exist.
    expect(await refusal(checkHost('failing.example', { resolve }))).toMatchObject({ kind: 'dns-failed', message: `the DNS servers failed to answer for failing.example (SERVFAIL); ${advice}` });
    expect(await refusal(checkHost('closed.example', { resolve }))).toMatchObject({ kind: 'dns-failed', message: `the DNS servers refused to answer for closed.example (REFUSED); ${advice}` });
    // NXDOMAIN and a name without addresses (NODATA) stay the link's.
    for (const host of ['nowhere.example', 'gone.example']) expect(await refusal(checkHost(host, { resolve }))).toMatchObject({ kind: 'not-found', message: `not found: the host ${host} does not resolve to any address` });
  });

  it('asks the next servers, in order, after a SERVFAIL or REFUSED, and fails so only when every server did', async () => {
    const failing = await dns({ 'news.example': 'servfail', 'intranet.example': 'servfail', 'gone.example': 'refused' });
    const refusing = await dns({ 'news.example': 'refused', 'intranet.example': 'refused', 'gone.example': 'refused' });
    const answering = await dns({ 'news.example': ['93.184.216.34'], 'intranet.example': ['10.0.0.5'], 'gone.example': 'refused' });
    // It was 'dns-failed' at the first server, the others never asked (Node's c-ares, unlike glibc).
    for (const first of [failing, refusing]) {
      const resolve = linkResolver([first.server, answering.server]);
      expect(await checkHost('news.example', { resolve })).toEqual({ address: '93.184.216.34', family: 4 });
      // The address finally answered is checked as any other.
      expect(await refusal(checkHost('intranet.example', { resolve }))).toMatchObject({ kind: 'blocked-address', message: expect.stringContaining('intranet.example (10.0.0.5)') });
    }
    expect(answering.asked.filter((q) => q === 'news.example A')).toHaveLength(2);
    const resolve = linkResolver([failing.server, refusing.server, answering.server]);
    expect(await checkHost('news.example', { resolve })).toEqual({ address: '93.184.216.34', family: 4 });
    expect(await refusal(checkHost('gone.example', { resolve }))).toMatchObject({ kind: 'dns-failed', message: expect.stringMatching(/^the DNS servers refused to answer for gone\.example \(REFUSED\)/) });
    for (const server of [failing, refusing, answering]) expect(server.asked).toContain('gone.example A');
  });

  it('keeps one deadline over the servers asked after a SERVFAIL', async () => {
    const failing = await dns({ 'news.example': 'servfail' });
    const silent = await dns({ 'news.example': 'silent' });
    const started = Date.now();
    // 1 s a try, then 2 s, at the second server: 3 s without the deadline.
    expect(await refusal(checkHost('news.example', { resolve: linkResolver([failing.server, silent.server], 1000, 300) }))).toMatchObject({ kind: 'timed-out' });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(silent.asked).toContain('news.example A');
  });

  it('leaves out a link-local server when asking anew (Node drops its zone: it was told as unreachable)', async () => {
    const failing = await dns({ 'news.example': 'servfail' });
    // As resolv.conf's `nameserver fe80::1%eth0` after a failing server: Node's getServers gives it as 'fe80::1'.
    const err = await refusal(checkHost('news.example', { resolve: linkResolver([failing.server, 'fe80::1']) }));
    expect(err).toMatchObject({ kind: 'dns-failed', message: expect.stringContaining('(SERVFAIL)') });
  });
});

/** The address the system's lookup gives this machine's name, if it gives one at once (the hosts file). */
const ownNameAddress = await lookupOwnName();

describe('linkResolver under ARTICLE_FETCH_ALLOW_PRIVATE', () => {
  it.runIf(ownNameAddress)('resolves a name the DNS servers do not know as the system does (the hosts file), only when opted in', async () => {
    const server = await dns({});
    const resolve = linkResolver([server.server]);
    expect(await refusal(checkHost(ownName, { resolve }))).toMatchObject({ kind: 'not-found' });
    expect(await checkHost(ownName, { resolve, allowPrivate: true })).toMatchObject({ address: ownNameAddress });
    expect(server.asked).toContain(`${ownName} A`); // the DNS servers first
    // And after a server's SERVFAIL (the system's lookup is getaddrinfo on the hosts file here: nothing leaves the machine).
    const failing = linkResolver([(await dns({ [ownName]: 'servfail' })).server]);
    expect(await checkHost(ownName, { resolve: failing, allowPrivate: true })).toMatchObject({ address: ownNameAddress });
  });

  it("keeps the DNS servers' reason for a name the system does not know either", async () => {
    const resolve = linkResolver([(await dns({ 'failing.example': 'servfail' })).server]);
    // getaddrinfo's answer for a name neither the hosts file nor the DNS knows, given at once: the real one would ask
    // this machine's DNS servers, which may be silent (10 s and more) where `npm test` runs offline.
    const asked: string[] = [];
    const systemLookup = async (host: string) => {
      asked.push(host);
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    };
    expect(await refusal(checkHost('failing.example', { resolve, allowPrivate: true, systemLookup }))).toMatchObject({ kind: 'dns-failed' });
    expect(await refusal(checkHost('nowhere.example', { resolve, allowPrivate: true, systemLookup }))).toMatchObject({ kind: 'not-found' });
    expect(asked).toEqual(['failing.example', 'nowhere.example']);
  });

  it.runIf(ownNameAddress)('fetches an intranet page by such a name', async () => {
    const server = await dns({});
    const site = http.createServer((_, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('The council voted on Thursday.\n'));
    await new Promise<void>((resolve) => site.listen(0, ownNameAddress!, resolve));
    try {
      const link = `http://${ownName}:${(site.address() as AddressInfo).port}/news`;
      const page = await fetchPage(link, { maxBytes: 1 << 20, allowPrivate: true, resolve: linkResolver([server.server]) });
      expect(Buffer.from(page.bytes).toString()).toBe('The council voted on Thursday.\n');
      expect((await refusal(fetchPage(link, { maxBytes: 1 << 20, resolve: linkResolver([server.server]) }))).kind).toBe('not-found');
    } finally {
      site.close();
    }
  });

  it.runIf(ownNameAddress)('does not ask the system after silent servers (its getaddrinfo would hold a thread on them)', async () => {
    const server = await dns({ [ownName]: 'silent' });
    const err = await refusal(checkHost(ownName, { resolve: linkResolver([server.server], 100, 300), allowPrivate: true }));
    expect(err).toMatchObject({ kind: 'timed-out' });
    // Nor when the servers fail one family and never answer the other: getaddrinfo asks both.
    const half = await dns({ [`${ownName} A`]: 'servfail', [`${ownName} AAAA`]: 'silent' });
    const halfErr = await refusal(checkHost(ownName, { resolve: linkResolver([half.server], 100, 300), allowPrivate: true }));
    expect(halfErr).toMatchObject({ kind: 'timed-out' });
  });
});
