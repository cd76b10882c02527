import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CROSS_ENCODER_MODEL, loadCrossEncoder, type CrossEncoder } from './cross-encoder';

const fixture = JSON.parse(readFileSync(new URL('./cross-encoder-tokenizer.fixture.json', import.meta.url), 'utf8')) as {
  pairs: { question: string; sentence: string; score: number }[];
};

describe('loadCrossEncoder (the bundled cross-encoder through onnxruntime-node)', () => {
  let crossEncoder: CrossEncoder;
  beforeAll(async () => {
    crossEncoder = await loadCrossEncoder(CROSS_ENCODER_MODEL);
  });
  afterAll(async () => {
    await crossEncoder?.release();
  });

  it('scores the sentence that answers above unrelated ones', async () => {
    const cases: [string, string, string[]][] = [
      [
        'How long did Obama and Putin meet?',
        'Obama and Putin met for 90 minutes on the sidelines of the Group of 20 economic summit in Hangzhou, China.',
        ['Obama arrived in Hangzhou on Saturday for the G20 summit.', 'Putin has been president of Russia since 2012.'],
      ],
      [
        'Who discovered penicillin?',
        'Alexander Fleming found in 1928 that a mould killed the bacteria in his culture dishes, and named the substance penicillin.',
        ['Penicillin is still widely used to treat infections today.', 'The hospital opened a new wing in 1930.'],
      ],
      [
        'When did the Berlin Wall fall?',
        'The wall that divided Berlin was opened on 9 November 1989, and crowds began tearing it down.',
        ['Berlin is the capital and largest city of Germany.', 'The wall was painted by many artists over the years.'],
      ],
    ];
    for (const [question, answer, others] of cases) {
      const scores = await crossEncoder.score(question, [answer, ...others]);
      expect(scores).toHaveLength(3);
      expect(scores[0], question).toBeGreaterThan(Math.max(scores[1], scores[2]));
    }
  });

  it('gives the scores the Python export computed for the fixture pairs', async () => {
    // Each pair was scored alone in Python (int8 dynamic quantisation scales activations per batch).
    for (const { question, sentence, score } of fixture.pairs) {
      const [mine] = await crossEncoder.score(question, [sentence]);
      expect(Math.abs(mine - score), question).toBeLessThan(1e-3);
    }
    const scores = await crossEncoder.score(fixture.pairs[0].question, [fixture.pairs[0].sentence, fixture.pairs[1].sentence]);
    expect(scores[0]).toBeGreaterThan(scores[1]); // the question's own sentence wins
  });

  it('returns an empty array for no sentences and does not depend on the order given', async () => {
    expect(await crossEncoder.score('anything?', [])).toEqual(new Float32Array(0));
    const a = await crossEncoder.score('Who is Dmitry Peskov?', ['Dmitry Peskov is the Kremlin spokesman.', 'It rained.']);
    const b = await crossEncoder.score('Who is Dmitry Peskov?', ['It rained.', 'Dmitry Peskov is the Kremlin spokesman.']);
    expect(a[0]).toBeCloseTo(b[1], 4);
    expect(a[1]).toBeCloseTo(b[0], 4);
  });

  it('scores many sentences the same whatever their order (runs grouped by length, not by position)', async () => {
    const sentences = fixture.pairs.flatMap((p) => [p.sentence, `${p.sentence} It was said again later that day.`]);
    expect(sentences.length).toBeGreaterThan(7); // more than one run
    const question = fixture.pairs[0].question;
    const forward = await crossEncoder.score(question, sentences);
    const backward = await crossEncoder.score(question, [...sentences].reverse());
    expect(Array.from(backward).reverse()).toEqual(Array.from(forward));
  });

  it('gives the same scores from its sentence cache as without one, also once the cache is full', async () => {
    const uncached = await loadCrossEncoder(CROSS_ENCODER_MODEL, { cachedSentences: 0 });
    const small = await loadCrossEncoder(CROSS_ENCODER_MODEL, { cachedSentences: 3 });
    try {
      const sentences = fixture.pairs.map((p) => p.sentence);
      for (const { question } of [...fixture.pairs, ...fixture.pairs]) {
        const expected = await uncached.score(question, sentences);
        expect(await crossEncoder.score(question, sentences), question).toEqual(expected);
        expect(await small.score(question, sentences), question).toEqual(expected);
      }
    } finally {
      await uncached.release();
      await small.release();
    }
  });

  it('names the folder and the missing file when a model cannot be loaded', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cross-encoder-'));
    await expect(loadCrossEncoder(dir)).rejects.toThrow(new RegExp(`${dir}.*config\\.json`));
    await writeFile(path.join(dir, 'config.json'), readFileSync(path.join(CROSS_ENCODER_MODEL, 'config.json')));
    await expect(loadCrossEncoder(dir)).rejects.toThrow(/vocab\.txt/);
  });
});

describe('importing the cross-encoder module', () => {
  it('does not load onnxruntime until a cross-encoder is loaded', () => {
    // A fresh process: onnxruntime's native library shows among the loaded shared objects once it is imported.
    const script = `
      const loaded = () => process.report.getReport().sharedObjects.some((s) => /onnxruntime/.test(s));
      const m = await import(${JSON.stringify(fileURLToPath(new URL('./cross-encoder.ts', import.meta.url)))});
      const before = loaded();
      const crossEncoder = await m.loadCrossEncoder();
      console.log(JSON.stringify([before, loaded()]));
      await crossEncoder.release();`;
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const out = execFileSync(tsx, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual([false, true]);
  });
});
