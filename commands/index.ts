/** Every slash command of the bot; deployment and the router both read this list. */
import type { Command } from '../src/bot/context';
import { command as about } from './about';
import { command as ask } from './ask';
import { command as reload } from './reload';
import { command as sources } from './sources';

export const commands: Command[] = [ask, sources, reload, about];

export const definitions = commands.map((c) => c.definition);
