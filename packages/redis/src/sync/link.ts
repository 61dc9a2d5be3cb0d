/**
 * What a process's Redis primitives share per server and prefix: one
 * connection for their commands and one subscriber on the prefix's wake
 * channel. A waiter registers here before it checks the state again, and a
 * change publishes the primitive's key, so no wake-up is lost; each wait is
 * also cut into slices, so a lease that simply expires (nobody publishes)
 * is seen within one slice.
 */
import type { Redis } from 'ioredis';
import { openRedis, type RedisConnection } from '../names.js';

/** The longest a waiter sleeps before it looks again without being woken (ms). */
export const WAIT_SLICE_MS = 250;

const links = new Map<string, PrimLink>();

export class PrimLink {
  /**
   * The link for `connection` and `prefix` in this process, for one more user until {@link release}.
   */
  static for(connection: RedisConnection, prefix: string): PrimLink {
    const key = `${prefix}\n${typeof connection === 'string' ? connection : JSON.stringify(connection)}`;
    let link = links.get(key);
    if (link === undefined) {
      link = new PrimLink(connection, prefix, key);
      links.set(key, link);
    }
    link.#users++;
    return link;
  }

  readonly prefix: string;
  /** The wake channel of the prefix. */
  readonly channel: string;
  readonly #connection: RedisConnection;
  readonly #key: string;
  #cmd: Redis | undefined;
  #sub: Redis | undefined;
  #subscribed: Promise<unknown> | undefined;
  #users = 0;
  readonly #waiters = new Map<string, Set<() => void>>();

  private constructor(connection: RedisConnection, prefix: string, key: string) {
    this.#connection = connection;
    this.prefix = prefix;
    this.channel = `${prefix}:prim:wake`;
    this.#key = key;
  }

  /** The command connection, opened on first use. */
  get cmd(): Redis {
    if (this.#cmd === undefined) {
      this.#cmd = openRedis(this.#connection, 'multiproc-primitives');
      this.#cmd.on('error', () => {});
    }
    return this.#cmd;
  }

  /** A primitive's key: `<prefix>:prim:<kind>:<id>`. */
  key(kind: string, id: string): string {
    return `${this.prefix}:prim:${kind}:${id}`;
  }

  /** Resolves when `key` is woken, or after `ms` (at most one slice). Register before checking. */
  waiter(key: string): { readonly woken: Promise<void>; sleep(ms: number): Promise<void>; done(): void } {
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    let set = this.#waiters.get(key);
    if (set === undefined) this.#waiters.set(key, (set = new Set()));
    set.add(wake);
    const waiters = this.#waiters;
    return {
      woken,
      sleep: async (ms: number) => {
        await this.#subscribe();
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, Math.min(ms, WAIT_SLICE_MS)))))]);
        clearTimeout(timer);
      },
      done: () => {
        set.delete(wake);
        if (set.size === 0 && waiters.get(key) === set) waiters.delete(key);
      },
    };
  }

  #subscribe(): Promise<unknown> {
    if (this.#subscribed === undefined) {
      this.#sub = openRedis(this.#connection, 'multiproc-primitives:wake');
      this.#sub.on('error', () => {});
      this.#sub.on('message', (_channel: string, key: string) => {
        const set = this.#waiters.get(key);
        if (set !== undefined) for (const wake of [...set]) wake();
      });
      this.#subscribed = this.#sub.subscribe(this.channel);
    }
    return this.#subscribed;
  }

  /** One user fewer; the last closes the connections. */
  release(): void {
    if (--this.#users > 0) return;
    if (links.get(this.#key) === this) links.delete(this.#key);
    this.#cmd?.disconnect();
    this.#sub?.disconnect();
  }
}
