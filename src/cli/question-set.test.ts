import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseQuestionSetCommand, readQuestionFile } from './question-set';

const root = mkdtempSync(path.join(os.tmpdir(), 'question-set-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const usage = 'usage: test --questions FILE.jsonl [--data DIR] [--json]';
const json = { json: { type: 'boolean' } } as const;

describe('parseQuestionSetCommand', () => {
  it('reads the question file and the script\'s own options; the data folder defaults to data', async () => {
    const read = await parseQuestionSetCommand(['--questions', 'src/cli/fixtures/seed-questions-dev.jsonl', '--json'], json, usage);
    expect(read.data).toBe('data');
    expect(read.values.json).toBe(true);
    expect(read.questions[0]).toMatchObject({ question: 'Who said the meeting went well?' });
    expect((await parseQuestionSetCommand(['--questions', 'src/cli/fixtures/seed-questions-dev.jsonl', '--data', 'x'], json, usage)).data).toBe('x');
  });

  it('says what is wrong, then the usage', async () => {
    const bad = path.join(root, 'bad.jsonl');
    writeFileSync(bad, '{"question":"Who?","gold":[]}\nnot json\n');
    const fails = (argv: string[]) => parseQuestionSetCommand(argv, json, usage);
    await expect(fails([])).rejects.toThrow(/^no question file: --questions FILE\.jsonl is required\nusage: test/);
    await expect(fails(['--questions', bad, '300'])).rejects.toThrow(/^unexpected argument '300'\nusage: test/);
    await expect(fails(['--questions'])).rejects.toThrow(/^option '--questions <value>' argument missing\nusage: test/);
    await expect(fails(['--questions', path.join(root, 'none.jsonl')])).rejects.toThrow(/^cannot read the question file: ENOENT.*none\.jsonl/);
    await expect(fails(['--questions', bad])).rejects.toThrow(`${bad}, line 2: not JSON`);
  });
});

describe('readQuestionFile', () => {
  it('reads a file saved by Windows (UTF-8 with a byte-order mark, UTF-16 with one) as the same questions, and names a binary one', async () => {
    const text = '{"question":"Who met in Hangzhou?","gold":[]}\r\n{"question":"How long did they meet?","gold":[]}\r\n';
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const utf16be = Buffer.from(utf16le).swap16(); // its mark swapped too: FE FF
    const saved = { 'utf8-bom.jsonl': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'utf16le.jsonl': utf16le, 'utf16be.jsonl': utf16be };
    for (const [name, bytes] of Object.entries(saved)) {
      writeFileSync(path.join(root, name), bytes);
      const questions = await readQuestionFile(path.join(root, name));
      expect(questions.map((q) => q.question), name).toEqual(['Who met in Hangzhou?', 'How long did they meet?']);
    }
    const binary = path.join(root, 'binary.jsonl');
    writeFileSync(binary, Buffer.from([0x7b, 0x00, 0x01, 0x02, 0xff, 0x00, 0x10]));
    await expect(readQuestionFile(binary)).rejects.toThrow(`cannot read the question file ${binary}: binary file, not text`);
  });
});
