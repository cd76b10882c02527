/**
 * The address check for member-supplied links: a host is resolved once, every address it resolves to must be
 * public and none this machine's own, and the caller connects to that checked address (so a second DNS answer cannot
 * point elsewhere).
 * Range classification is ipaddr.js's (IANA special-purpose registries), not hand-written.
 */
import { lookup, Resolver as DnsResolver } from 'node:dns/promises';
import os from 'node:os';
import ipaddr from 'ipaddr.js';
import { IntakeError } from './errors';

/** Host name → its addresses. Injectable at the network edge only (tests, a custom DNS). */
export type Resolver = (host: string) => Promise<string[]>;

/**
 * c-ares's first wait for a DNS server's answer; the one retry waits about twice as long: one silent server cost 6-7 s,
 * and as c-ares asks each server of /etc/resolv.conf in turn, two silent ones 11-12 s and three 16 s (measured), past
 * the fetch's own 10 s: hence one deadline over the whole lookup (`DNS_DEADLINE_MS`).
 */
const DNS_TIMEOUT_MS = 2000;
const DNS_TRIES = 2;
/**
 * The longest a link's lookup waits, every server and try together, before it is told as the DNS's fault
 * ('timed-out'). 5 s lets a name pass two silent servers' first tries (4 s) to a third that answers (glibc reads
 * three servers at most).
 */
const DNS_DEADLINE_MS = 5000;

/** The answers of a name that has no address of one family: not a failure while the other family has one. */
const NO_ADDRESS = new Set(['ENODATA', 'ENOTFOUND']);
/** The codes of DNS servers that never answered: each try timed out, or `linkResolver`'s deadline cancelled the rest. */
const SILENT = new Set(['ETIMEOUT', 'ECANCELLED']);
/** Answers that say nothing of the name (RCODE SERVFAIL, REFUSED): the server's fault, not the link's. */
const SERVER_FAILED: Record<string, [string, string]> = { ESERVFAIL: ['failed', 'SERVFAIL'], EREFUSED: ['refused', 'REFUSED'] };

/**
 * A link's host asked of the DNS servers (those of /etc/resolv.conf, or `servers`) by c-ares (`dns.promises.Resolver`),
 * not by `dns.lookup`. Why: `dns.lookup` is getaddrinfo on libuv's thread pool, where name lookups may hold only two
 * threads at once, and glibc waits 10 s (5 s, twice) for a server that does not answer. Eight links to names whose
 * DNS server stays silent (a member's own server, dropping packets) then queued every other lookup of the process
 * behind them: a link to a good site timed out after 10 s, and a new connection of discord.js (which looks up through
 * `dns.lookup`) waited ~40 s (docs/measurements.md, "Links' DNS off the thread pool"). c-ares asks on the event loop,
 * each question under its own timeout and tries, so silent servers cost their own links 5 s and no one else anything.
 * Chosen over a bound on concurrent lookups plus a timeout because a timed-out getaddrinfo cannot be cancelled: it
 * would still hold its thread. The price: the hosts file, search domains and nsswitch (mDNS) are not consulted here
 * ("localhost" is loopback by rule, in `checkHost`); under the owner's opt-in to intranets
 * (ARTICLE_FETCH_ALLOW_PRIVATE), `resolveName` asks them next.
 */
