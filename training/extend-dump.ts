/**
 * Adding sets to a dump made before them (`dump-candidates.ts --only small`), usually in a `cp -al` copy of another
 * dump, whose files are hard links to that dump's. Two rules make that copy safe:
 * - never write through a hard link: every file that changes is written anew and renamed over its name (`writeFresh`,
 *   `append`), and a folder that gets appended to is unshared first, so the dump it was copied from keeps its bytes;
 * - refuse a dump that is not this code's: rows appended to another code's features, another shortlist's or another
 *   cross-encoder's scores would make one training set of two kinds of row (`extendDump`, then `checkRows` on one
 *   of its questions recomputed).
 */
import { appendFileSync, closeSync, copyFileSync, existsSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What the dump being added to must have been made with: this code's features and the cross-encoder given now. */
export interface DumpSpec {
  names: readonly string[];
  /** Floats per row of features.f32. */
  count: number;
  shortlist: number;
  /** The cross-encoder's folder as features.json names it (relative to the project); undefined without one. */
  crossEncoder: string | undefined;
  /** The sets being added: a dump that holds any of them already is refused. */
  sets: readonly string[];
}

/** One question's rows as this code computes them (features: `count` floats per row). */
export interface GroupRows {
  features: Float32Array;
  scores: Float32Array | null;
  labels: number[];
}

/** One line of groups.jsonl. */
interface DumpGroup {
  set: string;
  id: string;
  n: number;
  labels: string;
}

const CHECKED_SET = 'squad-train-own';

/**
 * The dump in `out`, checked to be a whole dump of `spec`'s features and cross-encoder without `spec.sets`
 * (`refuse` ends the run otherwise), to add rows to: new rows go to `adding(file)`, then `append` adds them and
 * their groups to the dump's own files.
 * @example const dump = extendDump('/tmp/dump', spec, (m) => refuseUsage(m, USAGE))
 * // dump.adding('features.f32') === '/tmp/dump/features.f32.adding'; after writing there, dump.append(groupLines)
 */
export function extendDump(out: string, spec: DumpSpec, refuse: (message: string) => never) {
  const described = path.join(out, 'features.json');
  if (!existsSync(described) || !existsSync(path.join(out, 'groups.jsonl'))) refuse(`--only adds to a dump: ${out} holds none (features.json, groups.jsonl)`);
  const info = JSON.parse(readFileSync(described, 'utf8'));
  if (JSON.stringify(info.names) !== JSON.stringify(spec.names) || info.shortlist !== spec.shortlist)
    refuse(`${out} was dumped with other features or another shortlist than this code's: dump it again whole`);
  const scorer = info.crossEncoder ?? info.reranker;
  if (scorer !== spec.crossEncoder) refuse(`${out} was scored with --cross-encoder ${scorer ?? '(none)'}: add to it with the same`);
  const groups: DumpGroup[] = readFileSync(path.join(out, 'groups.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const held = spec.sets.filter((set) => groups.some((g) => g.set === set));
  if (held.length > 0) refuse(`${out} already holds ${held.join(', ')}`);
  const rows = groups.reduce((sum, g) => sum + g.n, 0);
  for (const [file, bytes] of [['features.f32', rows * spec.count * 4], ...(scorer ? [['ce.f32', rows * 4] as const] : [])] as const)
    if (!existsSync(path.join(out, file)) || statSync(path.join(out, file)).size !== bytes) refuse(`${out}/${file} does not hold the ${rows} rows groups.jsonl counts: an unfinished dump?`);

  const at = groups.findIndex((g) => g.set === CHECKED_SET);
  const added = new Set<string>();
  /** Ends the run as `refuse` does, after removing the `.adding` files begun so far: a refused run leaves none behind. */
  const refuseAdding = (message: string): never => {
    for (const f of added) rmSync(path.join(out, `${f}.adding`), { force: true });
    return refuse(message);
  };
  return {
    refuse: refuseAdding,

    /** The group `checkRows` compares with, its id `TITLE#PARAGRAPH.QUESTION`: the dump's first squad-train-own question. */
    checked: at < 0 ? undefined : { id: groups[at].id },

    /**
     * `rows`, the checked question recomputed by this code (and scored by `crossEncoderDir`), must be the rows the
     * dump holds: the same path in features.json may hold another model since, and the same feature names other code.
     */
    checkRows(rows: GroupRows, crossEncoderDir: string | undefined) {
      const group = groups[at];
      const first = groups.slice(0, at).reduce((sum, g) => sum + g.n, 0);
      const stored = (file: string, width: number) => {
        const bytes = Buffer.alloc(group.n * width * 4);
        const fd = openSync(path.join(out, file), 'r');
        readSync(fd, bytes, 0, bytes.length, first * width * 4);
        closeSync(fd);
        return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
      };
      const differs = (a: Float32Array, b: Float32Array) => a.length !== b.length || a.some((x, i) => Math.abs(x - b[i]) > 1e-4 * Math.max(1, Math.abs(x)));
      if (rows.labels.join('') !== group.labels || differs(rows.features, stored('features.f32', spec.count)))
        refuseAdding(`${out}'s rows of ${group.id} are not this code's: it was dumped by other feature code, dump it again whole`);
      if (rows.scores && differs(rows.scores, stored('ce.f32', 1)))
        refuseAdding(`${out}'s cross-encoder scores of ${group.id} are not ${crossEncoderDir}'s: it was scored by another model`);
      console.error(`${group.id}: the rows ${out} holds (checked)`);
    },

    /** Where `file`'s new rows are written until `append` adds them to the dump's `file`. */
    adding(file: string): string {
      added.add(file);
      return path.join(out, `${file}.adding`);
    },

    /** Gives the dump's folder `dir` files of its own before something appends to them (the embedding cache). */
    unshare(dir: string) {
      unshareTree(path.join(out, dir));
    },

    /** Each file given to `adding` gets its new rows appended through a copy renamed over it; groups.jsonl its `lines`. */
    append(lines: string[]) {
      for (const f of added) {
        const target = path.join(out, f);
        copyFileSync(target, `${target}.tmp`);
        appendFileSync(`${target}.tmp`, readFileSync(path.join(out, `${f}.adding`)));
        renameSync(`${target}.tmp`, target);
        unlinkSync(path.join(out, `${f}.adding`));
      }
      writeFresh(path.join(out, 'groups.jsonl'), readFileSync(path.join(out, 'groups.jsonl'), 'utf8') + lines.join('\n') + '\n');
    },
  };
}

/** Writes a file as a new one (a temporary file renamed over it), so a hard-linked original keeps its content. */
export function writeFresh(file: string, text: string) {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** Gives every hard-linked file under `dir` its own copy, so appending to it leaves the other links as they were. */
function unshareTree(dir: string) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || statSync(file).nlink < 2) continue;
    copyFileSync(file, `${file}.tmp`);
    renameSync(`${file}.tmp`, file);
  }
}
