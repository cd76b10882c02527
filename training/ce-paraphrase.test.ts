import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** ce_paraphrase.py, the cross-encoder's paraphrased training questions (train_cross_encoder.py --paraphrase). */
const TRAINING = import.meta.dirname;
// ce_paraphrase.py needs numpy: the project's .venv (training/train-ranker.ts makes it), else python3.
const VENV_PYTHON = path.join(TRAINING, '..', '.venv', 'bin', 'python');
const PYTHON = [VENV_PYTHON, 'python3'].find((python) => spawnSync(python, ['-c', 'import numpy']).status === 0);
if (!PYTHON) console.warn('no python with numpy: the paraphrased questions (ce_paraphrase.py) are not checked');

// A toy vocabulary: "city"'s nearest are "cities" (same stem), "town", "village"; "river"'s only neighbour is "creek";
// "built"'s only one above the floor is "old".
const SETUP = [
  'import json, random, sys',
  `sys.path.insert(0, ${JSON.stringify(TRAINING)})`,
  'from ce_paraphrase import *',
  'from ce_tokenizer import words',
  'vocab = ["city", "cities", "town", "village", "river", "creek", "built", "old"]',
  'vectors = [[1, 0, 0], [1, 0.01, 0], [0.9, 0.3, 0], [0.8, 0.5, 0], [0, 1, 0], [0, 0.95, 0.3], [0, 0, 1], [0.5, -0.5, 0.7]]',
  'nb = Neighbours(vocab, vectors)',
].join('\n');

/** `expression`'s printed JSON, or its exit. */
function run(expression: string) {
  const code = `${SETUP}\nprint(json.dumps(${expression}))`;
  const out = spawnSync(PYTHON!, ['-c', code], { encoding: 'utf8', timeout: 20_000 });
  return out.status === 0 ? JSON.parse(out.stdout) : { status: out.status, stderr: out.stderr.trim() };
}

const EXAMPLES = JSON.stringify([
  ['Which city was built on the river?', 'The old city was built on a river.', ['n1', 'n2']],
  ['Where did Sichuan city stand?', 'The city of Sichuan stood there.', ['n3']],
  ['Who ran?', 'Nobody ran.', ['n4']],
]);

describe.skipIf(!PYTHON)('paraphrased training questions (ce_paraphrase.py)', () => {
  it('off (share 0, the default): the very same examples, nothing drawn', () => {
    expect(run(`(lambda ex: [paraphrase_examples(ex, words, 0, nb, 13)[0] is ex, paraphrase_examples(ex, words, 0.0, nb, 13)[1]])(json.loads(${JSON.stringify(EXAMPLES)}))`))
      .toEqual([true, 0]);
  });

  it('replaces a shared word by its nearest neighbour of another stem that the sentence lacks, drops one without', () => {
    // "cities" is nearer but the same stem as "city"; "built"'s only neighbour, "old", is in the sentence: dropped;
    // "the" is no content word.
    expect(run('paraphrase_question(words("Which city was built on the river?"), words("The old city was built on a river."), AlwaysRandom(), nb)'))
      .toEqual(['which', 'town', 'was', 'on', 'the', 'creek', '?']);
    // "town" would match the sentence exactly: the next neighbour.
    expect(run('nb.nearest("city", words("A town by the river."))')).toBe('village');
    expect(run('[related("city", "cities"), related("river", "rivers"), related("city", "town"), stem("cities")]')).toEqual([true, true, false, 'city']);
  });

  it('keeps names, and keeps the question when no content word would be left', () => {
    expect(run('paraphrase_question(words("Where did Sichuan city stand?"), words("The city of Sichuan stood there."), AlwaysRandom(), nb, names("Where did Sichuan city stand?", words))'))
      .toEqual(['where', 'did', 'sichuan', 'town', 'stand', '?']);
    expect(run('paraphrase_question(words("Built?"), words("Built old."), AlwaysRandom(), nb)')).toEqual(['built', '?']);
  });

  it('paraphrases a seeded share, the same twice, keeping positives, negatives and order', () => {
    const twice = run(`(lambda ex: [paraphrase_examples(ex, words, 1.0, nb, 7), paraphrase_examples(ex, words, 1.0, nb, 7)])(json.loads(${JSON.stringify(EXAMPLES)}))`);
    expect(twice[0]).toEqual(twice[1]);
    const [examples, changed] = twice[0];
    const given = JSON.parse(EXAMPLES);
    expect(examples.map((e: unknown[]) => e.slice(1))).toEqual(given.map((e: unknown[]) => e.slice(1)));
    expect(changed).toBe(examples.filter((e: string[], k: number) => e[0] !== given[k][0]).length);
    expect(examples.map((e: string[]) => e[0])).toEqual(['which town was built on the creek ?', 'where did sichuan town stand ?', 'Who ran?']);
    expect(changed).toBe(2);
    // a changed question is its words joined by spaces, which the tokenizer splits back into the same words
    examples.forEach(([question]: string[], k: number) => {
      if (question !== given[k][0]) expect(run(`" ".join(words(${JSON.stringify(question)}))`)).toBe(question);
    });
  });

  it('counts the shared content words that define the low-overlap slice, by word or stem', () => {
    expect(run('shared_content(words("Which cities were built on rivers?"), words("The old city was built on a river."))')).toBe(3);
    expect(run('shared_content(words("Who ran the town?"), words("The city was old."))')).toBe(0);
    // letter fragments ("China's", "re-opened", "U.S.") share nothing with every word that starts with them
    expect(run(`shared_content(words("What is China's re-opened capital?"), words("Beijing reached the seat of government."))`)).toBe(0);
    expect(run(`shared_content(words("Who led the U.S. army?"), words("Ulysses Grant led soldiers."))`)).toBe(1);
  });
});