export function linkResolver(servers?: string[], timeoutMs = DNS_TIMEOUT_MS, deadlineMs = DNS_DEADLINE_MS): Resolver {
  return async (host) => {
    // One resolver a lookup: it reads /etc/resolv.conf as it starts, so a change of DNS servers (DHCP, a VPN) is
    // followed as getaddrinfo follows it, for ~0.04 ms more a lookup (p50 0.24 ms against 0.20 with one shared).
    let dns = new DnsResolver({ timeout: timeoutMs, tries: DNS_TRIES });
    if (servers) dns.setServers(servers);
    const all = dns.getServers();
    let expired = false;
    // Node's options bound each try, not the lookup (Node 24's maxTimeout only caps a retry's wait): cancel() ends
    // the questions still asked at the deadline (ECANCELLED), and a family already answered is kept.
    const deadline = setTimeout(() => ((expired = true), dns.cancel()), deadlineMs);
    try {
      for (let from = 1; ; from++) {
        // IPv4 first: the address connected to is the first, and IPv4 reaches more sites from more machines.
        const answers = await Promise.allSettled([dns.resolve4(host), dns.resolve6(host)]);
        const found = answers.flatMap((a) => (a.status === 'fulfilled' ? a.value : []));
        const failures = answers.flatMap((a) => (a.status === 'rejected' && !NO_ADDRESS.has(a.reason?.code) ? [a.reason] : []));
        // A family never answered outweighs the other's failure (SERVFAIL): the servers were silent, so `resolveName`
        // sends no getaddrinfo after them, which would ask that family again and hold a pool thread waiting.
        const failed = failures.find((e) => SILENT.has(e?.code)) ?? failures[0];
        if (found.length > 0 || !failed) return found;
        // After a SERVFAIL or REFUSED glibc asks the next server, but c-ares as Node sets it up (ARES_FLAG_NOCHECKRESP)
        // hands that answer back: so a broken first server of resolv.conf failed every link. The servers after it are
        // asked anew, in order, under the same deadline. c-ares does not tell which server answered so: each round
        // starts one server further (after a silent first server the failing one is asked twice: one quick answer).
        // Not covered: under resolv.conf's `options rotate` c-ares picks each question's server at random, so a working
        // server before the failing one may go unasked (about half such links still fail, as before; measured).
        const rest = all.slice(from).filter(canAskAnew);
        if (!Object.hasOwn(SERVER_FAILED, failed.code) || rest.length === 0 || expired) throw failed;
        dns = new DnsResolver({ timeout: timeoutMs, tries: DNS_TRIES });
        dns.setServers(rest);
      }
    } finally {
      clearTimeout(deadline);
    }
  };
}

/**
 * Whether a server of `getServers()` ('1.2.3.4', '1.2.3.4:53', '::1', '[::1]:53') can be given to a new resolver: not
 * an IPv6 link-local one, whose zone (fe80::1%eth0) Node drops, so that its packets could not be sent ('unreachable',
 * told instead of the failing server's answer).
 */
function canAskAnew(server: string): boolean {
  const host = server.replace(/^\[(.*)\]:\d+$/, '$1');
  return !(ipaddr.IPv6.isValid(host) && ipaddr.IPv6.parse(host).range() === 'linkLocal');
}

/** The links' resolver on the DNS servers of /etc/resolv.conf: what `checkHost` asks unless given another. */
const defaultLinkResolver: Resolver = linkResolver();

/**
 * The system's own lookup (getaddrinfo: the hosts file, search domains, nsswitch), for the hosts the bot's settings
 * name and no member picks (an upload's: Discord's, and DISCORD_API_BASE's, which discord.js itself reaches this way,
 * and which may be known only to /etc/hosts or by a Kubernetes search domain). A silent DNS server there is the
 * owner's own, not a link's. Links reach it only under the owner's opt-in to intranets (`resolveName`).
 */
export const systemLookup: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface AddressPolicy {
  /** Allow private, loopback and link-local addresses (ARTICLE_FETCH_ALLOW_PRIVATE=true: intranets, tests). */
  allowPrivate?: boolean;
  /** Single addresses allowed although not public (a known intranet server), without opening all the rest. */
  trustedAddresses?: readonly string[];
  resolve?: Resolver;
  /**
   * The system's lookup asked under `allowPrivate` after the DNS servers answered without an address (default
   * `systemLookup`). Injectable at the network edge: tests must not wait on the machine's own DNS.
   */
  systemLookup?: Resolver;
  /** This machine's addresses (default `machineAddresses`, its network interfaces'). Injectable for tests. */
  ownAddresses?: () => readonly string[];
}

export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Why an address may not be fetched (its range: 'loopback', 'private', 'linkLocal' (cloud metadata
 * 169.254.169.254 is one), 'carrierGradeNat', 'uniqueLocal', …), or null for a public unicast address.
 * IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) are judged as the IPv4 address they carry.
 * @example blockedRange('10.1.2.3') === 'private'; blockedRange('93.184.216.34') === null
 */
export function blockedRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range !== 'unicast') return range;
  // ipaddr.js calls every IPv6 address outside its special list "unicast", among them IPv4-compatible ::7f00:1
  // ([::127.0.0.1]) and local-use NAT64 64:ff9b:1::/48, which reach IPv4 hosts: only 2000::/3 is public.
  return parsed.kind() === 'ipv6' && !parsed.match(GLOBAL_UNICAST_V6) ? 'reserved' : null;
}

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * Every address of this machine's network interfaces. A public one (a VPS's) is no private range, yet a connection to
 * it stays on the machine, where every service listening on all interfaces answers, the firewall of the outside aside.
 */
