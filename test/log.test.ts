import { describe, expect, it } from 'vitest';
import { createLogger, readLogLevel, redact } from '../src/log';

describe('logger', () => {
  it('writes one JSON line with time, level, msg and fields', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l) }).child({ component: 'bot' });
    log.info('ready', { guilds: 2 });
    log.debug('hidden at info level');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ level: 'info', msg: 'ready', component: 'bot', guilds: 2 });
    expect(Date.parse(entry.time)).not.toBeNaN();
  });

  it('redacts the configured secret and anything shaped like a bot token, in messages, fields and errors', () => {
    const secret = 'my-very-secret-token-value';
    const shaped = 'MTExMTExMTExMTExMTExMTEx.GaBcDe.fakefakefakefakefakefakefakefake12';
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l), secrets: [secret] });
    log.error(`failed with ${secret}`, { err: new Error(`401 for Bot ${shaped}`), nested: { header: `Bot ${secret}` }, token: 'whatever' });
    const out = lines.join('');
    expect(out).not.toContain(secret);
    expect(out).not.toContain('fakefake');
    expect(out).toContain('[redacted]');
    expect(JSON.parse(out).token).toBe('[redacted]');
    expect(redact(`x ${shaped} y`)).toBe('x [redacted] y');
  });

  it("masks a secret's pieces too (its runs of six letters or digits): a text may hold one split from the rest, or escaped", () => {
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GzXyWv.Hm4_kQ9vRt2LpZs8WnYc-JxA6bE1oUfT3dK';
    createLogger({ write: () => {}, secrets: [token] });
    expect(redact(`token ${token} end`)).toBe('token [redacted] end');
    expect(redact('a word Hm4 then kQ9vRt2LpZs8WnYc and JxA6bE1oUfT3dK')).toBe('a word Hm4 then [redacted] and [redacted]');
    expect(redact(token.replace(/_/g, '\\_'), '(…)')).toBe('(…).(…).Hm4\\_(…)-(…)');
  });

  it("gives a warning's error its message and code, its stack at debug level only; an error line (a bug) keeps its stack", () => {
    const at = (level: 'info' | 'debug') => {
      const lines: string[] = [];
      const log = createLogger({ write: (l) => lines.push(l), level });
      const err = Object.assign(new Error('shard 1 did not answer'), { code: 'ShardingNoResponse' });
      log.warn('reload: could not reach every shard', { err });
      log.error('interaction failed', { errorId: 'e1', err: new TypeError('boom') });
      return lines.map((l) => JSON.parse(l).err);
    };
    const [warned, failed] = at('info');
    expect(warned).toEqual({ name: 'Error', message: 'shard 1 did not answer', code: 'ShardingNoResponse' });
    expect(failed.stack).toMatch(/^TypeError: boom\n\s+at /);
    expect(at('debug')[0].stack).toMatch(/^Error: shard 1 did not answer\n\s+at /);
  });

  it("writes an article's controls as escapes, so reading the log in a terminal is safe, and parses back to them", () => {
    const lines: string[] = [];
    const title = 'Summit \u202Etalks\u001b]0;owned\u0007 \u009B31m';
    createLogger({ write: (l) => lines.push(l) }).info('article add', { title });
    expect(lines[0]).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
    expect(JSON.parse(lines[0]).title).toBe(title);
  });

  it('reads LOG_LEVEL in any case, refuses what is no level by name, and never takes an object key for one', () => {
    expect(readLogLevel({ LOG_LEVEL: ' DEBUG ' })).toBe('debug');
    expect(readLogLevel({})).toBe('info');
    for (const bad of ['verbose', 'toString', 'constructor', '__proto__']) {
      expect(() => readLogLevel({ LOG_LEVEL: bad })).toThrow(`LOG_LEVEL must be debug, info, warn or error, got "${bad}"`);
    }
    const saved = process.env.LOG_LEVEL;
    try {
      const lines: string[] = [];
      process.env.LOG_LEVEL = 'toString'; // `in` every object: its "level" (a function) let every debug line through
      createLogger({ write: (l) => lines.push(l) }).debug('hidden');
      process.env.LOG_LEVEL = 'Warn';
      createLogger({ write: (l) => lines.push(l) }).info('hidden too');
      expect(lines).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = saved;
    }
  });
});
