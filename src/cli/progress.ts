/**
 * A progress bar on stderr while the engine builds (reading, embedding, indexing), through cli-progress. Only when
 * stderr is a terminal: piped or redirected output (logs, `--json` consumers) never sees bar frames.
 */
import cliProgress, { type GenericFormatter } from 'cli-progress';
import type { ReloadProgress } from '../engine';

// A CommonJS package: Node's ESM loader gives it as one default export.
const { Format, Presets, SingleBar } = cliProgress;

const LABEL: Record<ReloadProgress['phase'], string> = {
  reading: 'reading articles',
  embedding: 'embedding sentences',
  indexing: 'indexing',
};

/**
 * Embedding has a count: a bar, the count and the time left; so does indexing once it counts (the approximate
 * index of a large corpus: minutes at a million sentences). Reading, and indexing before that, show their name.
 */
const format: GenericFormatter = (options, params, payload: { phase: ReloadProgress['phase'] }) =>
  payload.phase === 'embedding' || (payload.phase === 'indexing' && params.value > 0)
    ? `${LABEL[payload.phase]} [${Format.BarFormat(params.progress, options)}] ${params.value.toLocaleString('en-US')}/${params.total.toLocaleString('en-US')}, ${Format.TimeFormat(params.eta, options, 1)} left`
    : `${LABEL[payload.phase]}…`;

export interface BuildProgress {
  onProgress(progress: ReloadProgress): void;
  /** Clears the bar (call when the build ends, however it ends). */
  stop(): void;
}

/**
 * @example
 * const progress = buildProgress();
 * try { await engine.reload({ onProgress: progress?.onProgress }); } finally { progress?.stop(); }
 */
export function buildProgress(stream: NodeJS.WriteStream = process.stderr): BuildProgress | null {
  if (!stream.isTTY) return null;
  const bar = new SingleBar({ stream, format, hideCursor: true, clearOnComplete: true, etaBuffer: 50 }, Presets.legacy);
  let started = false;
  return {
    onProgress({ phase, done, total }) {
      if (!started) {
        started = true;
        bar.start(Math.max(total, 1), done, { phase });
        return;
      }
      bar.setTotal(Math.max(total, 1));
      bar.update(done, { phase });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
