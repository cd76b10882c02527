import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { extendDump, writeFresh, type DumpSpec } from './extend-dump';

/** A dump of two features per row, three groups (the second one squad-train-own), scored by `models/ce`. */
const SPEC: DumpSpec = { names: ['bm25', 'cosine'], count: 2, shortlist: 3, crossEncoder: 'models/ce', sets: ['squad-train-small'] };
const GROUPS = [
  { set: 'squad-dev', id: 'squad-dev#0', answerable: true, corpus: 9, n: 3, labels: '010' },
  { set: 'squad-train-own', id: 'Art#1.2', answerable: true, corpus: 4, n: 2, labels: '10' },
  { set: 'squad-train-other', id: 'Other#0.0', answerable: false, corpus: 4, n: 1, labels: '0' },
];
const f32 = (...values: number[]) => Buffer.from(new Float32Array(values).buffer);
// Rows 0-2 are squad-dev's, 3-4 the checked group's, 5 the last.
const FEATURES = f32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
const SCORES = f32(0.5, 1.5, 2.5, 3.5, 4.5, 5.5);

let tmp: string;
let original: string;
let copy: string;
const refuse = (message: string): never => {
  throw new Error(message);
};
/** Every file under `dir` with its bytes, by relative path. */
const contents = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [path.relative(dir, path.join(e.parentPath, e.name)), readFileSync(path.join(e.parentPath, e.name)).toString('base64')]),
  );

beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'extend-dump-'));
  original = path.join(tmp, 'dump');
  copy = path.join(tmp, 'copy');
  mkdirSync(path.join(original, 'cache/model'), { recursive: true });
  writeFileSync(path.join(original, 'features.json'), JSON.stringify({ names: SPEC.names, count: 2, shortlist: 3, crossEncoder: 'models/ce' }));
  writeFileSync(path.join(original, 'groups.jsonl'), GROUPS.map((g) => JSON.stringify(g)).join('\n') + '\n');
  writeFileSync(path.join(original, 'features.f32'), FEATURES);
  writeFileSync(path.join(original, 'ce.f32'), SCORES);
  writeFileSync(path.join(original, 'cache/model/vectors.bin'), 'cached vectors');
  mkdirSync(path.join(original, 'squad-small'));
  writeFileSync(path.join(original, 'squad-small/a.txt'), 'an article');
  execFileSync('cp', ['-al', original, copy]); // as people make the copy they extend
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('extendDump', () => {
  it('appends the new rows and groups to a cp -al copy and leaves the dump it was copied from as it was', () => {
    const before = contents(original);
    expect(statSync(path.join(copy, 'features.f32')).nlink).toBe(2);
    const dump = extendDump(copy, SPEC, refuse);
    writeFileSync(dump.adding('ce.f32'), f32(6.5));
    writeFileSync(dump.adding('features.f32'), f32(12, 13));
    dump.unshare('cache');
    appendFileSync(path.join(copy, 'cache/model/vectors.bin'), ', and new ones'); // as the embedding cache does
    writeFresh(path.join(copy, 'squad-small/a.txt'), 'another article');
    dump.append(['{"set":"squad-train-small","n":1}']);

    expect(contents(original)).toEqual(before);
    expect(readFileSync(path.join(copy, 'features.f32'))).toEqual(Buffer.concat([FEATURES, f32(12, 13)]));
    expect(readFileSync(path.join(copy, 'ce.f32'))).toEqual(Buffer.concat([SCORES, f32(6.5)]));
    expect(readFileSync(path.join(copy, 'groups.jsonl'), 'utf8')).toBe(readFileSync(path.join(original, 'groups.jsonl'), 'utf8') + '{"set":"squad-train-small","n":1}\n');
    expect(readFileSync(path.join(copy, 'cache/model/vectors.bin'), 'utf8')).toBe('cached vectors, and new ones');
    expect(readFileSync(path.join(copy, 'squad-small/a.txt'), 'utf8')).toBe('another article');
    expect(readdirSync(copy).filter((f) => /\.(adding|tmp)$/.test(f))).toEqual([]);
  });

  it('checks the recomputed rows of its first squad-train-own question against the stored ones', () => {
    const dump = extendDump(copy, SPEC, refuse);
    expect(dump.checked).toEqual({ id: 'Art#1.2' });
    writeFileSync(dump.adding('features.f32'), ''); // dump-candidates opens its streams before the check
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const rows = { features: new Float32Array([6, 7, 8, 9]), scores: new Float32Array([3.5, 4.5]), labels: [1, 0] };
      dump.checkRows(rows, 'models/ce');
      expect(log).toHaveBeenCalledWith(`Art#1.2: the rows ${copy} holds (checked)`);
      // Within 1e-4 (relative above 1) is the same row: the engine's arithmetic may round differently.
      dump.checkRows({ ...rows, features: new Float32Array([6, 7, 8, 9.0005]) }, 'models/ce');
      expect(() => dump.checkRows({ ...rows, features: new Float32Array([6, 7, 8, 9.01]) }, 'models/ce')).toThrow(
        `${copy}'s rows of Art#1.2 are not this code's: it was dumped by other feature code, dump it again whole`,
      );
      expect(() => dump.checkRows({ ...rows, labels: [0, 1] }, 'models/ce')).toThrow("are not this code's");
      expect(() => dump.checkRows({ ...rows, scores: new Float32Array([3.5, 4.6]) }, 'models/ce')).toThrow(
        `${copy}'s cross-encoder scores of Art#1.2 are not models/ce's: it was scored by another model`,
      );
      dump.checkRows({ ...rows, scores: null }, undefined); // no cross-encoder given: no scores to check
      expect(readdirSync(copy).filter((f) => f.endsWith('.adding'))).toEqual([]); // the refusals left none behind
    } finally {
      log.mockRestore();
    }
  });

  it('refuses, before writing anything, a dump that is not whole or not of this code and cross-encoder', () => {
    const refused = (spec: Partial<DumpSpec>, change?: () => void) => {
      change?.();
      const before = contents(copy);
      try {
        extendDump(copy, { ...SPEC, ...spec }, refuse);
        return 'accepted';
      } catch (err) {
        expect(contents(copy)).toEqual(before);
        return (err as Error).message.replace(copy, 'OUT');
      }
    };
    expect(refused({})).toBe('accepted');
    expect(refused({ names: ['bm25', 'align'] })).toBe("OUT was dumped with other features or another shortlist than this code's: dump it again whole");
    expect(refused({ shortlist: 40 })).toBe("OUT was dumped with other features or another shortlist than this code's: dump it again whole");
    expect(refused({ crossEncoder: 'models/other' })).toBe('OUT was scored with --cross-encoder models/ce: add to it with the same');
    expect(refused({ crossEncoder: undefined })).toBe('OUT was scored with --cross-encoder models/ce: add to it with the same');
    expect(refused({ sets: ['squad-train-own'] })).toBe('OUT already holds squad-train-own');
    expect(refused({ sets: ['squad-train-small-near', 'squad-train-own'] })).toBe('OUT already holds squad-train-own'); // names only what it holds
    expect(refused({}, () => writeFresh(path.join(copy, 'ce.f32'), 'short'))).toBe('OUT/ce.f32 does not hold the 6 rows groups.jsonl counts: an unfinished dump?');
    rmSync(path.join(copy, 'groups.jsonl'));
    expect(refused({})).toBe('--only adds to a dump: OUT holds none (features.json, groups.jsonl)');
    expect(existsSync(path.join(original, 'groups.jsonl'))).toBe(true);
  });

  it('reads an older dump that names its cross-encoder reranker, and one scored by none', () => {
    writeFresh(path.join(copy, 'features.json'), JSON.stringify({ names: SPEC.names, shortlist: 3, reranker: 'models/ce' }));
    expect(extendDump(copy, SPEC, refuse).checked).toEqual({ id: 'Art#1.2' });
    writeFresh(path.join(copy, 'features.json'), JSON.stringify({ names: SPEC.names, shortlist: 3 }));
    rmSync(path.join(copy, 'ce.f32'));
    expect(() => extendDump(copy, SPEC, refuse)).toThrow('OUT was scored with --cross-encoder (none)'.replace('OUT', copy));
    const dump = extendDump(copy, { ...SPEC, crossEncoder: undefined }, refuse);
    writeFileSync(dump.adding('features.f32'), f32(12, 13));
    dump.append(['{"n":1}']);
    expect(readdirSync(copy).sort()).toEqual(['cache', 'features.f32', 'features.json', 'groups.jsonl', 'squad-small']);
  });
});

describe('writeFresh', () => {
  it('writes a new file in place of a hard link, and leaves a file that already holds the text alone', () => {
    const file = path.join(copy, 'squad-small/a.txt');
    writeFresh(file, 'an article');
    expect(statSync(file).nlink).toBe(2); // unchanged text: not even rewritten
    writeFresh(file, 'changed');
    expect(statSync(file).nlink).toBe(1);
    expect(readFileSync(path.join(original, 'squad-small/a.txt'), 'utf8')).toBe('an article');
    writeFresh(path.join(copy, 'squad-small/new.txt'), 'new');
    expect(readFileSync(path.join(copy, 'squad-small/new.txt'), 'utf8')).toBe('new');
  });
});
