import { EVENT_TABLE } from '../classify/table';
import type { InvocationSink } from '../lambda/lambda-service';
import type { EventType } from '../service/model';

/**
 * The emulator's terminal output: function logs prefixed with the function name, one summary line per
 * invocation. Writes are gathered and flushed once per event-loop turn, so a busy service does not
 * pay one write per line.
 */
export class ConsoleOutput implements InvocationSink {
  private pending: string[] = [];
  private scheduled = false;

  constructor(private readonly write: (text: string) => void = (text) => process.stdout.write(text)) {}

  line(text: string): void {
    this.pending.push(text);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
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

  invocation(summary: Parameters<InvocationSink['invocation']>[0]): void {
    const { functionKey, source, type, status, durationMs } = summary;
    const sourceType = source.split(' ')[0] as EventType;
    const model = EVENT_TABLE[sourceType]?.model ?? 'direct';
    const invocation = type === 'Event' ? 'async' : 'sync';
    this.line(
      `λ ${functionKey} ← ${source} (${model}/${invocation}) ${status} in ${durationMs.toFixed(1)} ms`,
    );
  }
}
