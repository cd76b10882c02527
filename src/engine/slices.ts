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

/** Runs `work` to its end without giving a turn. */
export function runAtOnce<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/** Runs `work`, giving the event loop a turn (timers, I/O, questions) whenever `SLICE_MS` have passed. */
export async function runInSlices<T>(work: Sliced<T>): Promise<T> {
  let since = performance.now();
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    if (performance.now() - since >= SLICE_MS) {
      await nextTurn();
      since = performance.now();
    }
  }
}

/** Resolves after the event loop's next round (after timers and I/O already due). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
