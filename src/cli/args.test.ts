import { describe, expect, it } from 'vitest';
import { asksForHelp, countOption } from './args';

describe('countOption', () => {
  it('reads a whole number, or gives the fallback when the option is absent', () => {
    expect(countOption('300', '--limit', Infinity)).toBe(300);
    expect(countOption('0', '--limit', Infinity)).toBe(0);
    expect(countOption(undefined, '--limit', Infinity)).toBe(Infinity);
  });

  it('refuses by name what is no count instead of asking no questions', () => {
    for (const value of ['abc', '', '-1', '2.5', '1e3', 'questions.jsonl']) {
      expect(() => countOption(value, '--limit', 5)).toThrow(`--limit takes a whole number of questions, not '${value}'`);
    }
  });
});

describe('asksForHelp', () => {
  it('sees --help or -h among the options, not after -- nor inside a question', () => {
    expect(asksForHelp(['--help'])).toBe(true);
    expect(asksForHelp(['--data', 'data', '-h'])).toBe(true);
    expect(asksForHelp(['--', '-h'])).toBe(false);
    expect(asksForHelp(['What does --help do?'])).toBe(false);
    expect(asksForHelp(['--json', 'Who is Peskov?'])).toBe(false);
  });
});
