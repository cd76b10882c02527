/**
 * `npm run train:ranker`: refits `models/glove-sif-100d/quotebot.json` (the learned ranker, the cross-encoder stage
 * and their abstention models) in one pass, its steps one after the other from the project folder, stopping at the
 * first that fails with its exit status. `--help` lists the steps and runs none (before, npm handed `--help` to the
 * last Python step alone). Needs ../shared beside the checkout; what each step fits on: docs/development.md.
 * Without ../shared it stops before any step: the dump step would skip with status 0 and the Python steps would then
 * refit quotebot.json from whatever an earlier dump left. The dump goes where the Python steps read it
 * (`QUOTEBOT_DUMP`, default /tmp/quotebot-dump): a QUOTEBOT_DUMP left set from a comparison run would otherwise have
 * them fit on that older dump.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { scriptOptions } from '../src/cli/args';

/** A step: what it does (for --help), and its command, run from the project folder. */
interface Step {
  does: string;
  command: string[];
}

const ROOT = path.resolve(import.meta.dirname, '..');
/** What dump-candidates.ts needs to dump anything (without it, it skips with status 0). */
const SQUAD_TRAIN = path.resolve(ROOT, '../shared/train/squad-train.jsonl.gz');
const DUMP = process.env.QUOTEBOT_DUMP || '/tmp/quotebot-dump';
const STEPS: Step[] = [
  {
    does: "the engine's candidates and features of SQuAD train (whole articles, groups of them and 20-60-sentence corpora), SQuAD dev and news dev, each scored by the cross-encoder, into the dump folder (~20 min)",
    command: ['node_modules/.bin/tsx', 'training/dump-candidates.ts', '--cross-encoder', 'models/cross-encoder-squad', '--out', DUMP],
  },
  { does: 'a Python environment in .venv', command: ['python3', '-m', 'venv', '.venv'] },
  { does: 'the pinned Python packages into it', command: ['.venv/bin/pip', 'install', '-q', '-r', 'training/requirements.txt'] },
  { does: 'the ranker and its abstention into quotebot.json (~2 min)', command: ['.venv/bin/python', 'training/train_ranker.py'] },
  { does: "the cross-encoder stage's ranker and abstention added to it (~1 min)", command: ['.venv/bin/python', 'training/train_ce_stage.py'] },
];

const usage = [
  'usage: npm run train:ranker',
  '  refits models/glove-sif-100d/quotebot.json in one pass, from the project folder, stopping at the first step that fails;',
  `  the dump folder is ${DUMP} (QUOTEBOT_DUMP, for every step):`,
  ...STEPS.map((s, i) => `  ${i + 1}. ${s.command.join(' ')}\n     ${s.does}`),
].join('\n');
scriptOptions(process.argv.slice(2), {}, usage);
if (!existsSync(SQUAD_TRAIN)) {
  console.error(`skipped: training needs ${SQUAD_TRAIN} (the shared data folder beside the checkout), which is absent; no step run, nothing refitted`);
  process.exit(0);
}

for (const [i, { command }] of STEPS.entries()) {
  console.error(`train:ranker step ${i + 1} of ${STEPS.length}: ${command.join(' ')}`);
  const run = spawnSync(command[0], command.slice(1), { cwd: ROOT, stdio: 'inherit', env: { ...process.env, QUOTEBOT_DUMP: DUMP } });
  if (run.status !== 0) {
    console.error(`train:ranker: step ${i + 1} failed (${run.error?.message ?? (run.signal ? `signal ${run.signal}` : `exit status ${run.status}`)}); later steps not run`);
    process.exit(run.status || 1);
  }
}
