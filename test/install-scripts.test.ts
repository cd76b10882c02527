/**
 * The install stays offline-safe: every dependency whose package runs an install script (package-lock's
 * `hasInstallScript`) has a decision in package.json's `allowScripts` (npm 11 skips undecided ones and warns; npm 10
 * runs them all), and the one that would reach outside the npm registry, onnxruntime-node's GPU download, is denied
 * there and skipped by `.npmrc` for the npm versions that ignore `allowScripts`. A new native dependency fails this
 * test until someone decides whether its script may run. The decisions: esbuild and usearch allowed (each checks
 * for the native binary its package ships and falls back as its authors intend: esbuild fetches its platform
 * package from the npm registry, usearch compiles); protobufjs denied (its script only warns packages that depend on
 * it with another version scheme: onnxruntime-web's copy, nothing of ours).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const readJson = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));

describe('install scripts', () => {
  const allowScripts: Record<string, boolean> = readJson('package.json').allowScripts ?? {};

  it('are decided in allowScripts for every locked package that has one', () => {
    const packages: Record<string, { hasInstallScript?: boolean }> = readJson('package-lock.json').packages;
    const withScripts = Object.entries(packages)
      .filter(([where, entry]) => where !== '' && entry.hasInstallScript)
      .map(([where]) => where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length).toBeGreaterThan(0);
    expect([...new Set(withScripts)].filter((name) => !(name in allowScripts))).toEqual([]);
  });

  it("never run onnxruntime-node's download, under npm 11 or earlier", () => {
    expect(allowScripts['onnxruntime-node']).toBe(false);
    expect(readFileSync(path.join(ROOT, '.npmrc'), 'utf8')).toMatch(/^onnxruntime-node-install=skip$/m);
  });
});
