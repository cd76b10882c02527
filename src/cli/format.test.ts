import { describe, expect, it } from 'vitest';
import type { ReloadReport } from '../engine';
import { reportToText } from './format';

const report: ReloadReport = {
  ok: true,
  articles: 4002,
  sentences: 24_000,
  added: Array.from({ length: 4000 }, (_, i) => `gen${String(i).padStart(5, '0')}.txt`),
  changed: ['a.txt'],
  removed: [],
  errors: [],
  embedded: 24_000,
  model: 'm',
  tookMs: 5000,
  builtAt: new Date(0),
  requestedBy: [],
};

describe('reportToText', () => {
  it('names the first files of a long list and counts the rest, so a folder of thousands stays readable', () => {
    const lines = reportToText(report).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(`  added: ${report.added.slice(0, 10).join(', ')} and 3,990 more`);
    expect(lines[2]).toBe('  changed: a.txt');
  });
});
