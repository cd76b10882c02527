/**
 * The engine's builds, one at a time. A reload asked while a build runs joins the one build queued after it (the
 * running build may have read the folder before the caller's change), so a burst of reloads costs two builds, never
 * more. The queued build runs for every call that joined it: each caller's progress (while it waits, the running
 * build's, marked `waiting`), every add's reading (`alreadyRead`), a snapshot wait when any caller asked for one.
 */
import type { ReloadOptions, ReloadProgress } from './types';

type Listener = NonNullable<ReloadOptions['onProgress']>;

/** The queued build: the options of every call that joined it, and the promise they all got. */
interface Queued<T> {
  options: ReloadOptions;
  listeners: Listener[];
  done: Promise<T>;
  start: () => void;
}

export class ReloadQueue<T> {
  /** The running build's latest progress (told at once to a call that queues behind it), or null when none runs. */
  private running: ReloadProgress | null = null;
  private queued: Queued<T> | null = null;

  /** `warn` hears of a caller's progress handler that threw. */
  constructor(
    private readonly build: (options: ReloadOptions) => Promise<T>,
    private readonly warn: (message: string) => void,
  ) {}

  /** A build runs or waits. */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Starts a build with `options`, or joins the queued one when a build runs; resolves with that build's result. */
  run(options: ReloadOptions): Promise<T> {
    if (!this.running) return this.start(options, listenersOf(options));
    if (this.queued) {
      this.queued.options = joined(this.queued.options, options);
      this.queued.listeners.push(...listenersOf(options));
    } else this.queued = this.makeQueued(options);
    if (options.onProgress) this.tell(options.onProgress, { ...this.running, waiting: true });
    return this.queued.done;
  }

  private start(options: ReloadOptions, listeners: Listener[]): Promise<T> {
    this.running = { phase: 'reading', done: 0, total: 0 };
    const onProgress = (progress: ReloadProgress) => {
      this.running = progress;
      for (const listener of listeners) this.tell(listener, progress);
      for (const listener of this.queued?.listeners ?? []) this.tell(listener, { ...progress, waiting: true });
    };
    const done = this.build({ ...options, onProgress });
    // The next build starts as this one ends, before its callers hear of it: a reload asked meanwhile joins it.
    const next = () => {
      const queued = this.queued;
      this.queued = null;
      this.running = null;
      queued?.start();
    };
    done.then(next, next);
    return done;
  }

  /**
   * A caller's handler only shows progress: one that throws is warned of, never let through, since a build serves
   * every caller that joined it (it failed another moderator's build, and threw out of reload() instead of a promise).
   */
  private tell(listener: Listener, progress: ReloadProgress): void {
    try {
      listener(progress);
    } catch (err) {
      this.warn(`a reload's progress display failed (${(err as Error)?.message ?? String(err)}); the reload goes on`);
    }
  }

  private makeQueued(first: ReloadOptions): Queued<T> {
    let resolve!: (result: Promise<T>) => void;
    const queued: Queued<T> = {
      options: first,
      listeners: listenersOf(first),
      done: new Promise<T>((r) => (resolve = r)),
      start: () => resolve(this.start(queued.options, queued.listeners)),
    };
    return queued;
  }
}

function listenersOf(options: ReloadOptions): Listener[] {
  return options.onProgress ? [options.onProgress] : [];
}

/**
 * The options of a queued build after `added` joined it (progress aside: each caller's listener is kept). Its first
 * caller names it (`requestedBy`); the snapshot is taken only when every caller asked for it (it is the folder as it
 * is now either way), waited for when any did.
 */
function joined(queued: ReloadOptions, added: ReloadOptions): ReloadOptions {
  return {
    requestedBy: queued.requestedBy,
    useSnapshot: queued.useSnapshot === true && added.useSnapshot === true,
    waitForSnapshot: queued.waitForSnapshot === true || added.waitForSnapshot === true,
    alreadyRead: [...(queued.alreadyRead ?? []), ...(added.alreadyRead ?? [])],
  };
}