// train_cross_encoder.py needs torch: checked only where the python that trains has it.
const TORCH_PYTHON = [VENV_PYTHON, 'python3'].find((python) => spawnSync(python, ['-c', 'import torch']).status === 0);
if (!TORCH_PYTHON) console.warn('no python with torch: train_cross_encoder.py --paraphrase is not checked');

describe.skipIf(!TORCH_PYTHON)('train_cross_encoder.py --paraphrase', () => {
  it('is off unless asked for', () => {
    const code = `import sys\nsys.path.insert(0, ${JSON.stringify(TRAINING)})\nsys.argv = ["x"]\nimport train_cross_encoder as t\nprint(t.parse_args().paraphrase)`;
    const out = spawnSync(TORCH_PYTHON!, ['-c', code], { encoding: 'utf8', timeout: 60_000 });
    expect(out.stdout.trim()).toBe('0.0');
  }, 90_000);

  it('refuses a share outside 0..1 before reading anything (50 is no percentage)', () => {
    const out = spawnSync(TORCH_PYTHON!, [path.join(TRAINING, 'train_cross_encoder.py'), '--paraphrase', '50', '--glove', '/nonexistent'], { encoding: 'utf8', timeout: 60_000 });
    expect(out.status).toBe(1);
    expect(out.stderr.trim()).toBe('--paraphrase is a share of the training questions, from 0 to 1 (got 50.0)');
  }, 90_000);

  it("is recorded in the exported config.json when used, and the default recipe's record is the committed model's", () => {
    const code = [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(TRAINING)})`,
      'from train_cross_encoder import parse_args',
      'from export_cross_encoder import training_record',
      'record = lambda argv: (setattr(sys, "argv", ["x"] + argv), training_record(parse_args(), {"fp32": 0.5}))[1]',
      'print(json.dumps([record([]), record(["--paraphrase", "0.5"])]))',
    ].join('\n');
    const out = spawnSync(TORCH_PYTHON!, ['-c', code], { encoding: 'utf8', timeout: 60_000 });
    expect(out.stderr).toBe('');
    const [plain, paraphrased] = JSON.parse(out.stdout);
    const committed = JSON.parse(readFileSync(path.join(TRAINING, '..', 'models', 'cross-encoder-squad', 'config.json'), 'utf8')).training;
    expect(Object.keys(plain)).toEqual(Object.keys(committed));
    expect({ ...plain, held_out_8way_accuracy: committed.held_out_8way_accuracy }).toEqual(committed);
    expect(paraphrased.paraphrase).toEqual({ share: 0.5 });
  }, 90_000);
});
