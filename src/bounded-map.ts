/**
 * A map of the latest `limit` keys set: setting a new key past the limit forgets the oldest. Deleting
 * a Map's first key instead walks past every key deleted before it (V8 keeps them until it rehashes),
 * which made a full map cost microseconds per set; here the keys' order is a ring.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  private readonly order: K[] = [];
  private oldest = 0;

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (!this.map.has(key)) {
      if (this.order.length < this.limit) this.order.push(key);
      else {
        this.map.delete(this.order[this.oldest]);
        this.order[this.oldest] = key;
        this.oldest = (this.oldest + 1) % this.limit;
      }
    }
    this.map.set(key, value);
  }
}
