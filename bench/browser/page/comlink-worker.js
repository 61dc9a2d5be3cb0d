// comlink's worker for the browser bench: the same task bodies, exposed for one call per task.
import * as Comlink from 'comlink';

Comlink.expose({
  noop: (x) => x,
  echo: (buf) => buf,
  /** W4 transferred: the buffer moves back instead of being copied. */
  echoMove: (buf) => Comlink.transfer(buf, [buf]),
});
