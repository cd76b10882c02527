/** Runs inside a reading worker (`readInWorker`): the engine's reading of one article file, or the refusal. */
import { workerData } from 'node:worker_threads';
import { readArticleText } from './engine-reader';
import { answer, type WorkerJob } from './worker-job';

const { file, bytes } = workerData as Extract<WorkerJob, { task: 'read' }>;
answer(() => readArticleText(file, bytes));
