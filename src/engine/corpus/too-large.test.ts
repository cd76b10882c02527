import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataFolder } from './articles';
import { formatSizes, tooLargeReason } from './too-large';

const MB = 1024 * 1024;

describe('formatSizes', () => {
  it('tells a size from the limit it is over: one decimal of MB, then three, then bytes', async () => {
    expect(formatSizes(3 * MB, MB)).toEqual(['3.0 MB', '1.0 MB']);
    expect(formatSizes(1_060_000, MB)).toEqual(['1.011 MB', '1.000 MB']);
    expect(formatSizes(MB + 1, MB)).toEqual(['1,048,577 bytes', '1,048,576 bytes']);
    // Under a MB (MAX_FILE_MB below 1), whole KB rounded, not raised: 1,025 bytes read "2 KB", one byte over "513 KB".
    expect(formatSizes(1025, 1024)).toEqual(['1,025 bytes', '1,024 bytes']);
    expect(formatSizes(524_289, 524_288)).toEqual(['524,289 bytes', '524,288 bytes']);
    expect(formatSizes(600_000, 524_288)).toEqual(['586 KB', '512 KB']);
    expect(formatSizes(MB, 524_288)).toEqual(['1,024 KB', '512 KB']);
    expect(formatSizes(1500, 1400)).toEqual(['1,500 bytes', '1,400 bytes']);
    // A file one byte over read "1.0 MB; the limit is 1.0 MB".
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sizes-'));
    writeFileSync(path.join(dir, 'over.txt'), `Title\n\n${'x'.repeat(MB + 1 - 7)}`);
    const { errors } = await readDataFolder(dir, MB);
    expect(errors).toEqual([{ file: 'over.txt', reason: 'too large: 1,048,577 bytes, over the limit of 1,048,576 bytes (MAX_FILE_MB)' }]);
  });
});

describe('tooLargeReason', () => {
  it('says the size when it is known, and the limit as the size would be told beside it', () => {
    expect(tooLargeReason(MB, 3 * MB)).toBe('too large: 3.0 MB, over the limit of 1.0 MB (MAX_FILE_MB)');
    expect(tooLargeReason(MB)).toBe('too large: over the limit of 1.0 MB (MAX_FILE_MB)');
    expect(tooLargeReason(524_288)).toBe('too large: over the limit of 512 KB (MAX_FILE_MB)');
    // Not raised to a KB: a limit of 500 bytes read "more than 1 KB".
    expect(tooLargeReason(500)).toBe('too large: over the limit of 500 bytes (MAX_FILE_MB)');
  });

  it('tells the limit as it is set, never rounded to another (MAX_FILE_MB takes any number of megabytes)', () => {
    // MAX_FILE_MB=1.25 read "over the limit of 1.3 MB", 0.9 "922 KB": a file of 1.26 MB or 921.7 KB was said over them.
    const limit = (mb: number) => Math.round(mb * MB); // as src/config.ts sets it
    expect(tooLargeReason(limit(1.25))).toBe('too large: over the limit of 1.250 MB (MAX_FILE_MB)');
    expect(tooLargeReason(limit(1.25), 2 * MB)).toBe('too large: 2.000 MB, over the limit of 1.250 MB (MAX_FILE_MB)');
    expect(tooLargeReason(limit(0.9))).toBe('too large: over the limit of 943,718 bytes (MAX_FILE_MB)');
    expect(tooLargeReason(limit(0.9), MB)).toBe('too large: 1,048,576 bytes, over the limit of 943,718 bytes (MAX_FILE_MB)');
    // A limit its first way tells exactly stays in it: 1.1 MB, 512 KB.
    expect(tooLargeReason(limit(1.1), 3 * MB)).toBe('too large: 3.0 MB, over the limit of 1.1 MB (MAX_FILE_MB)');
    expect(tooLargeReason(limit(0.5), 600_000)).toBe('too large: 586 KB, over the limit of 512 KB (MAX_FILE_MB)');
    // A limit of no whole bytes (none is set so) is told in bytes all the same, not thrown over.
    expect(tooLargeReason(1.25 * MB + 0.5)).toBe('too large: over the limit of 1,310,720.5 bytes (MAX_FILE_MB)');
  });
});
