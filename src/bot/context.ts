/**
 * What every command behaviour receives besides the interaction: the engine, the settings, the logger,
 * and the bot's small in-memory state (answer-time statistics, cooldowns, who reloaded, quotes for "Show context").
 */
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotConfig } from './config';
import type { Logger } from '../log';
import type { AnswerEngine, Quote } from '../engine/types';

export interface LastReload {
  /** Display name and id of the moderator, or null for the build at start. */
  by: { id: string; name: string } | null;
  at: Date;
}

/** Answer times of /ask since start, for /about. */
export class AskStats {
  private readonly times: number[] = [];
  private count = 0;
  /** Keeps the last `keep` samples (a long-running bot must not grow without bound). */
  constructor(private readonly keep = 10_000) {}

  record(ms: number): void {
    this.count++;
    this.times.push(ms);
    if (this.times.length > this.keep) this.times.shift();
  }

  get total(): number {
    return this.count;
  }

  /** Nearest-rank percentile (p in 0–100) of the kept samples, or null when there are none. */
  percentile(p: number): number | null {
    if (this.times.length === 0) return null;
    const sorted = [...this.times].sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return sorted[Math.min(sorted.length, rank) - 1];
  }
}

/** Per-member cooldown for /ask. */
export class Cooldowns {
  private readonly until = new Map<string, number>();
  constructor(private readonly seconds: number) {}

  /** Returns null and starts the cooldown when the member may go ahead, else the time (ms epoch) they may try again. */
  take(userId: string, now = Date.now()): number | null {
    if (this.seconds <= 0) return null;
    const until = this.until.get(userId);
    if (until !== undefined && until > now) return until;
    this.until.set(userId, now + this.seconds * 1000);
    if (this.until.size > 5000) for (const [k, v] of this.until) if (v <= now) this.until.delete(k);
    return null;
  }
}

/** Quotes served recently, so "Show context" can find them again from the key in a button's custom id. */
export class QuoteStore {
  private readonly map = new Map<string, Quote>();
  constructor(private readonly max = 5000) {}

  put(key: string, quote: Quote): void {
    this.map.delete(key);
    this.map.set(key, quote);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }

  get(key: string): Quote | undefined {
    return this.map.get(key);
  }
}

export interface BotState {
  startedAt: Date;
  lastReload: LastReload;
  cooldowns: Cooldowns;
  stats: AskStats;
  quotes: QuoteStore;
}

export interface BotContext {
  engine: AnswerEngine;
  config: BotConfig;
  log: Logger;
  state: BotState;
  /** Progress edits during /reload: first after this many ms, then at most once per `progressEveryMs`. */
  timing: { progressAfterMs: number; progressEveryMs: number };
}

export function createBotState(engine: AnswerEngine, config: BotConfig): BotState {
  return {
    startedAt: new Date(),
    lastReload: { by: null, at: engine.status().loadedAt ?? new Date() },
    cooldowns: new Cooldowns(config.askCooldownSeconds),
    stats: new AskStats(),
    quotes: new QuoteStore(),
  };
}

export function createBotContext(engine: AnswerEngine, config: BotConfig, log: Logger): BotContext {
  return { engine, config, log, state: createBotState(engine, config), timing: { progressAfterMs: 3000, progressEveryMs: 2000 } };
}

/** A slash command: its definition as plain data and its behaviours as plain functions. */
export interface Command {
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
  /** Buttons whose custom id starts with `${prefix}:` go to `button`. */
  buttons?: { prefix: string; handle(interaction: ButtonInteraction, ctx: BotContext): Promise<void> };
}
