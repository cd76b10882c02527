// Preloaded with `node --import` by the deploy test: records every module the process loads, to prove that
// `npm run deploy-commands` loads the command definitions and nothing of the engine. ES modules are seen by a
// resolve hook; CommonJS ones (discord.js, onnxruntime-node's binding loader) are listed from the require cache at exit.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const out = process.env.RECORD_MODULES_TO;
if (out) {
  register('./record-modules-hooks.mjs', import.meta.url, { data: { out } });
  process.on('exit', () => appendFileSync(out, Object.keys(Module._cache).map((f) => `${f}\n`).join('')));
}
