import { describe, expect, it, vi } from 'vitest';
import { asksForHelp, countOption } from './args';

const USAGE = 'usage: npx tsx bench/x.ts [--limit N]';

describe('countOption', () => {
  it('reads a whole number, or gives the fallback when the option is absent', () => {
    expect(countOption('300', '--limit', USAGE, Infinity)).toBe(300);
    expect(countOption('1', '--limit', USAGE, Infinity)).toBe(1);
    expect(countOption(undefined, '--limit', USAGE, Infinity)).toBe(Infinity);
    expect(countOption('0', '--from', USAGE, 0, 0)).toBe(0); // where 0 means something, the caller says so
  });

  it('refuses by name what is no count, as a usage error (one line, the usage, exit 2), instead of asking no questions', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // 0 too: --limit 0 or --top 0 would measure nothing (an empty table, NaN, or bench/scale.ts's stack trace).
      for (const value of ['abc', '', '-1', '2.5', '1e3', 'questions.jsonl', '0', '00']) {
        expect(() => countOption(value, '--limit', USAGE, 5)).toThrow('exit 2');
        expect(stderr).toHaveBeenLastCalledWith(`error: --limit takes a whole number from 1, not '${value}'\n${USAGE}\n`);
      }
      expect(() => countOption('-1', '--from', USAGE, 0, 0)).toThrow('exit 2');
      expect(stderr).toHaveBeenLastCalledWith(`error: --from takes a whole number, not '-1'\n${USAGE}\n`);
      // With a ceiling (the terminal's --top): past it is refused the same way, the range named.
      expect(countOption('10', '--top', USAGE, 3, 1, 10)).toBe(10);
      for (const value of ['11', '0', 'abc']) {
        expect(() => countOption(value, '--top', USAGE, 3, 1, 10)).toThrow('exit 2');
        expect(stderr).toHaveBeenLastCalledWith(`error: --top takes a whole number from 1 to 10, not '${value}'\n${USAGE}\n`);
      }
      // A range starting at 0 is named whole.
      expect(countOption('9', '--from', USAGE, 0, 0, 9)).toBe(9);
      expect(() => countOption('10', '--from', USAGE, 0, 0, 9)).toThrow('exit 2');
      expect(stderr).toHaveBeenLastCalledWith(`error: --from takes a whole number from 0 to 9, not '10'\n${USAGE}\n`);
    } finally {
      exit.mockRestore();
      stderr.mockRestore();
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
