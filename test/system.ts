/**
 * Test helpers at the operating-system edge: whether a tool is installed, and running a snippet of our code as root
 * *without* root's power to bypass file permissions (so a permission test means the same as root, as in CI, and as
 * a user). `setpriv` drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set; unlike switching to
 * `nobody`, the child can still reach a project checked out in a private folder.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/** True when `command --version` runs. */
export function hasCommand(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const isRoot = process.getuid?.() === 0;

/** `setpriv`'s first words, which run the command after them without root's power to bypass file permissions. */
export const NO_PERMISSION_OVERRIDE = ['setpriv', '--bounding-set=-dac_override,-dac_read_search'];

/** Runs an ES module snippet (TypeScript imports allowed) without permission override; resolves to its stdout. */
export async function runWithoutPermissionOverride(code: string, cwd?: string): Promise<string> {
  const args = [...NO_PERMISSION_OVERRIDE.slice(1), process.execPath, '--import', 'tsx', '--input-type=module', '-e', code];
  const { stdout } = await promisify(execFile)('setpriv', args, { cwd });
  return stdout;
}

/** The checkout, and `npm start`'s entry. */
export const ROOT = path.resolve(__dirname, '..');
export const MAIN = path.join(ROOT, 'src/main.ts');

/**
 * `npm start`'s command as package.json writes it, runnable from any folder (the tests start it outside the
 * checkout, so no .env leaks in): its program, the module after `--import` and its .ts entry made absolute.
 * @example spawn(START.command, START.args, { cwd: tmp })
 */
export const START = (() => {
  const [program, ...words] = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  const resolve = createRequire(path.join(ROOT, 'package.json')).resolve;
  const args = words.map((w, i) => (words[i - 1] === '--import' ? pathToFileURL(resolve(w)).href : w.endsWith('.ts') ? path.join(ROOT, w) : w));
  return { command: program === 'node' ? process.execPath : path.join(ROOT, 'node_modules/.bin', program), args };
})();

/** Shaped like a bot token on purpose: no output may ever contain it. */
export const TOKEN = 'MTExMTExMTExMTExMTExMTEx.GaBcDe.fakefakefakefakefakefakefakefake12';
