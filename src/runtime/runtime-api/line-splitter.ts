import { StringDecoder } from 'node:string_decoder';

/** Cuts a byte stream into lines (UTF-8 safe across chunks; `\n` or `\r\n` ends a line). */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: Buffer): void {
    const text = this.partial + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.emit(line.endsWith('\r') ? line.slice(0, -1) : line);
  }

  /** Emits the unfinished line so far (at the end of an invocation, or with `end` when the stream ends). */
  flush(end = false): void {
    const rest = this.partial + (end ? this.decoder.end() : '');
    this.partial = '';
    if (rest !== '') this.emit(rest);
  }
}
