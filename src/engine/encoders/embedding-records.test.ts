/**
 * The flat record table of the embedding cache: every key found at its row, vectors read back as stored.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KEY_BYTES, RecordRows } from './embedding-records';

const dim = 3;
const recordBytes = KEY_BYTES + 4 * dim + 4;
const key = (i: number) => createHash('sha1').update(`text ${i}`).digest('binary');

function record(i: number): Buffer {
  const b = Buffer.alloc(recordBytes);
  b.write(key(i), 0, KEY_BYTES, 'latin1');
  for (let d = 0; d < dim; d++) b.writeFloatLE(i + d / 4, KEY_BYTES + 4 * d);
  return b;
}

describe('RecordRows', () => {
  it('finds every added key at its row across chunks and table growth, and adds a key once', () => {
    const rows = new RecordRows(recordBytes, 7); // small chunks: many of them
    for (let i = 0; i < 5000; i++) expect(rows.add(record(i))).toBe(i);
    expect(rows.add(record(1234))).toBe(1234);
    expect(rows.rows).toBe(5000);
    expect(rows.size).toBe(5000);
    for (let i = 0; i < 5000; i++) {
      const row = rows.find(key(i));
      expect(row).toBe(i);
      expect([...rows.vector(row, dim)]).toEqual([i, i + 0.25, i + 0.5]);
      expect(rows.record(row).equals(record(i))).toBe(true);
    }
    for (let i = 5000; i < 5100; i++) expect(rows.find(key(i))).toBe(-1);
  });

  it('indexes a file buffer in place: rejected rows keep their place but are not found, a repeated key keeps its first row', () => {
    const records = Buffer.allocUnsafeSlow(5 * recordBytes); // aligned, as the cache reads a file
    Buffer.concat([0, 1, 2, 1, 3].map(record)).copy(records);
    const rows = RecordRows.fromBuffer(records, recordBytes, (r) => r !== 2);
    expect(rows.rows).toBe(5);
    expect([0, 1, 2, 3].map((i) => rows.find(key(i)))).toEqual([0, 1, -1, 4]);
    expect(rows.size).toBe(3);
    // A view into the very buffer that was read, not a copy.
    rows.vector(4, dim)[0] = 99;
    expect(records.readFloatLE(4 * recordBytes + KEY_BYTES)).toBe(99);
  });
});
