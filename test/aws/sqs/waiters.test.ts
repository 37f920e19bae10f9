import { strict as assert } from 'node:assert';
import type { Clock } from '../../../src/clock';
import { Waiters } from '../../../src/aws/sqs/waiters';

/** A clock whose time moves only when told, and that keeps the one timer a queue's waiters set. */
function handClock(start: number) {
  let time = start;
  const timers = new Map<number, { at: number; callback: () => unknown }>();
  let next = 1;
  const clock: Clock = {
    now: () => time,
    setTimeout: (callback, ms) => {
      timers.set(next, { at: time + ms, callback });
      return next++;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
  };
  return {
    clock,
    set: (now: number) => (time = now),
    /** When the pending timer fires. */
    wakeAt: () => [...timers.values()].map((timer) => timer.at),
  };
}

describe('SQS long polls (Waiters)', () => {
  /** In-flight messages, each visible again at its time: the first to be after `since`. */
  const queueWith =
    (...visibleAt: number[]) =>
    (_queue: string, since: number) => {
      const later = visibleAt.filter((at) => at > since);
      return later.length ? Math.min(...later) : undefined;
    };

  it('wakes a waiter at once for a message that became visible while its receive looked', () => {
    const time = handClock(1_000);
    const waiters = new Waiters(time.clock, queueWith(1_001));
    // The receive found nothing at 1000; by the time it waits, the message is visible (1001 < 1002).
    time.set(1_002);
    waiters.add(
      'q',
      21_000,
      () => false,
      () => undefined,
      1_000,
    );
    assert.deepEqual(time.wakeAt(), [1_002]);
  });

  it('keeps a wake that is due when another message is received and the timer is set again', () => {
    const time = handClock(1_000);
    const inFlight = [1_500];
    const waiters = new Waiters(time.clock, (queue, since) => queueWith(...inFlight)(queue, since));
    waiters.add(
      'q',
      21_000,
      () => false,
      () => undefined,
      1_000,
    );
    assert.deepEqual(time.wakeAt(), [1_500]);
    // Before the timer runs, a receive of another message (invisible until 5000) sets it again.
    time.set(1_501);
    inFlight.push(5_000);
    waiters.visibilityChanged('q');
    assert.deepEqual(time.wakeAt(), [1_501]);
  });

  it('counts from the last look once the waiters have tried again', () => {
    const time = handClock(1_000);
    const waiters = new Waiters(time.clock, queueWith(1_500));
    waiters.add(
      'q',
      21_000,
      () => false,
      () => undefined,
      1_000,
    );
    // The timer fires at 1500, the message is not receivable (its FIFO group is busy): no wake loop.
    time.set(1_500);
    waiters.notify('q');
    assert.deepEqual(time.wakeAt(), [21_000]);
  });
});
