import type { Clock } from '../../src/clock';

/** A clock whose time moves only when told; its timers fire as time passes them. */
export class ManualClock implements Clock {
  private timers: Array<{ at: number; callback: () => void; handle: number }> = [];
  private next = 0;

  constructor(public time = Date.parse('2024-05-01T12:00:00Z')) {}

  now = () => this.time;

  setTimeout = (callback: () => void, ms: number) => {
    const handle = ++this.next;
    this.timers.push({ at: this.time + ms, callback, handle });
    return handle;
  };

  clearTimeout = (handle: unknown) => {
    this.timers = this.timers.filter((timer) => timer.handle !== handle);
  };

  /** Resolves once a timer is set (a long poll, say, has begun to wait); what it waits for is I/O, not time. */
  async untilTimerSet(): Promise<void> {
    while (!this.timers.length) await new Promise((resolve) => setImmediate(resolve));
  }

  advance(ms: number): void {
    this.time += ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= this.time).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      this.clearTimeout(due.handle);
      due.callback();
    }
  }
}
