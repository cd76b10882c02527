import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CROSS_ENCODER_MODEL } from './cross-encoder';
import { fnv1a, Match, CrossEncoderTokenizer } from './cross-encoder-tokenizer';

interface FixturePair {
  question: string;
  sentence: string;
  input_ids: number[];
  segment_ids: number[];
  match_ids: number[];
  score: number;
}
const fixture = JSON.parse(readFileSync(new URL('./cross-encoder-tokenizer.fixture.json', import.meta.url), 'utf8')) as { pairs: FixturePair[] };

function bundledTokenizer(): CrossEncoderTokenizer {
  const config = JSON.parse(readFileSync(path.join(CROSS_ENCODER_MODEL, 'config.json'), 'utf8'));
  const vocab = readFileSync(path.join(CROSS_ENCODER_MODEL, 'vocab.txt'), 'utf8').split('\n').slice(0, config.vocab_size);
  return new CrossEncoderTokenizer(vocab, { buckets: config.buckets, maxLength: config.max_length, maxQuestion: config.max_question, commonRank: config.common_rank });
}

describe('CrossEncoderTokenizer', () => {
  it('gives the ids the Python training code gives (fixture written by training/export_cross_encoder.py)', () => {
    const tokenizer = bundledTokenizer();
    expect(fixture.pairs.length).toBeGreaterThanOrEqual(5);
    for (const pair of fixture.pairs) {
      const encoded = tokenizer.encode(tokenizer.words(pair.question), tokenizer.words(pair.sentence));
      expect(encoded.inputIds, pair.question).toEqual(pair.input_ids);
      expect(encoded.segmentIds, pair.question).toEqual(pair.segment_ids);
      expect(encoded.matchIds, pair.question).toEqual(pair.match_ids);
    }
  });

  it('lowercases, strips accents and splits punctuation into single tokens', () => {
    const tokenizer = new CrossEncoderTokenizer([], { buckets: 10, maxLength: 80, maxQuestion: 30, commonRank: 1 });
    expect(tokenizer.words('Obama’s Café,\u00a0naïve  T-cells 🎉')).toEqual(['obama', '’', 's', 'cafe', ',', 'naive', 't', '-', 'cells', '🎉']);
  });

  it('marks exact, prefix and common-word matches across the two segments', () => {
    const tokenizer = new CrossEncoderTokenizer(['the', 'obama', 'meet'], { buckets: 10, maxLength: 80, maxQuestion: 30, commonRank: 1 });
    const encoded = tokenizer.encode(['the', 'obama', 'meeting'], ['the', 'obama', 'meet', 'putin']);
    expect(encoded.matchIds).toEqual([Match.Special, Match.Common, Match.Exact, Match.Prefix, Match.Special, Match.Common, Match.Exact, Match.Prefix, Match.None]);
    expect(encoded.inputIds.slice(0, 3)).toEqual([tokenizer.clsId, 0, 1]);
    // Not in the vocabulary: a hashed row after the 3 words and [PAD] [CLS] [SEP].
    expect(encoded.inputIds[3]).toBe(6 + (fnv1a('meeting') % 10));
    expect(encoded.inputIds[8]).toBe(6 + (fnv1a('putin') % 10));
  });

  it('truncates the question, then the sentence, to the model length', () => {
    const tokenizer = new CrossEncoderTokenizer([], { buckets: 10, maxLength: 12, maxQuestion: 4, commonRank: 1 });
    const encoded = tokenizer.encode('a b c d e f'.split(' '), 'g h i j k l m n o'.split(' '));
    expect(encoded.inputIds).toHaveLength(12);
    expect(encoded.segmentIds).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
  });

  it('matches words only against the other segment as truncated', () => {
    const tokenizer = new CrossEncoderTokenizer([], { buckets: 10, maxLength: 8, maxQuestion: 3, commonRank: 0 });
    // The sentence keeps 3 words: "summit" (question) is cut off, "hangzhou" (sentence) matches nothing kept.
    const encoded = tokenizer.encode(['where', 'summit', 'held'], ['held', 'in', 'hangzhou', 'summit']);
    expect(encoded.matchIds).toEqual([Match.Special, Match.None, Match.None, Match.Exact, Match.Special, Match.Exact, Match.None, Match.None]);
    // A prepared text gives the same pair as split words, and its prefix marks follow the 4-character rule.
    const prepared = tokenizer.encodePrepared(tokenizer.prepare('Where summit held?'), tokenizer.prepare('Summits held in Hangzhou.'));
    expect(prepared).toEqual(tokenizer.encode(tokenizer.words('Where summit held?'), tokenizer.words('Summits held in Hangzhou.')));
    expect(prepared.matchIds.slice(0, 5)).toEqual([Match.Special, Match.None, Match.Prefix, Match.Exact, Match.Special]);
  });

  it('hashes with 32-bit FNV-1a over UTF-8', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('é')).toBe(fnv1a('\u00e9'));
  });
});
