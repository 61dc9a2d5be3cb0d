/**
 * The RPC layer between a page and its Web Workers, and the only file that
 * imports comlink. comlink carries core's protocol, it does not replace it:
 * each side exposes a tiny API whose `deliver(message)` hands one core
 * message (a `tasks` or `results` batch, `init`, `abort`...) to the other
 * side, one comlink call per message, with its transfer list. The rest of the
 * API is the adapter's own lifecycle signals (`hello`, `end`), which core
 * never sees. Swapping comlink out means rewriting this file only.
 *
 * Both directions share the worker's own message port: comlink's `expose`
 * ignores replies and its `wrap` ignores calls, so one port carries both.
 */
import * as Comlink from 'comlink';

/** How a worker says it is ending: its exit code (null when unknown) and the error that ended it. */
export interface EndInfo {
  readonly code: number | null;
  readonly error?: unknown;
}

/** What the page receives from one worker. */
export interface ParentHandlers {
  /** A core protocol message from the worker. */
  message(data: unknown): void;
  /** The worker started and holds the Web Lock named `lifeline` (null: no Web Locks here). */
  hello(lifeline: string | null): void;
  /** The worker is ending itself (`exit(code)`, `self.close()`, an uncaught error). */
  end(info: EndInfo): void;
}

/** The page's end of the link to one worker. */
export interface ParentLink {
  /** Sends a core message; throws synchronously when it cannot be cloned, as core requires. */
  post(message: unknown, transfer?: readonly Transferable[]): void;
  /** Stops listening; later calls from the worker are ignored. */
  dispose(): void;
}

/** The worker's end of the link to its page. */
export interface WorkerLink {
  /** Sends a core message; throws synchronously when it cannot be cloned. */
  post(message: unknown, transfer?: readonly Transferable[]): void;
  hello(lifeline: string | null): void;
  end(info: EndInfo): void;
}

interface ParentApi {
  deliver(data: unknown): void;
  hello(lifeline: string | null): void;
  end(info: EndInfo): void;
}

interface WorkerApi {
  deliver(data: unknown): void;
}

/** What a worker and its page both are, for comlink: a port with message events. */
interface Port {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

const noop = (): void => {};

/**
 * A comlink endpoint over `port` that can report a failed post at once.
 * comlink posts from inside a Promise executor, so a DataCloneError would
 * only reject the call's promise; core needs it thrown synchronously (it
 * turns it into an EncodingError for that one task). `call` runs one comlink
 * call and rethrows a failed post before returning.
 */
function channel(port: Port) {
  let failure: { error: unknown } | null = null;
  const endpoint: Comlink.Endpoint = {
    postMessage(message: unknown, transfer?: Transferable[]) {
      try {
        port.postMessage(message, transfer ?? []);
      } catch (error) {
        failure = { error };
        throw error;
      }
    },
    addEventListener: port.addEventListener.bind(port) as Comlink.Endpoint['addEventListener'],
    removeEventListener: port.removeEventListener.bind(port) as Comlink.Endpoint['removeEventListener'],
  };
  const call = (invoke: () => Promise<unknown>): void => {
    failure = null;
    // Calls are fire-and-forget: ordering comes from the port, and a dead peer never answers.
    invoke().catch(noop);
    const f = failure as { error: unknown } | null;
    if (f !== null) throw f.error;
  };
  return { endpoint, call };
}

/** Marks `message` so comlink transfers (rather than copies) the listed objects. */
function withTransfer<T>(message: T, transfer: readonly Transferable[] | undefined): T {
  return transfer !== undefined && transfer.length > 0 ? Comlink.transfer(message, [...transfer]) : message;
}

/**
 * Links the page to one worker: exposes the page's API on the worker's port
 * and wraps the worker's.
 *
 * @example
 * ```ts
 * const link = parentLink(worker, { message: (m) => sink.message(m), hello, end });
 * link.post({ type: 'init', ... });
 * ```
 */
export function parentLink(worker: Worker, handlers: ParentHandlers): ParentLink {
  let live = true;
  const api: ParentApi = {
    deliver: (data) => void (live && handlers.message(data)),
    hello: (lifeline) => void (live && handlers.hello(lifeline)),
    end: (info) => void (live && handlers.end(info)),
  };
  const ch = channel(worker as unknown as Port);
  Comlink.expose(api, ch.endpoint);
  // Read once: comlink makes (and tracks) a new proxy on every property read.
  const deliver = Comlink.wrap<WorkerApi>(ch.endpoint).deliver;
  return {
    post: (message, transfer) => ch.call(() => deliver(withTransfer(message, transfer))),
    dispose: () => {
      live = false;
    },
  };
}

/**
 * Links a worker to its page (call it inside the worker): exposes `deliver`
 * on the worker's global scope, so core messages from the page reach
 * `onMessage`, and wraps the page's API.
 *
 * @example
 * ```ts
 * const link = workerLink((m) => listener(m));
 * link.post({ type: 'ready', version: 1 });
 * ```
 */
export function workerLink(onMessage: (data: unknown) => void): WorkerLink {
  const ch = channel(globalThis as unknown as Port);
  const api: WorkerApi = { deliver: (data) => onMessage(data) };
  Comlink.expose(api, ch.endpoint);
  const { deliver, hello, end } = Comlink.wrap<ParentApi>(ch.endpoint);
  return {
    post: (message, transfer) => ch.call(() => deliver(withTransfer(message, transfer))),
    hello: (lifeline) => ch.call(() => hello(lifeline)),
    end: (info) => {
      try {
        ch.call(() => end(info));
      } catch {
        // The error itself cannot be cloned: send its description.
        ch.call(() => end({ code: info.code, error: new Error(describe(info.error)) }));
      }
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ''}`;
  try {
    return String(error);
  } catch {
    return 'an uncloneable error';
  }
}
