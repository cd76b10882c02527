import { describe, expect, it, vi } from 'vitest';
import os from 'node:os';
import { blockedRange, checkHost, machineAddresses, type Resolver } from './address';
import { refusal } from './test-helpers';


/** A DNS edge for tests: fixed answers, and a count of questions asked. */
function fixedDns(answers: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (host: string) => {
    asked.push(host);
    return answers[host] ?? [];
  };
  return Object.assign(resolve, { asked });
}

describe('blockedRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'], // AWS/GCP/Azure metadata
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.100.100.200', 'carrierGradeNat'], // Alibaba Cloud metadata
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'uniqueLocal'], // AWS metadata over IPv6
    ['::ffff:127.0.0.1', 'loopback'], // IPv4-mapped IPv6 is judged as the IPv4 address it carries
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:a9fe:a9fe', 'linkLocal'], // 169.254.169.254, written in hex
    ['ff02::1', 'multicast'],
  ])('%s is %s', (address, range) => {
    expect(blockedRange(address)).toBe(range);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(blockedRange(address)).toBeNull();
  });

  it('also blocks addresses that embed IPv4 ones (6to4, NAT64) and reserved ranges', () => {
    expect(blockedRange('2002:7f00:1::1')).not.toBeNull();
    expect(blockedRange('64:ff9b::a00:1')).not.toBeNull();
    expect(blockedRange('240.0.0.1')).not.toBeNull();
  });

  it('blocks IPv6 outside the global unicast block 2000::/3, which ipaddr.js calls "unicast"', () => {
    // [::127.0.0.1] in a link becomes ::7f00:1 (IPv4-compatible, deprecated but still routed by some hosts).
    for (const address of ['::7f00:1', '::a9fe:a9fe', '::1:7f00:1', '4000::1']) expect(blockedRange(address)).toBe('reserved');
    expect(blockedRange('64:ff9b:1::a00:1')).not.toBeNull(); // local-use NAT64 (RFC 8215): reaches private IPv4 too
  });

  it('refuses links written as decimal, octal or IPv4-compatible IPv6 loopback (after URL parsing)', async () => {
    for (const link of ['http://2130706433/', 'http://0177.0.0.1/', 'http://0x7f.1/', 'http://[::ffff:127.0.0.1]/', 'http://[::127.0.0.1]/', 'http://[64:ff9b:1::a9fe:a9fe]/']) {
      expect((await refusal(checkHost(new URL(link).hostname))).kind).toBe('blocked-address');
    }
  });
});

function interfacesRefused(): boolean {
  try {
    os.networkInterfaces();
    return false;
  } catch {
    return true;
  }
}

describe('checkHost', () => {
  it('refuses localhost and loopback literals without asking DNS', async () => {
    const dns = fixedDns({});
    for (const host of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '[::1]', '::ffff:127.0.0.1']) {
      const err = await refusal(checkHost(host, { resolve: dns }));
      expect(err.kind).toBe('blocked-address');
    }
    expect(dns.asked).toEqual([]);
  });

  it('refuses a DNS name resolving to 127.0.0.1, naming the host and the address', async () => {
    const err = await refusal(checkHost('innocent.example', { resolve: fixedDns({ 'innocent.example': ['127.0.0.1'] }) }));
    expect(err.message).toBe('blocked address: innocent.example (127.0.0.1) is a loopback address, which links may not reach');
  });

  it('refuses a name when any of its addresses is private', async () => {
    const dns = fixedDns({ 'mixed.example': ['93.184.216.34', '10.0.0.7'] });
    expect((await refusal(checkHost('mixed.example', { resolve: dns }))).message).toContain('10.0.0.7');
  });

  it('returns the checked public address to connect to', async () => {
    const dns = fixedDns({ 'news.example': ['93.184.216.34', '2606:2800:220:1::1'] });
    expect(await checkHost('news.example', { resolve: dns })).toEqual({ address: '93.184.216.34', family: 4 });
    expect(await checkHost('[2606:4700:4700::1111]')).toEqual({ address: '2606:4700:4700::1111', family: 6 });
  });

  it('lets private addresses through with allowPrivate, and single trusted ones without it', async () => {
    const dns = fixedDns({ 'intranet.example': ['10.0.0.5'] });
    expect(await checkHost('intranet.example', { resolve: dns, allowPrivate: true })).toEqual({ address: '10.0.0.5', family: 4 });
    expect(await checkHost('intranet.example', { resolve: dns, trustedAddresses: ['10.0.0.5'] })).toEqual({ address: '10.0.0.5', family: 4 });
    expect((await refusal(checkHost('10.0.0.6', { trustedAddresses: ['10.0.0.5'] }))).kind).toBe('blocked-address');
  });

  it("refuses this machine's own public addresses (a VPS's address reaches every service on it, its firewall aside)", async () => {
    // The machine's interfaces are the system edge: a test host has no public address of its own to show.
    const own = () => ['93.184.216.34', '2606:4700:4700::1111'];
    const dns = fixedDns({ 'me.example': ['93.184.216.34'], 'me6.example': ['2606:4700:4700::1111'], 'mapped.example': ['::ffff:93.184.216.34'] });
    for (const host of ['93.184.216.34', 'me.example', '[2606:4700:4700:0::1111]', 'me6.example', 'mapped.example']) {
      const err = await refusal(checkHost(host, { resolve: dns, ownAddresses: own }));
      expect(err.kind).toBe('blocked-address');
      expect(err.message).toMatch(/is this machine's own address, which links may not reach$/);
    }
    expect(await checkHost('me.example', { resolve: dns, ownAddresses: own, allowPrivate: true })).toEqual({ address: '93.184.216.34', family: 4 });
    expect(await checkHost('me.example', { resolve: dns, ownAddresses: own, trustedAddresses: ['93.184.216.34'] })).toEqual({ address: '93.184.216.34', family: 4 });
    expect(await checkHost('8.8.8.8', { ownAddresses: own })).toEqual({ address: '8.8.8.8', family: 4 });
  });

  // Where the system refuses to list them (the sandbox the next test stands for), there is nothing to compare.
  it.skipIf(interfacesRefused())("takes the machine's own addresses from its network interfaces by default", () => {
    const listed = Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
    expect(listed.length).toBeGreaterThan(0);
    expect(machineAddresses()).toEqual(expect.arrayContaining(listed));
  });

  it('still checks the ranges where the system refuses to list the interfaces (some sandboxes)', async () => {
    const refused = vi.spyOn(os, 'networkInterfaces').mockImplementation(() => {
      throw Object.assign(new Error('uv_interface_addresses returned Unknown system error 1'), { code: 'ERR_SYSTEM_ERROR' });
    });
    try {
      expect(machineAddresses()).toEqual([]);
      expect(await checkHost('8.8.8.8')).toEqual({ address: '8.8.8.8', family: 4 });
      expect((await refusal(checkHost('10.0.0.1'))).kind).toBe('blocked-address');
    } finally {
      refused.mockRestore();
    }
  });

  it('says "not found" for a name with no address', async () => {
    const err = await refusal(checkHost('nowhere.example', { resolve: fixedDns({}) }));
    expect(err).toMatchObject({ kind: 'not-found', message: 'not found: the host nowhere.example does not resolve to any address' });
    const failing: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect((await refusal(checkHost('gone.example', { resolve: failing }))).kind).toBe('not-found');
  });
});
