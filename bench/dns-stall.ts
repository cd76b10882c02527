/**
 * What a link's DNS lookup costs the rest of the bot: eight links to names the DNS server never answers, and
 * meanwhile a file read and the lookup of a name it does answer (another link's, or a connection of the bot's own:
 * discord.js connects through `dns.lookup`); then the time of a normal link fetch (a local web page); then how long
 * a link waits when one, two or three DNS servers never answer, and when the first fails or refuses to answer (the
 * links' resolver's own timings). The system's own resolver is measured, so /etc/resolv.conf must name 127.0.0.1
 * (port 53), where this script serves DNS; as root, without touching the machine's file:
 *   echo 'nameserver 127.0.0.1' > /tmp/resolv.conf
 *   unshare -m sh -c 'mount --bind /tmp/resolv.conf /etc/resolv.conf && npx tsx bench/dns-stall.ts'
 */
import { lookup } from 'node:dns/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { scriptOptions } from '../src/cli/args';
import { checkHost, linkResolver } from '../src/intake/address';
import { fetchPage } from '../src/intake/fetch-page';
import { startTestDns } from '../src/intake/test-dns';
import { percentile } from '../src/percentiles';

scriptOptions(process.argv.slice(2), {}, 'usage: npx tsx bench/dns-stall.ts (no options; as root in a mount namespace: see its header)');
if (!/^nameserver\s+127\.0\.0\.1\s*$/m.test(readFileSync('/etc/resolv.conf', 'utf8'))) {
  process.stderr.write('/etc/resolv.conf does not name 127.0.0.1: see the command at the top of this file\n');
  process.exit(2);
}
const LINKS = 8;
const file = path.join(os.tmpdir(), 'dns-stall-read.bin');
writeFileSync(file, Buffer.alloc(1 << 20, 1));

// 1. Eight names nobody answers for; meanwhile file reads, a link to a name the DNS answers, and a plain lookup.
const server = http.createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>The council voted on Thursday.</p>'));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
const silent = Object.fromEntries(Array.from({ length: LINKS }, (_, i) => [`site${i}.example`, 'silent' as const]));
let dns = await startTestDns({ ...silent, 'news.example': ['127.0.0.1'] }, 53);
const started = Date.now();
const settled: string[] = [];
const lookups = Array.from({ length: LINKS }, (_, i) =>
  checkHost(`site${i}.example`).then(
    () => settled.push(`${Date.now() - started} ms ok`),
    (err: Error & { kind?: string }) => settled.push(`${Date.now() - started} ms ${err.kind}`),
  ),
);
await new Promise((resolve) => setTimeout(resolve, 200));
/** How long `work` took, and how it ended. */
const timed = async (work: () => Promise<unknown>) => {
  const t = performance.now();
  const end = await work().then(() => 'ok', (err: Error & { kind?: string }) => err.kind ?? err.message);
  return `${Math.round(performance.now() - t)} ms (${end})`;
};
const reads = async () => {
  const out: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await readFile(file);
    out.push(Math.round(performance.now() - t));
  }
  return out.join(', ');
};
const [read, link, plain] = await Promise.all([
  reads(),
  timed(() => fetchPage(`http://news.example:${port}/a`, { maxBytes: 1 << 20, allowPrivate: true })),
  timed(() => lookup('news.example')),
]);
process.stdout.write(`while ${LINKS} links' lookups hang: file reads of 1 MB ${read} ms; a link to a page whose name the DNS answers ${link}; dns.lookup of that name (a new connection of discord.js) ${plain}\n`);
await Promise.all(lookups);
process.stdout.write(`the ${LINKS} links' lookups ended after: ${settled.join('; ')}\n`);
await dns.close();

// 2. A normal link: the name answered, the page served on 127.0.0.1.
dns = await startTestDns({ 'news.example': ['127.0.0.1'] }, 53);
const times = { lookup: [] as number[], fetch: [] as number[] };
for (let i = 0; i < 60; i++) {
  let t = performance.now();
  await checkHost('news.example', { allowPrivate: true });
  times.lookup.push(performance.now() - t);
  t = performance.now();
  await fetchPage(`http://news.example:${port}/a`, { maxBytes: 1 << 20, allowPrivate: true });
  times.fetch.push(performance.now() - t);
}
const shown = (xs: number[]) => `p50 ${percentile(xs.slice(10), 50)!.toFixed(2)} ms, p95 ${percentile(xs.slice(10), 95)!.toFixed(2)} ms`;
process.stdout.write(`a name the DNS answers (50 after 10 warm-up): lookup ${shown(times.lookup)}; whole fetch ${shown(times.fetch)}\n`);
server.close();
await dns.close();

// 3. One to three DNS servers that never answer (each on its own port), and after them one that answers.
const silentServers = await Promise.all([1, 2, 3].map(() => startTestDns({ 'site.example': 'silent', 'news.example': 'silent' })));
const answering = await startTestDns({ 'news.example': ['93.184.216.34'] });
const waits: string[] = [];
for (const n of [1, 2, 3]) {
  const servers = silentServers.slice(0, n).map((s) => s.server);
  waits.push(`${n} silent: ${await timed(() => checkHost('site.example', { resolve: linkResolver(servers) }))}`);
  waits.push(`${n} silent, then one answering: ${await timed(() => checkHost('news.example', { resolve: linkResolver([...servers, answering.server]) }))}`);
}
process.stdout.write(`a link's lookup when DNS servers never answer: ${waits.join('; ')}\n`);

// 4. A first server that fails (SERVFAIL) or refuses (REFUSED) to answer, then one that answers; then all refusing.
const failing = await startTestDns({ 'news.example': 'servfail' });
const refusing = await startTestDns({ 'news.example': 'refused', 'site.example': 'refused' });
const broken: string[] = [];
for (const [what, first] of [['SERVFAIL', failing], ['REFUSED', refusing]] as const) {
  broken.push(`${what}, then one answering: ${await timed(() => checkHost('news.example', { resolve: linkResolver([first.server, answering.server]) }))}`);
}
broken.push(`two refusing: ${await timed(() => checkHost('site.example', { resolve: linkResolver([refusing.server, refusing.server]) }))}`);
broken.push(`SERVFAIL, then one silent: ${await timed(() => checkHost('news.example', { resolve: linkResolver([failing.server, silentServers[0].server]) }))}`);
process.stdout.write(`a link's lookup when a DNS server fails or refuses: ${broken.join('; ')}\n`);
for (const s of [...silentServers, answering, failing, refusing]) await s.close();
