// The extraction worker's entry. Plain JavaScript: a worker thread starts without the TypeScript loader `tsx` gives
// the main thread (and vitest's transform never reaches it), so tsx's in-thread require hook loads the TypeScript
// side here; no build step. (tsx's ESM `tsImport` works too but starts a loader thread: about twice the start-up.)
require('tsx/cjs/api').register();
require('./extraction-thread.ts');
