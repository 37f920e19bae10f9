// vitest: npx vitest run --root examples/testing vitest.test.mjs
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { emulate } from 'serverless-emulate/testing';

describe('testing-example under vitest', () => {
  let service;

  // Virtual time: the emulator's clock moves only with advance(), so retries minutes apart take no time.
  // The first start resolves the configuration with the framework: give it more than vitest's 10 s.
  beforeAll(async () => {
    service = await emulate({ dir: path.join(import.meta.dirname, 'service'), clock: 'virtual' });
  }, 60_000);
  afterAll(() => service?.stop());

  test('retries a failing async event twice, then sends it to its on-failure destination', async () => {
    const { requestId } = await service.invoke('charge', { orderId: 42 }, { type: 'Event' });
    await service.advance('3m'); // Lambda retries after 1 minute, then 2 more
    expect(service.invocations({ function: 'charge' }).map((i) => [i.attempt, i.outcome])).toEqual([
      [1, 'error'],
      [2, 'error'],
      [3, 'error'],
    ]);
    // waitFor resolves with the matching invocations, or fails saying what did happen.
    const [alert] = await service.waitFor({ function: 'alert', outcome: 'ok', timeout: '1s' });
    expect(alert.event.requestContext).toMatchObject({ requestId, condition: 'RetriesExhausted' });
  });

  test('invokes a function synchronously', async () => {
    const { payload } = await service.invoke('hello', { queryStringParameters: { name: 'vitest' } });
    expect(payload).toEqual({ message: 'hello vitest' });
  });
});
