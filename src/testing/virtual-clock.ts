import type { Clock } from '../clock';

interface Timer {
  at: number;
  callback: () => unknown;
}

/**
 * A clock whose time moves only when told (`moveTo`), firing the timers it passes earliest first: the
 * emulator's delays (async retries, visibility timeouts, schedules, ...) then take no real time at all.
 */
export class VirtualClock implements Clock {
  private readonly timers = new Map<number, Timer>();
  private lastHandle = 0;
  /** What fired timers started and returned, until it is over. */
  private readonly working = new Set<Promise<unknown>>();

  constructor(private time: number) {}

  now = (): number => this.time;

  setTimeout = (callback: () => unknown, ms: number): unknown => {
    const handle = ++this.lastHandle;
    this.timers.set(handle, { at: this.time + Math.max(0, ms), callback });
    return handle;
  };

  clearTimeout = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };

  /** When the earliest timer is due, if any is set. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const { at } of this.timers.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  /**
   * Fires the timers due now, earliest first (a timer they set for now fires too); false when none was
   * due.
   */
  fireDue(): boolean {
    let fired = false;
    for (;;) {
      const due = [...this.timers]
        .filter(([, timer]) => timer.at <= this.time)
        .sort((a, b) => a[1].at - b[1].at);
      if (due.length === 0) return fired;
      for (const [handle, timer] of due) {
        if (!this.timers.delete(handle)) continue;
        fired = true;
        const work = timer.callback();
        if (work instanceof Promise) {
          const tracked = work.catch(() => undefined).finally(() => this.working.delete(tracked));
          this.working.add(tracked);
        }
      }
    }
  }

  /** Resolves once the work that fired timers returned is over. */
  async idle(): Promise<void> {
    while (this.working.size > 0) await Promise.all(this.working);
  }

  /** Forgets every timer (those of the parts of an emulator that was stopped) and sets the time. */
  restart(at: number): void {
    this.timers.clear();
    this.time = at;
  }

  /** Moves time forward to `at` (never back), without firing anything. */
  moveTo(at: number): void {
    this.time = Math.max(this.time, at);
  }
}
