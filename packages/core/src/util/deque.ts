/**
 * A growable ring buffer: O(1) push and shift at both ends. The pool's task
 * queue and each worker's in-flight list, where `Array#shift` would be O(n).
 */
export class Deque<T> {
  #items: (T | undefined)[];
  #head = 0;
  #size = 0;

  constructor(capacity = 16) {
    this.#items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.#size;
  }

  push(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#size) % this.#items.length] = item;
    this.#size++;
  }

  unshift(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#head = (this.#head - 1 + this.#items.length) % this.#items.length;
    this.#items[this.#head] = item;
    this.#size++;
  }

  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#items.length;
    this.#size--;
    return item;
  }

  pop(): T | undefined {
    if (this.#size === 0) return undefined;
    const i = (this.#head + this.#size - 1) % this.#items.length;
    const item = this.#items[i];
    this.#items[i] = undefined;
    this.#size--;
    return item;
  }

  peek(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[this.#head];
  }

  at(index: number): T | undefined {
    return index < 0 || index >= this.#size ? undefined : this.#items[(this.#head + index) % this.#items.length];
  }

  /** Removes the item at `index` (O(n); for the rare out-of-order case). */
  removeAt(index: number): T | undefined {
    if (index === 0) return this.shift();
    const all = this.drain();
    const [item] = all.splice(index, 1);
    for (const x of all) this.push(x);
    return item;
  }

  /** Empties the deque, returning its items in order. */
  drain(): T[] {
    const out: T[] = [];
    let x: T | undefined;
    while (this.#size > 0) {
      x = this.shift();
      out.push(x as T);
    }
    return out;
  }

  #grow(): void {
    const old = this.#items;
    const next = new Array<T | undefined>(Math.max(16, old.length * 2));
    for (let i = 0; i < this.#size; i++) next[i] = old[(this.#head + i) % old.length];
    this.#items = next;
    this.#head = 0;
  }
}
