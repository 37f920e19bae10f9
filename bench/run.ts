/**
 * `npm run bench`: the sync HTTP path against serverless-offline 13 and raw baselines (http.ts), memory
 * (memory.ts), async events (async.ts), SQS and Kinesis event source mappings (pull.ts) and the testing
 * API (testing.ts), in one run. Prints figures, ratios and the floors.
 */
import { measureAsync } from './async';
import { measureHttp, printHttp } from './http';
import { liveViewNote } from './live-page';
import { measureMemory, printMemory } from './memory';
import { measurePull, printPull } from './pull';
import { measureTesting, printTesting } from './testing';

let port = 4700;
const nextPort = () => port++;
/** `BENCH_ONLY=http,memory,async,pull,testing` runs only those parts (all by default). */
const PARTS = new Set((process.env.BENCH_ONLY ?? 'http,memory,async,pull,testing').split(','));

async function main() {
  if (PARTS.has('http')) printHttp(await measureHttp(nextPort));
  if (PARTS.has('memory')) printMemory(await measureMemory(nextPort));
  console.log('');
  if (PARTS.has('async')) await printAsync();
  if (PARTS.has('pull')) printPull(await measurePull(nextPort()));
  if (PARTS.has('testing')) printTesting(await measureTesting());
}

async function printAsync() {
  const all = await measureAsync(nextPort());
  for (const figures of all) {
    const ok = figures.eventsPerSecond >= 2000 && figures.p50 < 20;
    console.log(
      `async via ${figures.via.padEnd(30)} ${String(figures.eventsPerSecond).padStart(6)} events/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms  (floors 2000/s, p50 < 20 ms)  ${ok ? 'ok' : 'BELOW FLOOR'}`,
    );
  }
  console.log(liveViewNote(all.every((figures) => figures.liveView)));
  console.log('');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
