/**
 * Finds the commands: every folder here named after its command (`commands/reload/` is /reload) with a
 * `definition.ts` and an `index.ts`. Deployment loads only the definitions; the bot loads the commands. Adding a
 * command is adding a folder: no list or switch to edit.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command, Definition } from './command';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The command folders, in name order (each with a definition module). */
export function commandFolders(dir = HERE): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && moduleIn(path.join(dir, d.name), 'definition') !== null)
    .map((d) => d.name)
    .sort();
}

/** `<folder>/<name>.ts` (or `.js` once compiled), or null. */
function moduleIn(folder: string, name: string): string | null {
  for (const ext of ['.ts', '.js']) if (existsSync(path.join(folder, name + ext))) return path.join(folder, name + ext);
  return null;
}

async function load(folder: string, name: 'definition' | 'index', dir: string): Promise<Record<string, unknown>> {
  const file = moduleIn(path.join(dir, folder), name);
  if (!file) throw new Error(`commands/${folder}/ has no ${name}.ts`);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

/**
 * Every command's definition, as sent to Discord; loads nothing but the definition modules.
 * @example (await loadDefinitions()).map((d) => d.name) // ['about', 'article', 'ask', 'reload', 'sources']
 */
export async function loadDefinitions(dir = HERE): Promise<Definition[]> {
  const definitions: Definition[] = [];
  for (const folder of commandFolders(dir)) {
    const { definition } = (await load(folder, 'definition', dir)) as { definition?: Definition };
    if (definition?.name !== folder) throw new Error(`commands/${folder}/definition.ts must export a definition named "${folder}"`);
    definitions.push(definition);
  }
  return definitions;
}

/**
 * Every command with its behaviour, for the bot's router.
 * @example const commands = await loadCommands(); startBot({ engine, config, log, commands })
 */
export async function loadCommands(dir = HERE): Promise<Command[]> {
  const definitions = await loadDefinitions(dir);
  const commands: Command[] = [];
  for (const definition of definitions) {
    const { command } = (await load(definition.name, 'index', dir)) as { command?: Command };
    if (command?.definition !== definition) throw new Error(`commands/${definition.name}/index.ts must export a command with its definition.ts's definition`);
    commands.push(command);
  }
  return commands;
}
