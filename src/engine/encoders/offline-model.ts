/** Where the bundled offline embedding model lives: a path only, so reading it loads no inference runtime. */
import { fileURLToPath } from 'node:url';

export const OFFLINE_MODEL: string = fileURLToPath(new URL('../../../models/glove-sif-100d', import.meta.url));
