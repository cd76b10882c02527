/**
 * The terminal mode: `npm start` without a Discord token. Type a question, see the quotes as the bot would give them.
 * `:sources` lists the articles, `:reload` rebuilds from the data folder, `:quit` (or Ctrl-D) leaves.
 */
import readline from 'node:readline';
import { QuestionError, type AnswerEngine } from '../engine';
import { answerToText, reportToText } from './format';
import { buildProgress } from './progress';

/** Reads questions from `input` until it ends; resolves then. */
export async function runTerminal(engine: AnswerEngine, input = process.stdin, output = process.stdout): Promise<void> {
  const interactive = Boolean((input as NodeJS.ReadStream).isTTY);
  const rl = readline.createInterface({ input, output, terminal: interactive });
  const status = engine.status();
  output.write(
    `Terminal mode (no DISCORD_TOKEN set): ${status.articles} articles, ${status.sentences} sentences, model ${status.model}.\n` +
      'Ask a question, or type :sources, :reload or :quit.\n',
  );
  const prompt = () => interactive && rl.prompt();
  rl.setPrompt('ask> ');
  prompt();
  for await (const line of rl) {
    const text = line.trim();
    try {
      if (!text) {
        // nothing typed: just prompt again
      } else if (text === ':quit' || text === ':q') break;
      else if (text === ':sources') {
        for (const a of engine.articles()) {
          output.write(`- ${a.title}${a.outlet ? ` (${a.outlet})` : ''}${a.published ? `, ${a.published}` : ''}: ${a.sentences} sentences, ${a.url ?? a.file}\n`);
        }
      } else if (text === ':reload') {
        const progress = buildProgress();
        const report = await engine.reload({ onProgress: progress?.onProgress }).finally(() => progress?.stop());
        output.write(`${reportToText(report)}\n`);
      }
      else output.write(`${answerToText(await engine.ask(text))}\n\n`);
    } catch (err) {
      // One bad question never ends the session.
      output.write(err instanceof QuestionError ? `${err.message}\n` : `error: ${(err as Error).message}\n`);
    }
    prompt();
  }
  rl.close();
}
