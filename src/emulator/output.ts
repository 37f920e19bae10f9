import { originText } from '../classify/origin';
import type { InvocationSink, InvocationSummary } from '../lambda/invocation-runner';

// Lines are gathered for this long before one write: unnoticeable to a reader, and a busy service
// then pays one write per batch instead of one per line.
const FLUSH_MS = 15;

/**
 * The emulator's terminal output: function logs prefixed with the function name, one summary line per
 * invocation.
 */
export class ConsoleOutput implements InvocationSink {
  private pending: string[] = [];
  private scheduled = false;

  constructor(private readonly write: (text: string) => void = (text) => process.stdout.write(text)) {}

  line(text: string): void {
    this.pending.push(text);
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => this.flush(), FLUSH_MS).unref();
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.write(text);
  }

  log(functionKey: string, line: string): void {
    this.line(`[${functionKey}] ${line}`);
  }

  invocation(summary: InvocationSummary): void {
    this.line(summaryLine(summary));
  }
}

/** `λ worker ← sqs jobs (pull/sync) ok in 3.1 ms`: one invocation, where it came from and how it ended. */
export function summaryLine(summary: InvocationSummary): string {
  const { functionKey, origin, type, status, durationMs, trace } = summary;
  const invocation = type === 'Event' ? 'async' : 'sync';
  const cause = trace.causedBy ? `, caused by ${trace.causedBy.functionKey} ${trace.causedBy.requestId}` : '';
  return `λ ${functionKey} ← ${originText(origin)} (${origin.model}/${invocation}) ${status} in ${durationMs.toFixed(1)} ms${cause}`;
}
