import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import sinon from 'sinon';

/*
 * What the mapping properties share: the scripted handler's calls, the emulator's random kills, and
 * running a scenario on fake time in a state folder of its own.
 */

export const START = Date.UTC(2026, 0, 1);

/** The invoker's n-th call: throttled, or how long the handler runs. */
export interface CallSpec {
  throttle: boolean;
  durationMs: number;
}

/** The emulator is killed at a time, or as the invoker's n-th call starts or returns its result. */
export type KillSpec = ({ at: number } | { call: number; phase: 'start' | 'end' }) & {
  /** How long it stays down before it is restarted. */
  downMs: number;
};

export const callSpecs: fc.Arbitrary<CallSpec[]> = fc.array(
  fc.record({
    throttle: fc.oneof(
      { arbitrary: fc.constant(false), weight: 9 },
      { arbitrary: fc.constant(true), weight: 1 },
    ),
    // Well within an SQS visibility timeout, as Lambda requires of a function's timeout.
    durationMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5000 })),
  }),
  { maxLength: 40, size: 'medium' },
);

/** Up to three kills, most within `soonMs` of the start, some up to `lateMs`. */
export function killSpecs(soonMs: number, lateMs: number): fc.Arbitrary<KillSpec[]> {
  return fc.array(
    fc
      .tuple(
        fc.oneof(
          fc.record({
            at: fc.oneof(
              { arbitrary: fc.integer({ min: 0, max: soonMs }), weight: 2 },
              { arbitrary: fc.integer({ min: 0, max: lateMs }), weight: 1 },
            ),
          }),
          fc.record({ call: fc.nat(30), phase: fc.constantFrom<'start' | 'end'>('start', 'end') }),
        ),
        fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40_000 })),
      )
      .map(([where, downMs]): KillSpec => ({ ...where, downMs })),
    { maxLength: 3, size: 'max' },
  );
}

/** The kills tied to calls, by call number (the first for a call wins). */
export function killsByCall(kills: KillSpec[]): Map<number, KillSpec & { phase: 'start' | 'end' }> {
  const byCall = new Map<number, KillSpec & { phase: 'start' | 'end' }>();
  for (const kill of kills) if ('call' in kill && !byCall.has(kill.call)) byCall.set(kill.call, kill);
  return byCall;
}

/** What a killed emulator's pending work comes to. */
export const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/**
 * A call made by a generation of the emulator: it goes nowhere once the generation is dead, and its
 * answer (or error) is not heard by a generation that died meanwhile. `seen` is told of what the call
 * did while the generation lived (it was committed, even if the generation never heard back).
 */
export function whileAlive<T>(
  dead: () => boolean,
  call: () => Promise<T>,
  seen: (result: T) => void = () => undefined,
): Promise<T> {
  if (dead()) return never();
  return call().then(
    (result) => {
      seen(result);
      return dead() ? never<T>() : result;
    },
    (error: unknown) => (dead() ? never<T>() : Promise.reject(error)),
  );
}

/** Runs a scenario on fake time (from START) in a fresh state folder, then restores both. */
export async function onFakeTime<T>(
  folderPrefix: string,
  run: (clock: sinon.SinonFakeTimers, dir: string) => Promise<T>,
): Promise<T> {
  const sandbox = sinon.createSandbox();
  const clock = sandbox.useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const dir = mkdtempSync(path.join(tmpdir(), folderPrefix));
  try {
    return await run(clock, dir);
  } finally {
    sandbox.restore();
    rmSync(dir, { recursive: true, force: true });
  }
}
