/** For tests and benches that bound how long work holds the event loop (the engine's reload, the intake's workers). */

/**
 * The worst delay of a 10 ms timer on this thread while `work` runs (`lag`), how long it ran (`took`) and the CPU
 * time the process spent meanwhile (`cpu`). A thread held to the end never runs the timer at all, so the last gap
 * counts too. `held` is the worst gap counting only the time this process ran in it (its CPU time, all threads, at
 * most the gap): a busy machine stretches `lag` by the time the process waits for a core, not `held`, so a bound on
 * `held` fails on long work done at once, not on a loaded machine.
 * @example expect((await worstTimerLag(() => extractInWorker(html, null))).lag).toBeLessThan(250)
 */
export async function worstTimerLag(work: () => unknown): Promise<{ lag: number; held: number; took: number; cpu: number }> {
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  let last = started;
  let cpuAtLast = process.cpuUsage();
  let lag = 0;
  let held = 0;
  const gap = () => {
    const now = performance.now();
    const cpu = process.cpuUsage(cpuAtLast);
    lag = Math.max(lag, now - last - 10);
    held = Math.max(held, Math.min(now - last, (cpu.user + cpu.system) / 1000) - 10);
    last = now;
    cpuAtLast = process.cpuUsage();
    return now;
  };
  const tick = setInterval(gap, 10);
  try {
    await work();
  } finally {
    clearInterval(tick);
  }
  const ended = gap();
  const cpu = process.cpuUsage(cpuAtStart);
  return { lag, held, took: ended - started, cpu: (cpu.user + cpu.system) / 1000 };
}
