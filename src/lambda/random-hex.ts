import { randomFillSync } from 'node:crypto';

// Every request takes a trace root and a segment id: one randomFillSync per request costs more than the
// rest of its trace, so random bytes are drawn 4 KB at a time and handed out from there.
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/** `bytes` random bytes as lowercase hex (`bytes` at most 4096). */
export function randomHex(bytes: number): string {
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  used += bytes;
  return pool.toString('hex', used - bytes, used);
}