export function machineAddresses(): string[] {
  try {
    return Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
  } catch {
    return []; // some sandboxes refuse the call (uv_interface_addresses): the ranges are still checked
  }
}

/**
 * Resolves `host` (a name or an IP literal, IPv6 with or without brackets) and returns the address to connect to, or
 * throws `IntakeError('blocked-address' | 'not-found' | 'timed-out' | 'unreachable' | 'dns-failed')` (the last three:
 * the DNS servers' fault).
 * @example const { address } = await checkHost('example.com', { allowPrivate: false })
 */
export async function checkHost(host: string, policy: AddressPolicy = {}): Promise<CheckedAddress> {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  let addresses: string[];
  if (ipaddr.isValid(name)) addresses = [name];
  else if (name === 'localhost' || name.endsWith('.localhost')) addresses = ['127.0.0.1']; // RFC 6761: always loopback
  else addresses = await resolveName(name, policy);
  if (!policy.allowPrivate) {
    const own = new Set((policy.ownAddresses ?? machineAddresses)().filter((a) => ipaddr.isValid(a)).map((a) => ipaddr.process(a).toString()));
    for (const address of addresses) {
      if (policy.trustedAddresses?.includes(address)) continue;
      const range = blockedRange(address);
      const why = range ? `a ${describe(range)} address` : own.has(ipaddr.process(address).toString()) ? "this machine's own address" : null;
      if (why) {
        const shown = address === name ? address : `${name} (${address})`;
        throw new IntakeError('blocked-address', `blocked address: ${shown} is ${why}, which links may not reach`);
      }
    }
  }
  const address = ipaddr.process(addresses[0]).toString();
  return { address, family: ipaddr.IPv4.isValid(address) ? 4 : 6 };
}

/** A name's addresses (at least one), or the refusal that tells whose fault it is: the link's or the DNS servers'. */
async function resolveName(name: string, policy: AddressPolicy): Promise<string[]> {
  const resolve = policy.resolve ?? defaultLinkResolver;
  const system = policy.systemLookup ?? systemLookup;
  let addresses: string[] = [];
  let code: string | undefined;
  try {
    addresses = await resolve(name);
  } catch (err) {
    code = (err as NodeJS.ErrnoException).code;
  }
  if (code && SILENT.has(code)) throw new IntakeError('timed-out', `timed out: the DNS servers did not answer for ${name}`);
  // An owner who allowed intranet sources (checkHost's address checks are off) expects an intranet name to resolve
  // as it does on the machine: one the DNS servers answered without an address is asked of the system's lookup
  // (/etc/hosts, search domains), as an upload's host is. Never after silent servers: a getaddrinfo waiting on them
  // would hold one of the pool's two lookup threads (a server silent only to that second question still could).
  if (addresses.length === 0 && policy.allowPrivate && resolve !== system) addresses = await system(name).catch(() => []);
  if (addresses.length > 0) return addresses;
  // A server that refuses the connection (down, or a port with none listening), fails or refuses to answer knows
  // nothing of the name either: the DNS's fault, as a timeout is; the first told as fetchPage tells a site refusing it.
  if (code === 'ECONNREFUSED') throw new IntakeError('unreachable', `could not reach the DNS servers for ${name}: the connection was refused`);
  if (code && Object.hasOwn(SERVER_FAILED, code)) {
    const [what, rcode] = SERVER_FAILED[code];
    throw new IntakeError('dns-failed', `the DNS servers ${what} to answer for ${name} (${rcode}); the link itself may be fine: try again later, or ask the bot's host if it lasts`);
  }
  throw new IntakeError('not-found', `not found: the host ${name} does not resolve to any address`);
}

const RANGE_NAMES: Record<string, string> = {
  loopback: 'loopback',
  private: 'private-network',
  linkLocal: 'link-local (cloud metadata)',
  carrierGradeNat: 'carrier-grade NAT',
  uniqueLocal: 'unique-local (private IPv6)',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
  reserved: 'reserved',
};

function describe(range: string): string {
  return RANGE_NAMES[range] ?? `special-purpose (${range})`;
}
