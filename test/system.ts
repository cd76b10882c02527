/**
 * Test helpers at the operating-system edge: whether a tool is installed, and running a snippet of our code as root
 * *without* root's power to bypass file permissions (so a permission test means the same as root, as in CI, and as
 * a user). `setpriv` drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set; unlike switching to
 * `nobody`, the child can still reach a project checked out in a private folder.
 */
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
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

/** Runs an ES module snippet (TypeScript imports allowed) without permission override; resolves to its stdout. */
export async function runWithoutPermissionOverride(code: string, cwd?: string): Promise<string> {
  const noOverride = '--bounding-set=-dac_override,-dac_read_search';
  const args = [noOverride, process.execPath, '--import', 'tsx', '--input-type=module', '-e', code];
  const { stdout } = await promisify(execFile)('setpriv', args, { cwd });
  return stdout;
}

/** The checkout, and `npm start`'s entry as the tests run it (through tsx, as `npm start` does). */
export const ROOT = path.resolve(__dirname, '..');
export const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
export const MAIN = path.join(ROOT, 'src/main.ts');
/** Shaped like a bot token on purpose: no output may ever contain it. */
export const TOKEN = 'MTExMTExMTExMTExMTExMTEx.GaBcDe.fakefakefakefakefakefakefakefake12';
