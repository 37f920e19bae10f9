/** Time, injected so that retries, backoff and event age run on fake time in tests. */
export interface Clock {
  now(): number;
  /**
   * A callback that starts work of its own (I/O the emulator awaits) returns its promise, so that
   * virtual time can wait for it before moving on.
   */
  setTimeout(callback: () => unknown, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** `2017-12-22T18:43:48Z`: AWS events carry their time to the second. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
