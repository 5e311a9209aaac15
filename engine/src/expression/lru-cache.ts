/** A size-bounded map that evicts the least recently used entry; relies on Map's insertion order. */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  /** `onEvict` hears of each entry dropped to make room, e.g. to free what it holds elsewhere. */
  constructor(
    private readonly capacity: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // re-insert so the entry becomes the most recently used
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.entries().next();
      if (!oldest.done) {
        this.entries.delete(oldest.value[0]);
        this.onEvict?.(oldest.value[0], oldest.value[1]);
      }
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
