/** Per-member cooldown for /ask. */
export class Cooldowns {
  private readonly until = new Map<string, number>();
  constructor(private readonly seconds: number) {}

  /**
   * Returns null and starts the cooldown when the member may go ahead, else the time (ms epoch) they may try again.
   * @example new Cooldowns(5).take('123', 0) // null; a second take('123', 1000) gives 5000
   */
  take(userId: string, now = Date.now()): number | null {
    if (this.seconds <= 0) return null;
    const until = this.until.get(userId);
    if (until !== undefined && until > now) return until;
    this.until.set(userId, now + this.seconds * 1000);
    if (this.until.size > 5000) for (const [k, v] of this.until) if (v <= now) this.until.delete(k);
    return null;
  }

  /**
   * Ends the cooldown that `take(userId, takenAt)` started: its question was refused unread once asked (no articles
   * loaded yet), so asking again at once is fair. A later question's cooldown stays: the refusal can come after the
   * cooldown ran out (a slow deferral) and the member asked again, answered.
   */
  release(userId: string, takenAt: number): void {
    if (this.until.get(userId) === takenAt + this.seconds * 1000) this.until.delete(userId);
  }
}
