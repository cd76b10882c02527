/**
 * The terminal mode: `npm start` without a Discord token. Type a question, see the quotes as the bot would give them.
 * `:sources` lists the articles, `:reload` rebuilds from the data folder, `:quit` (or Ctrl-D, or Ctrl-C) leaves.
 */
import readline from 'node:readline';
import { QuestionError, SNAPSHOT_EXIT_WAIT_MS, type AnswerEngine } from '../engine';
import type { EngineSettings } from '../config';
import { answerToText, reportToText } from './format';
import { shownText } from '../shown-text';
import { openEngineReadably } from './open-engine';
import { buildProgress } from './progress';
import { endQuietlyWhenOutputCloses } from './closed-output';

/** The terminal's commands, each with its short form if it has one: the help line and what is accepted both come from here. */
const COMMANDS = [{ name: ':sources' }, { name: ':reload' }, { name: ':quit', short: ':q' }] as const;
type CommandName = (typeof COMMANDS)[number]['name'];
const COMMAND_LIST = COMMANDS.map((c) => c.name).join(', ');

/** The command `word` names (in lower case), or undefined. */
function commandNamed(word: string): CommandName | undefined {
  return COMMANDS.find((c) => c.name === word || ('short' in c && c.short === word))?.name;
}

/** What a person typed, echoed in a message: a pasted page is not printed back whole, nor half an emoji (a U+FFFD). */
function cut(text: string, max = 60): string {
  if (text.length <= max) return text;
  return `${text.slice(0, /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max)}…`;
}

/**
 * Opens the engine and runs the terminal on stdin. Warnings and skipped files go to stderr as readable lines (not
 * the bot's JSON log), so nothing machine-shaped lands above the prompt.
 * @example await startTerminal(readEngineSettings())
 */
export async function startTerminal(settings: EngineSettings): Promise<void> {
  endQuietlyWhenOutputCloses();
  const engine = await openEngineReadably(settings);
  if (engine.status().articles === 0) process.stderr.write(shownText(`no articles are loaded yet from ${settings.dataDir}: put .txt or .md article files there, then type :reload\n`));
  await runTerminal(engine);
  // A reload's snapshot still being written is finished before leaving (bounded), or the next start rebuilds.
  const written = await engine.snapshotWritten(SNAPSHOT_EXIT_WAIT_MS, () => process.stderr.write('writing the index snapshot before leaving…\n'));
  if (!written) process.stderr.write('the index snapshot was not written in time; the next start rebuilds the index\n');
}

/** Reads questions from `input` until it ends (or Ctrl-C, or SIGTERM); resolves then. */
export async function runTerminal(engine: AnswerEngine, input = process.stdin, output = process.stdout): Promise<void> {
  const interactive = Boolean((input as NodeJS.ReadStream).isTTY);
  const rl = readline.createInterface({ input, output, terminal: interactive });
  const status = engine.status();
  output.write(
    `Terminal mode (no DISCORD_TOKEN set): ${status.articles} articles, ${status.sentences} sentences, model ${status.model}.\n` +
      `Ask a question, or type ${COMMAND_LIST}.\n`,
  );
  // Ctrl-C (readline's event in a terminal, the signal otherwise) ends the session, leaving the shell on a fresh line.
  const interrupt = () => {
    atPrompt = false;
    output.write('\n');
    rl.close();
  };
  rl.on('SIGINT', interrupt);
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  // Never after Ctrl-C: prompting a closed readline resumes stdin, which then keeps the process from ending (a
  // Ctrl-C pressed during a question or a reload left the session hanging, "ask> " shown, until a second one).
  let closed = false;
  // Ctrl-D at the prompt ends the session too: the shell's prompt then starts a line of its own, not after "ask> ".
  let atPrompt = false;
  rl.on('close', () => {
    closed = true;
    if (atPrompt) output.write('\n');
  });
  const prompt = () => {
    if (!interactive || closed) return;
    rl.prompt();
    atPrompt = true;
  };
  rl.setPrompt('ask> ');
  prompt();
  try {
    for await (const line of rl) {
      atPrompt = false;
      const text = line.trim();
      try {
        // A command is its first word, in any case; what follows it is refused by name, not taken for another command.
        const [word, ...after] = text.split(/\s+/);
        const command = /^:\p{L}/u.test(word) ? word.toLowerCase() : null;
        const known = command ? commandNamed(command) : undefined;
        if (!text) {
          // nothing typed: just prompt again
        } else if (known && after.length) {
          output.write(shownText(`${command} takes nothing after it (got "${cut(after.join(' '))}"); type ${command} alone\n`));
        } else if (known === ':quit') break;
        else if (known === ':sources') {
          // A folder with no article yet starts: a list of nothing read as no answer at all.
          if (engine.articles().length === 0) output.write('no articles are loaded yet: put .txt or .md article files in the data folder, then type :reload\n');
          for (const a of engine.articles()) {
            output.write(shownText(`- ${a.title}${a.outlet ? ` (${a.outlet})` : ''}${a.published ? `, ${a.published}` : ''}: ${a.sentences} sentences, ${a.url ?? a.file}\n`));
          }
        } else if (known === ':reload') {
          const progress = buildProgress();
          output.write(`${reportToText(await engine.reload({ onProgress: progress?.onProgress }).finally(() => progress?.stop()))}\n`);
        }
        else if (command) output.write(shownText(`unknown command ${cut(word)}; the commands are ${COMMAND_LIST}\n`));
        else output.write(`${answerToText(await engine.ask(text))}\n\n`);
      } catch (err) {
        // One bad question never ends the session.
        output.write(shownText(err instanceof QuestionError ? `${err.message}\n` : `error: ${(err as Error).message}\n`));
      }
      prompt();
    }
  } finally {
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
    rl.close();
  }
}
