/**
 * Long synchronous work cut into slices, so questions are answered while a reload runs: each step is written as a
 * generator that yields where stopping is safe (nothing half-made is visible to a question), and is run either at
 * once (`runAtOnce`, for callers that need the result synchronously) or in slices of about `SLICE_MS` that each end
 * with a turn of the event loop (`runInSlices`). The same code either way, so both give the same result. Measured
 * before: a reload after a 5 MB upload held the thread 0.7–0.9 s at a time (docs/measurements.md).
 */

/** Work that yields (nothing) at its safe stopping points and returns `T`. */
export type Sliced<T> = Generator<void, T, void>;

/** The longest stretch of sliced work between two turns of the event loop. */
export const SLICE_MS = 10;

/**
 * Units of work (sentences, blocks, words, rows: microseconds each) between two yields. A yield per unit (a generator
 * step and a clock read each) made a SQuAD reload with every file changed ~10–15% slower; one per 64 leaves it
 * within a few %, and a slice still ends within a ms or two of `SLICE_MS`.
 */
export const YIELD_EVERY = 64;

/** Runs `work` to its end without giving a turn. */
export function runAtOnce<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/** When the current slice began, for every sliced run: they share it (many may run in one round of the event loop). */
let sliceStarted = performance.now();
let turn: Promise<void> | null = null;

/**
 * Runs `work`, giving the event loop a turn (timers, I/O, questions) whenever the current slice has lasted
 * `SLICE_MS`. Runs side by side (a reload parses the files whose reads ended together) share the slices: the
 * thread is held for one slice at a time, not one per run.
 * @example const tokens = await runInSlices(tokenising(articles, previous))
 */
export async function runInSlices<T>(work: Sliced<T>): Promise<T> {
  for (;;) {
    // Checked before each step, not only after: a run resumed by the turn another run has used up waits for the next.
    await endOfSlice();
    const step = work.next();
    if (step.done) return step.value;
  }
}

/**
 * For async work that awaits other things between its steps (a model call), so cannot be a `Sliced` generator: gives
 * the event loop a turn when the current slice has lasted `SLICE_MS`, else resolves at once.
 */
export async function endOfSlice(): Promise<void> {
  if (performance.now() - sliceStarted >= SLICE_MS) await nextTurn();
}

/**
 * Resolves after the event loop's next round (after the timers and I/O already due), when a new slice begins. Every
 * caller waiting meanwhile waits for the same turn.
 */
function nextTurn(): Promise<void> {
  return (turn ??= new Promise((resolve) =>
    setImmediate(() => {
      turn = null;
      sliceStarted = performance.now();
      resolve();
    }),
  ));
}
