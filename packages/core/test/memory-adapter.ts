/**
 * A minimal in-process adapter: each "worker" is core's `serve` loop on the
 * far side of a MessageChannel in this same thread. No real workers, so core
 * can run the conformance suite on itself. It shares globals with the parent
 * (capability `isolatedGlobals: false`), and a worker "dies" by closing its
 * channel after its last message has been delivered.
 */
import { defineAdapter, serve, type RuntimeAdapter, type WorkerHandle } from '@multiproc/core';

let nextPid = 100_000;
const kExit = '__memory_exit__';

export function memoryAdapter(): RuntimeAdapter {
  return defineAdapter({
    name: 'memory',
    capabilities: { sharedMemory: true, transfer: true, isolatedGlobals: false, processes: false },
    cpuCount: () => 2,
    spawn(options, sink): WorkerHandle {
      if (options.source.kind !== 'module') throw new TypeError('the memory adapter only loads module URLs');
      const { port1, port2 } = new MessageChannel();
      let gone = false;
      // Reports the exit synchronously, even from inside terminate(): core must cope with that.
      const end = (code: number): void => {
        if (gone) return;
        gone = true;
        port1.close();
        port2.close();
        sink.exit({ code, signal: null });
      };
      port1.onmessage = (e: MessageEvent) => {
        if (gone) return;
        if (e.data === kExit) end(exitCode);
        else sink.message(e.data);
      };
      let exitCode = 0;
      let workerListener: ((data: unknown) => void) | undefined;
      port2.onmessage = (e: MessageEvent) => {
        if (!gone) workerListener?.(e.data);
      };
      serve(
        {
          postMessage: (m, t) => {
            if (!gone) port2.postMessage(m, (t ?? []) as Transferable[]);
          },
          onMessage: (listener) => {
            workerListener = listener;
          },
          // Exit after everything posted so far has arrived: the channel is FIFO.
          exit: (code) => {
            exitCode = code;
            if (!gone) port2.postMessage(kExit);
          },
        },
        { ownsGlobals: false },
      );
      return {
        pid: nextPid++,
        // A MessageChannel clones: number-only chunks may travel packed.
        packNumbers: true,
        postMessage: (m, t) => port1.postMessage(m, (t ?? []) as Transferable[]),
        terminate: () => end(1),
      };
    },
  });
}
