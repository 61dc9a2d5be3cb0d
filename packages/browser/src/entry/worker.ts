/**
 * The adapter's own worker entry, started for module-URL sources: it serves
 * the task module the page names in its `init` message.
 */
import { serveWorker } from '../serve-worker.js';

serveWorker();
