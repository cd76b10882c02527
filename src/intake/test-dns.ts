/**
 * For the intake's tests and measurements: a DNS server on 127.0.0.1 (UDP), the network edge the link resolver talks
 * to. It answers A and AAAA questions from a table (a name not in it: NXDOMAIN; a name without the family asked:
 * no records); a name given as 'silent' is never answered, as by a server that drops packets, and one given as
 * 'servfail' or 'refused' gets that answer code (a server that failed to find out, or will not answer). A key
 * 'name AAAA' (or 'name A') answers that family of the name alone.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface TestDns {
  /** `127.0.0.1:port`, for `linkResolver([server])`. */
  server: string;
  /** Questions received, as `name type` ('news.example A'). */
  asked: string[];
  close(): Promise<void>;
}

const TYPES: Record<number, string> = { 1: 'A', 28: 'AAAA' };
/** A response's flags (recursion available) with its answer code: NOERROR 0, SERVFAIL 2, NXDOMAIN 3, REFUSED 5. */
const FLAGS = { found: 0x8180, servfail: 0x8182, unknown: 0x8183, refused: 0x8185 };

/** @example const dns = await startTestDns({ 'news.example': ['93.184.216.34'] }) */
export async function startTestDns(table: Record<string, string[] | 'silent' | 'servfail' | 'refused'>, port = 0): Promise<TestDns> {
  const socket = dgram.createSocket('udp4');
  const asked: string[] = [];
  socket.on('message', (query, from) => {
    // The question: labels from byte 12, then its type and class.
    const labels: string[] = [];
    let at = 12;
    for (let len = query[at]; len > 0 && at + len < query.length; len = query[at]) {
      labels.push(query.subarray(at + 1, at + 1 + len).toString('latin1'));
      at += len + 1;
    }
    const name = labels.join('.').toLowerCase();
    const type = query.readUInt16BE(at + 1);
    asked.push(`${name} ${TYPES[type] ?? type}`);
    const key = [`${name} ${TYPES[type]}`, name].find((k) => Object.hasOwn(table, k));
    const known = key !== undefined;
    const entry = known ? table[key] : [];
    if (entry === 'silent') return;
    const question = query.subarray(12, at + 5);
    const records = typeof entry === 'string' ? [] : entry.filter((a) => net.isIP(a) === (type === 28 ? 6 : 4) && (type === 1 || type === 28));
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // the id
    header.writeUInt16BE(typeof entry === 'string' ? FLAGS[entry] : known ? FLAGS.found : FLAGS.unknown, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(records.length, 6);
    const answers = records.map((address) => {
      // ipaddr.js's bytes: an IPv6 address written with an IPv4 tail (::ffff:10.0.0.5) is encoded as it reads.
      const data = Buffer.from(ipaddr.parse(address).toByteArray());
      const record = Buffer.alloc(12);
      record.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      record.writeUInt16BE(type, 2);
      record.writeUInt16BE(1, 4); // IN
      record.writeUInt32BE(60, 6); // TTL
      record.writeUInt16BE(data.length, 10);
      return Buffer.concat([record, data]);
    });
    socket.send(Buffer.concat([header, question, ...answers]), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
  return {
    server: `127.0.0.1:${(socket.address() as AddressInfo).port}`,
    asked,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
