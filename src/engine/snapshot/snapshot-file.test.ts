import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSectionFile, writeSectionFile, type Section } from './snapshot-file';

const root = mkdtempSync(path.join(os.tmpdir(), 'snapshot-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Odd lengths, so sections are followed by padding and separate ones are cut out of the file's buffer with theirs.
const sections: Record<string, Section> = {
  text: Uint8Array.from({ length: 13 }, (_, i) => 65 + i),
  vectors: Float32Array.from({ length: 7 }, (_, i) => i / 3),
  counts: Uint16Array.of(1, 2, 3),
  ids: Int32Array.of(-1, 5, 9),
  last: Float32Array.of(0.5),
};

async function written(name: string): Promise<string> {
  const file = path.join(root, name);
  await writeSectionFile(file, 3, { note: 'meta' }, sections);
  return file;
}

describe('readSectionFile', () => {
  it('gives sections asked for a buffer of their own and views the others in the file\'s, all as written', async () => {
    const file = await written('own.bin');
    for (const separateSections of [[], ['vectors'], ['text', 'ids', 'last'], ['missing']]) {
      const read = (await readSectionFile(file, 3, { separateSections }))!;
      expect(read.meta).toEqual({ note: 'meta' });
      expect(Object.fromEntries(read.sections)).toEqual(sections);
      const separate = [...read.sections].filter(([name]) => separateSections.includes(name));
      for (const [, array] of separate) expect(array.byteOffset).toBe(0);
      // The others share one buffer, which holds none of the separate sections' bytes.
      const shared = new Set([...read.sections].filter(([name]) => !separateSections.includes(name)).map(([, a]) => a.buffer));
      expect(shared.size).toBe(1);
      const separateBytes = separate.reduce((sum, [, a]) => sum + a.byteLength + ((8 - (a.byteLength % 8)) % 8), 0);
      expect([...shared][0].byteLength).toBe(readFileSync(file).length - separateBytes);
    }
  });

  it('still finds a flipped byte inside a section read into its own buffer, and a cut-off file', async () => {
    const file = await written('damaged.bin');
    const bytes = readFileSync(file);
    const vectorsAt = bytes.indexOf(Buffer.from(sections.vectors.buffer, 4, 8)); // the second and third floats
    bytes[vectorsAt] ^= 0xff;
    writeFileSync(file, bytes);
    await expect(readSectionFile(file, 3, { separateSections: ['vectors'] })).rejects.toThrow(/corrupted/);
    writeFileSync(file, bytes.subarray(0, bytes.length - 8));
    await expect(readSectionFile(file, 3, { separateSections: ['vectors'] })).rejects.toThrow(/cut off/);
  });

  // The description is read before the checksum can vouch for it, to know where the separate sections lie.
  it('says a file with a damaged description is corrupted, whatever the description then says', async () => {
    const file = await written('description.bin');
    const bytes = readFileSync(file);
    const at = 24; // the description follows the 24-byte header; its length is unchanged, padded with spaces
    const length = bytes.readUInt32LE(8);
    const original = JSON.parse(bytes.toString('utf8', at, at + length)) as { sections: Array<[string, string, number, number]> };
    const misplaced = original.sections.map(([name, kind, offset, n]) => [name, kind, name === 'vectors' ? offset + 4 : offset, n]);
    const descriptions = [
      JSON.stringify({ meta: 1, sections: misplaced }), // a separate section off its alignment
      JSON.stringify({ meta: 1, sections: original.sections.map(([name, kind, offset]) => [name, kind, offset, 1e12]) }), // past the end
      '{"meta":1,"sections":[5]}', // entries that are no entries
      '{"meta":1,"sections":5}',
      '[1]',
      'null',
    ];
    for (const description of descriptions) {
      bytes.write(description.padEnd(length, ' '), at, length, 'utf8');
      writeFileSync(file, bytes);
      await expect(readSectionFile(file, 3, { separateSections: ['vectors'] }), description).rejects.toThrow(/corrupted \(checksum mismatch\)/);
    }
  });

  it('is null when there is no file', async () => {
    expect(await readSectionFile(path.join(root, 'none.bin'), 3, { separateSections: ['vectors'] })).toBeNull();
  });
});

describe('writeSectionFile', () => {
  it('leaves no temporary file when the written file cannot be put in place (a folder there)', async () => {
    const dir = mkdtempSync(path.join(root, 'in-the-way-'));
    mkdirSync(path.join(dir, 'x.bin', 'in-the-way'), { recursive: true });
    await expect(writeSectionFile(path.join(dir, 'x.bin'), 3, { note: 'meta' }, sections)).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['x.bin']);
  });
});
