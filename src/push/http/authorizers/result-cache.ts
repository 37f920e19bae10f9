import type { Clock } from '../../../clock';

/**
 * An authorizer's cached answers by identity (its identity sources' values), each kept for the
 * authorizer's `resultTtlInSeconds` on the injected clock. API Gateway caches per authorizer, not per
 * route: a cached policy is evaluated again against each route it is asked about.
 */
export class ResultCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  get enabled(): boolean {
    return this.ttlSeconds > 0;
  }

  get(identity: readonly string[]): T | undefined {
    if (!this.enabled) return undefined;
    const key = JSON.stringify(identity);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.clock.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(identity: readonly string[], value: T): void {
    if (!this.enabled) return;
    this.dropExpired();
    this.entries.set(JSON.stringify(identity), {
      value,
      expiresAt: this.clock.now() + this.ttlSeconds * 1000,
    });
  }

  private dropExpired(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
