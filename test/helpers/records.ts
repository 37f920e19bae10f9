import { existsSync, readFileSync } from 'node:fs';

// A recorded event is whatever the function received: read loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Recorded = { fn: string; event: any };

/** Reads what fixture handlers append to a JSON-lines file (`{fn, event}` per invocation). */
export function recorded(file: string) {
  const records = (): Recorded[] =>
    existsSync(file)
      ? readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Recorded)
      : [];
  /** Waits (up to `ms`) until `done` holds for the records, and returns them. */
  const waitUntil = async (done: (all: Recorded[]) => boolean, ms = 10_000): Promise<Recorded[]> => {
    const started = Date.now();
    for (;;) {
      const all = records();
      if (done(all)) return all;
      if (Date.now() - started > ms) throw new Error(`not recorded in time; have ${JSON.stringify(all)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const waitFor = async (find: (r: Recorded) => boolean, ms?: number): Promise<Recorded> =>
    (await waitUntil((all) => all.some(find), ms)).find(find) as Recorded;
  return { records, waitUntil, waitFor };
}
