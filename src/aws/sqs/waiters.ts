import type { Clock } from '../../clock';

interface Waiter {
  deadline: number;
  /** Tries to receive; true when it answered the caller. */
  attempt: () => boolean;
  /** Answers the caller with no messages. */
  giveUp: () => void;
}

/**
 * Long polls: callers of ReceiveMessage waiting for a queue's messages. They try again when a
 * message is sent or becomes visible (one timer per queue, for the earliest of the next visibility
 * change and the next deadline), and get nothing when their wait ends.
 *
 * The timer is for the first message to become visible after the waiters last looked (`checkedAt`),
 * not after now: one that became visible while they looked, or before a re-arm, is due at once.
 * (Counting from now lost it, and its waiters waited out their 20 s.)
 */
export class Waiters {
  private readonly waiting = new Map<string, Waiter[]>();
  private readonly timers = new Map<string, unknown>();
  /** Per queue, when its waiters last tried to receive: every message visible by then was offered. */
  private readonly checkedAt = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    /** When the first message of a queue that was invisible at `since` becomes visible. */
    private readonly nextVisible: (queue: string, since: number) => number | undefined,
  ) {}

  /** Waits until `attempt` answers or the deadline passes; `checkedAt`: when the caller last tried. */
  add(queue: string, deadline: number, attempt: () => boolean, giveUp: () => void, checkedAt: number): void {
    const list = this.waiting.get(queue) ?? [];
    list.push({ deadline, attempt, giveUp });
    this.waiting.set(queue, list);
    this.checkedAt.set(queue, Math.min(checkedAt, this.checkedAt.get(queue) ?? Infinity));
    this.arm(queue);
  }

  /** Something happened on the queue that may let waiters receive. */
  notify(queue: string): void {
    if (!this.waiting.has(queue)) return;
    this.retry(queue);
  }

  /**
   * A message of the queue became invisible (received, or its visibility changed) while callers wait:
   * their timer is set again, for it may now be the first to become visible.
   */
  visibilityChanged(queue: string): void {
    if (this.waiting.has(queue)) this.arm(queue);
  }

  /** Every waiter gets nothing; no timer is left. */
  stop(): void {
    for (const handle of this.timers.values()) this.clock.clearTimeout(handle);
    this.timers.clear();
    this.checkedAt.clear();
    const all = [...this.waiting.values()].flat();
    this.waiting.clear();
    for (const waiter of all) waiter.giveUp();
  }

  private retry(queue: string): void {
    const now = this.clock.now();
    this.checkedAt.set(queue, now);
    const remaining: Waiter[] = [];
    // Every waiter sees the same visible messages: once one finds none, the others would too.
    let exhausted = false;
    for (const waiter of this.waiting.get(queue) ?? []) {
      if (!exhausted && waiter.attempt()) continue;
      exhausted = true;
      if (waiter.deadline <= now) waiter.giveUp();
      else remaining.push(waiter);
    }
    if (remaining.length) this.waiting.set(queue, remaining);
    else {
      this.waiting.delete(queue);
      this.checkedAt.delete(queue);
    }
    this.arm(queue);
  }

  private arm(queue: string): void {
    const previous = this.timers.get(queue);
    if (previous !== undefined) this.clock.clearTimeout(previous);
    this.timers.delete(queue);
    const waiters = this.waiting.get(queue);
    if (!waiters) return;
    const deadline = Math.min(...waiters.map((waiter) => waiter.deadline));
    const since = this.checkedAt.get(queue) ?? this.clock.now();
    const at = Math.min(deadline, this.nextVisible(queue, since) ?? Infinity);
    const handle = this.clock.setTimeout(
      () => {
        this.timers.delete(queue);
        this.retry(queue);
      },
      Math.max(0, at - this.clock.now()),
    );
    this.timers.set(queue, handle);
  }
}
