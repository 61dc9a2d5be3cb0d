/**
 * The worker_threads entry: connects core's `serve` loop to `parentPort`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serve } from '@multiproc/core/serve';
import { threadPort } from '../thread-port.js';

if (parentPort === null) throw new Error('@multiproc/node: the thread entry must run inside a worker thread');
const wake = (workerData as { multiprocWake?: Int32Array } | null)?.multiprocWake;
serve(threadPort(parentPort, wake));
