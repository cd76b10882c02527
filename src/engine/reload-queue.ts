/**
 * The engine's builds, one at a time. A reload asked while a build runs joins the one build queued after it (the
 * running build may have read the folder before the caller's change), so a burst of reloads costs two builds, never
 * more. The queued build runs for every call that joined it: each caller's progress (while it waits, the running
 * build's, marked `waiting`), every caller's name, every add's reading (`alreadyRead`), a snapshot wait when any
 * caller asked for one; each call also learns how long it waited for the build before it.
 */
import type { ReloadOptions, ReloadProgress, Requester } from './types';

type Listener = NonNullable<ReloadOptions['onProgress']>;

/** What one build runs with: the options of every call that joined it; `requestedBy` names each caller that named itself, once. */
export interface BuildOptions extends Omit<ReloadOptions, 'requestedBy'> {
  requestedBy: Requester[];
}

/** A call's outcome: its build's result, and how long the call waited for the build before it (0: it ran at once). */
export interface Waited<T> {
  result: T;
  waitedMs: number;
}

/** The queued build: the options of every call that joined it, the promise they all got, and when it started. */
interface Queued<T> {
  options: BuildOptions;
  listeners: Listener[];
  done: Promise<T>;
  startedAt: number;
  start: () => void;
}

export class ReloadQueue<T> {
  /** The running build's latest progress (told at once to a call that queues behind it), or null when none runs. */
  private running: ReloadProgress | null = null;
  private queued: Queued<T> | null = null;

  /** `warn` hears of a caller's progress handler that threw. */
  constructor(
    private readonly build: (options: BuildOptions) => Promise<T>,
    private readonly warn: (message: string) => void,
  ) {}

  /** A build runs or waits. */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Starts a build with `options`, or joins the queued one when a build runs; resolves with that build's result. */
  run(options: ReloadOptions): Promise<Waited<T>> {
    if (!this.running) return this.start(buildOptions(options), listenersOf(options)).then((result) => ({ result, waitedMs: 0 }));
    const askedAt = performance.now();
    if (this.queued) {
      this.queued.options = joined(this.queued.options, options);
      this.queued.listeners.push(...listenersOf(options));
    } else this.queued = this.makeQueued(options);
    const queued = this.queued;
    if (options.onProgress) this.tell(options.onProgress, { ...this.running, waiting: true });
    return queued.done.then((result) => ({ result, waitedMs: Math.round(queued.startedAt - askedAt) }));
  }

  private start(options: BuildOptions, listeners: Listener[]): Promise<T> {
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
      options: buildOptions(first),
      listeners: listenersOf(first),
      done: new Promise<T>((r) => (resolve = r)),
      startedAt: 0,
      start: () => {
        queued.startedAt = performance.now();
        resolve(this.start(queued.options, queued.listeners));
      },
    };
    return queued;
  }
}

function listenersOf(options: ReloadOptions): Listener[] {
  return options.onProgress ? [options.onProgress] : [];
}

/** One call's options as a build's (its progress aside: the queue tells each caller's listener itself). */
function buildOptions({ onProgress: _, requestedBy, ...options }: ReloadOptions): BuildOptions {
  return { ...options, requestedBy: requestedBy === undefined ? [] : [requestedBy] };
}

/**
 * The options of a queued build after `added` joined it (progress aside: each caller's listener is kept). Every
 * caller names it (`requestedBy`, in the order they asked, each id once: by name, two moderators sharing one were
 * named once, and one renamed between two asks twice); the snapshot is taken only when every
 * caller asked for it (it is the folder as it is now either way), waited for when any did.
 */
function joined(queued: BuildOptions, added: ReloadOptions): BuildOptions {
  const who = added.requestedBy;
  return {
    requestedBy: who === undefined || queued.requestedBy.some((r) => r.id === who.id) ? queued.requestedBy : [...queued.requestedBy, who],
    useSnapshot: queued.useSnapshot === true && added.useSnapshot === true,
    waitForSnapshot: queued.waitForSnapshot === true || added.waitForSnapshot === true,
    alreadyRead: [...(queued.alreadyRead ?? []), ...(added.alreadyRead ?? [])],
  };
}
