// workerpool's web worker for the browser bench: the same task bodies, run by `exec(name, args)`.
import workerpool from 'workerpool';

workerpool.worker({
  noop: (x) => x,
  echo: (buf) => buf,
  /** W4 transferred: a Transfer sends the buffer back without a copy. */
  echoMove: (buf) => new workerpool.Transfer(buf, [buf]),
});
