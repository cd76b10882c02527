import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { visibleJson, visibleText } from './visible-text';

/** Every character `visibleText` must replace (tab, line feed and CR before LF excepted). */
const HIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFF9-\uFFFB]/;

describe('visibleText', () => {
  it('shows ESC and the other C0 controls as their Control Pictures, DEL as ␡', () => {
    expect(visibleText('in Hangzhou \u001b[2J\u001b[31mRED\u001b[0m on Monday')).toBe('in Hangzhou ␛[2J␛[31mRED␛[0m on Monday');
    expect(visibleText('a\u0000b\u0007c\u0008d\u000Be\u000Cf\u001Fg\u007Fh')).toBe('a␀b␇c␈d␋e␌f␟g␡h');
    expect(visibleText('\u001b]0;owned\u0007')).toBe('␛]0;owned␇'); // a window title set, shown instead
  });

  it('keeps tab, line feed and CRLF; shows a lone carriage return (it would overwrite the line)', () => {
    expect(visibleText('a\tb\nc\r\nd')).toBe('a\tb\nc\r\nd');
    expect(visibleText('real quote\rfake quote')).toBe('real quote␍fake quote');
  });

  it('shows C1 controls, bidi embeddings, overrides and isolates, and interlinear annotations as U+FFFD', () => {
    expect(visibleText('a\u0080b\u009Bc\u0085d')).toBe('a\uFFFDb\uFFFDc\uFFFDd');
    for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\uFFF9', '\uFFFA', '\uFFFB']) {
      expect(visibleText(`x${c}y`)).toBe('x\uFFFDy');
    }
  });

  it('keeps the direction marks, joiners, and all printable text, whatever the script', () => {
    const text = 'שלום\u200F, مرحبا\u061C, a\u200Eb, 👨\u200D👩\u200D👧, می\u200Cخواهم, ¡Olé! «Ça» — 你好。\u00A0\u00AD';
    expect(visibleText(text)).toBe(text);
  });

  it('keeps every length: one UTF-16 unit for one, so offsets and highlights still index the shown text', () => {
    const all = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join('') + '\u202A\u202E\u2066\u2069\uFFF9\uFFFB';
    const shown = visibleText(all);
    expect(shown.length).toBe(all.length);
    expect(shown.replace(/[\t\n]/g, '')).not.toMatch(HIDDEN);
  });

  it("returns the project's own articles unchanged, so their quotes print byte for byte as before", () => {
    const dir = path.resolve(__dirname, '..', 'data');
    for (const f of readdirSync(dir)) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      expect(visibleText(text), f).toBe(text);
    }
  });
});

describe('visibleJson', () => {
  it('escapes what JSON.stringify leaves raw, and parses back to the very same text', () => {
    const value = { quote: 'met \u001b[2J for \u009B31m 90 \u202Eminutes\u2069 \u007F.', title: 'plain' };
    const json = visibleJson(JSON.stringify(value));
    expect(json).not.toMatch(HIDDEN);
    expect(json).toContain('\\u202e');
    expect(JSON.parse(json)).toEqual(value);
    expect(visibleJson(JSON.stringify({ a: 'Obama and Putin met. “Quoted” — 你好' }))).toBe(JSON.stringify({ a: 'Obama and Putin met. “Quoted” — 你好' }));
  });

  it('keeps a JSON line one line for readers that split on Unicode line breaks (U+2028, U+2029)', () => {
    const value = { quote: 'met\u2028for 90\u2029minutes' };
    const json = visibleJson(JSON.stringify(value));
    expect(json.split(/\r\n|[\n\r\u2028\u2029\u0085]/)).toHaveLength(1); // Python's splitlines, JavaScript's line terminators
    expect(JSON.parse(json)).toEqual(value);
  });
});
