/**
 * The worker_threads entry: connects core's `serve` loop to `parentPort`.
 */
import { parentPort } from 'node:worker_threads';
import { serve } from '@multiproc/core';
import { threadPort } from '../thread-port.js';

if (parentPort === null) throw new Error('@multiproc/node: the thread entry must run inside a worker thread');
serve(threadPort(parentPort));
