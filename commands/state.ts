/**
 * The bot's small in-memory state, shared by the commands: when it started, /ask answer times (for /about),
 * per-member /ask cooldowns, the quotes "Show context" can find again and the articles being removed.
 */
import { percentile } from '../src/percentiles';
import { Cooldowns } from './ask/cooldowns';
import { QuoteStore } from './ask/context-button';

/** Answer times of /ask since start, for /about. */
export class AnswerTimes {
  private readonly times: number[] = [];
  private count = 0;
  /** Keeps the last `keep` samples (a long-running bot must not grow without bound). */
  constructor(private readonly keep = 10_000) {}

  record(ms: number): void {
    this.count++;
    this.times.push(ms);
    if (this.times.length > this.keep) this.times.shift();
  }

  /** Questions answered since start. */
  get total(): number {
    return this.count;
  }

  /** Percentile (p in 0–100) of the kept samples, or null when there are none. */
  percentile(p: number): number | null {
    return percentile(this.times, p);
  }
}

export interface BotState {
  startedAt: Date;
  answerTimes: AnswerTimes;
  cooldowns: Cooldowns;
  quotes: QuoteStore;
  /** Files /article remove is setting aside now (until its reload is done), so two at once never take the last. */
  removing: Set<string>;
}

/** @example createBotState({ askCooldownSeconds: 5 }) */
export function createBotState(settings: { askCooldownSeconds: number }): BotState {
  return {
    startedAt: new Date(),
    answerTimes: new AnswerTimes(),
    cooldowns: new Cooldowns(settings.askCooldownSeconds),
    quotes: new QuoteStore(),
    removing: new Set(),
  };
}
