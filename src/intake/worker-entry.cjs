// The intake's worker entry (see workers.ts). Plain JavaScript: a worker thread starts without the TypeScript
// loader `tsx` gives the main thread (and vitest's transform never reaches it), so tsx's in-thread require hook loads
// the TypeScript side here; no build step. (tsx's ESM `tsImport` works too but starts a loader thread: about twice
// the start-up.) Each task loads only its own side: reading an article needs none of linkedom's ~0.4 s of loading.
require('tsx/cjs/api').register();
require(require('node:worker_threads').workerData.task === 'read' ? './reading-thread.ts' : './extraction-thread.ts');
