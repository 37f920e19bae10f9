/** Lines written between invocations are held for the next one, up to this many (the oldest go first). */
const MAX_HELD_LINES = 1000;

/**
 * Where an instance's lines go: to the running invocation's log; lines written between invocations
 * (init output included) are held and handed to the next invocation first, as Lambda's frozen
 * execution environment writes them when it next runs.
 */
export class InstanceLog {
  private log: ((line: string) => void) | undefined;
  private held: string[] = [];
  private dropped = 0;

  /** An invocation starts: it gets the held lines, then every line until `detach`. */
  attach(log: (line: string) => void): void {
    if (this.dropped > 0) log(`[serverless-emulate] ${this.dropped} earlier lines of output were dropped`);
    for (const line of this.held) log(line);
    this.held = [];
    this.dropped = 0;
    this.log = log;
  }

  detach(): void {
    this.log = undefined;
  }

  line(line: string): void {
    if (this.log) return this.log(line);
    this.held.push(line);
    if (this.held.length > MAX_HELD_LINES) {
      this.held.shift();
      this.dropped++;
    }
  }
}
