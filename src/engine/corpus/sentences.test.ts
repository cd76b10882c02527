import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentences';

const split = (text: string) => splitSentences(text).map((s) => text.slice(s.start, s.end));

describe('splitSentences', () => {
  it('splits plain sentences and keeps exact offsets', () => {
    const text = '  Obama met Putin.  They talked for 90 minutes! Did it help? ';
    const spans = splitSentences(text);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual([
      'Obama met Putin.',
      'They talked for 90 minutes!',
      'Did it help?',
    ]);
  });

  it('does not split after titles, acronyms and initials', () => {
    expect(split('Mr. Obama met Dr. Smith in the U.S. Senate on Monday. J.P. Morgan and John F. Kennedy were not there.')).toEqual([
      'Mr. Obama met Dr. Smith in the U.S. Senate on Monday.',
      'J.P. Morgan and John F. Kennedy were not there.',
    ]);
  });

  it('does not split before a lower-case word or a number inside a sentence', () => {
    expect(split('The talks ended at 5 p.m. on Monday. It was a 2.5 hour meeting.')).toEqual([
      'The talks ended at 5 p.m. on Monday.',
      'It was a 2.5 hour meeting.',
    ]);
    expect(split('“We have had talks that would allow us both… to focus on common enemies.” He left.')).toEqual([
      '“We have had talks that would allow us both… to focus on common enemies.”',
      'He left.',
    ]);
  });

  it('keeps short quoted speech whole with its attribution', () => {
    expect(split('Asked about the mood, Peskov said, “It went well. Work will continue.” Then he left.')).toEqual([
      'Asked about the mood, Peskov said, “It went well. Work will continue.”',
      'Then he left.',
    ]);
    expect(split('“It’s clear now what our positions are,” the official said. “And we’ll see.”')).toEqual([
      '“It’s clear now what our positions are,” the official said.',
      '“And we’ll see.”',
    ]);
  });

  it('splits after a closing quote that ends a sentence', () => {
    expect(split('He called it “productive.” The talks go on.')).toEqual(['He called it “productive.”', 'The talks go on.']);
    expect(split('He said "no." Then "yes."')).toEqual(['He said "no."', 'Then "yes."']);
  });

  it('treats the seed article sentences as a reader would', () => {
    const text = readFileSync(new URL('../../../data/004_80e3bf820ab2d521.txt', import.meta.url), 'utf8');
    const sentences = split(text);
    expect(sentences).toContain(
      'Obama added that currently the gaps have not been closed in negotiations between Russia and the US in a way that they think would “actually work.”',
    );
    expect(sentences).toContain('Obama urged Kerry and Lavrov to work together in the coming days to get aid to those in need.');
    for (const s of splitSentences(text)) expect(text.slice(s.start, s.end).trim()).toBe(text.slice(s.start, s.end));
  });
});
