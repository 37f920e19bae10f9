import type { StreamPulled } from './stream-records';

type Deliver = (
  records: StreamPulled[],
  window: { extra: string; accepts: (payload: string) => boolean },
) => Promise<boolean>;

/**
 * A shard's tumbling window (`tumblingWindowInSeconds`): records are grouped into windows by their
 * arrival time; each invocation gets the window, the state the previous one returned, and the shard;
 * a window ends with an invocation marked `isFinalInvokeForWindow`. A response without `state` is a
 * failed invocation. State lives in memory: a restart starts the current window's state afresh.
 */
export class TumblingWindow {
  private current: { start: number; state: unknown } | undefined;

  constructor(
    private readonly sizeMs: number,
    private readonly shardId: string,
    private readonly streamArn: string,
  ) {}

  isDue(now: number): boolean {
    const end = this.endsAt();
    return end !== undefined && now >= end;
  }

  /** When the open window ends, if one is open. */
  endsAt(): number | undefined {
    return this.current && this.current.start + this.sizeMs;
  }

  async process(batch: StreamPulled[], batchSize: number, deliver: Deliver): Promise<boolean> {
    let i = 0;
    while (i < batch.length) {
      const start = this.windowOf(batch[i]);
      let end = i;
      while (end < batch.length && this.windowOf(batch[end]) === start) end++;
      if (this.current && this.current.start !== start && !(await this.finish(deliver))) return false;
      this.current ??= { start, state: {} };
      for (let j = i; j < end; j += batchSize) {
        if (!(await this.deliverIn(batch.slice(j, Math.min(j + batchSize, end)), false, deliver)))
          return false;
      }
      i = end;
    }
    return true;
  }

  /** The final invocation of the current window. */
  async finish(deliver: Deliver): Promise<boolean> {
    if (!(await this.deliverIn([], true, deliver))) return false;
    this.current = undefined;
    return true;
  }

  private windowOf(record: StreamPulled): number {
    return Math.floor(record.arrivalMs / this.sizeMs) * this.sizeMs;
  }

  private deliverIn(records: StreamPulled[], final: boolean, deliver: Deliver): Promise<boolean> {
    const window = this.current ?? { start: 0, state: {} };
    const extra = [
      `"window":${JSON.stringify({
        start: new Date(window.start).toISOString(),
        end: new Date(window.start + this.sizeMs).toISOString(),
      })}`,
      `"state":${JSON.stringify(window.state)}`,
      `"shardId":${JSON.stringify(this.shardId)}`,
      `"eventSourceARN":${JSON.stringify(this.streamArn)}`,
      `"isFinalInvokeForWindow":${final}`,
      '"isWindowTerminatedEarly":false',
    ].join(',');
    return deliver(records, {
      extra: `,${extra}`,
      accepts: (payload) => {
        let response: unknown;
        try {
          response = JSON.parse(payload);
        } catch {
          return false;
        }
        if (response === null || typeof response !== 'object' || !('state' in response)) return false;
        window.state = (response as { state: unknown }).state;
        return true;
      },
    });
  }
}
