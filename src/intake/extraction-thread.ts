/** Runs inside an extraction worker (`extractInWorker`): the article of one page, or the refusal. */
import { workerData } from 'node:worker_threads';
import { extractArticle } from './extract-html';
import { answer, type WorkerJob } from './worker-job';

const { html, pageUrl } = workerData as Extract<WorkerJob, { task: 'extract' }>;
answer(() => extractArticle(html, pageUrl));
