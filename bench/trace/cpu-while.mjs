// How many cores a command keeps busy: runs it, samples the CPU time of its process tree (/proc)
// every half second, and prints the share of samples at each level. W7's passes showed about one
// core busy most of the time: one file of the sample is 72% of its bytes.
//
//   node trace/cpu-while.mjs node run.js --only W7 --pools piscina --reps 1 --no-report
import { spawn } from 'node:child_process';
import { treeCpuMs } from '../lib/rss.mjs';

const [cmd, ...args] = process.argv.slice(2);
const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
const levels = [];
let last = 0;
const timer = setInterval(() => {
  const now = treeCpuMs(child.pid);
  if (last > 0) levels.push((now - last) / 500);
  last = now;
}, 500);
child.on('exit', () => {
  clearInterval(timer);
  const share = (lo, hi) => `${((100 * levels.filter((c) => c >= lo && c < hi).length) / levels.length).toFixed(0)}%`;
  console.log(`${levels.length} samples of 0.5 s; cores busy: under 0.5: ${share(0, 0.5)}, 0.5–1.5: ${share(0.5, 1.5)}, 1.5 and more: ${share(1.5, 99)}`);
});
