import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm test` runs on a fresh clone, with no shared data folder beside it: no test may reach outside the project.
describe('the test suite', () => {
  it('reads nothing from the shared data folder beside the project', () => {
    const tests = readdirSync('.', { recursive: true, encoding: 'utf8' }).filter(
      (f) => /\.test\.ts$/.test(f) && !f.split(path.sep).includes('node_modules'),
    );
    expect(tests.length).toBeGreaterThan(5);
    const offenders = tests.filter((f) => /\.\.\/shared\b|['"`]shared\/eval/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
