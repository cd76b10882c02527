/**
 * `npm run train:ranker`: refits `models/glove-sif-100d/quotebot.json` (the learned ranker, the cross-encoder stage
 * and their abstention models) in one pass, its steps one after the other from the project folder, stopping at the
 * first that fails with its exit status. `--help` lists the steps and runs none (before, npm handed `--help` to the
 * last Python step alone). Needs ../shared beside the checkout; what each step fits on: docs/development.md.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { scriptOptions } from '../src/cli/args';

/** A step: what it does (for --help), and its command, run from the project folder. */
interface Step {
  does: string;
  command: string[];
}

const ROOT = path.resolve(import.meta.dirname, '..');
const STEPS: Step[] = [
  {
    does: "the engine's candidates and features of SQuAD train (whole articles, groups of them and 20-60-sentence corpora), SQuAD dev and news dev, each scored by the cross-encoder, into /tmp/quotebot-dump (~20 min)",
    command: ['node_modules/.bin/tsx', 'training/dump-candidates.ts', '--cross-encoder', 'models/cross-encoder-squad'],
  },
  { does: 'a Python environment in .venv', command: ['python3', '-m', 'venv', '.venv'] },
  { does: 'the pinned Python packages into it', command: ['.venv/bin/pip', 'install', '-q', '-r', 'training/requirements.txt'] },
  { does: 'the ranker and its abstention into quotebot.json (~2 min)', command: ['.venv/bin/python', 'training/train_ranker.py'] },
  { does: "the cross-encoder stage's ranker and abstention added to it (~1 min)", command: ['.venv/bin/python', 'training/train_ce_stage.py'] },
];

const usage = [
  'usage: npm run train:ranker',
  '  refits models/glove-sif-100d/quotebot.json in one pass, from the project folder, stopping at the first step that fails:',
  ...STEPS.map((s, i) => `  ${i + 1}. ${s.command.join(' ')}\n     ${s.does}`),
].join('\n');
scriptOptions(process.argv.slice(2), {}, usage);

for (const [i, { command }] of STEPS.entries()) {
  console.error(`train:ranker step ${i + 1} of ${STEPS.length}: ${command.join(' ')}`);
  const run = spawnSync(command[0], command.slice(1), { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`train:ranker: step ${i + 1} failed (${run.error?.message ?? (run.signal ? `signal ${run.signal}` : `exit status ${run.status}`)}); later steps not run`);
    process.exit(run.status || 1);
  }
}
