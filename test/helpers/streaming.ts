import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * What the response streaming suites share: the handlers of test/fixtures/response-streaming write a first
 * chunk, then wait until the file the request names exists, so a chunk read before the test creates that
 * file was sent while the handler was still running.
 */

/** A folder for signal files; `signal()` names a file that does not exist yet and what creates it. */
export function signals() {
  let dir: string | undefined;
  let count = 0;
  return {
    signal() {
      dir ??= mkdtempSync(path.join(tmpdir(), 'emulate-signals-'));
      const file = path.join(dir, `release-${++count}`);
      return { file, release: () => writeFileSync(file, '') };
    },
    remove: () => dir && rmSync(dir, { recursive: true, force: true }),
  };
}

export type BodyReader = ReadableStreamDefaultReader<Uint8Array>;

export const bodyReader = (response: Response): BodyReader =>
  (response.body as ReadableStream<Uint8Array>).getReader();

/** Reads the body until `text` has arrived; what was read so far. */
export async function readUntil(reader: BodyReader, text: string, got = ''): Promise<string> {
  const decoder = new TextDecoder();
  while (!got.includes(text)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`body ended before ${JSON.stringify(text)}: ${JSON.stringify(got)}`);
    got += decoder.decode(value, { stream: true });
  }
  return got;
}

/** Reads the rest of the body; `got` and what came after it. */
export async function readToEnd(reader: BodyReader, got: string): Promise<string> {
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return got;
    got += decoder.decode(value, { stream: true });
  }
}
