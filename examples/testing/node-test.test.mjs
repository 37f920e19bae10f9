// node:test: node --test examples/testing/node-test.test.mjs
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { emulate } from 'serverless-emulate/testing';

describe('testing-example under node:test', () => {
  let service;

  // Virtual time: the emulator's clock moves only with advance(), so retries minutes apart take no time.
  before(async () => {
    service = await emulate({ dir: path.join(import.meta.dirname, 'service'), clock: 'virtual' });
  });
  after(() => service?.stop());

  it('retries a failing async event twice, then sends it to its on-failure destination', async () => {
    const { requestId } = await service.invoke('charge', { orderId: 42 }, { type: 'Event' });
    await service.advance('3m'); // Lambda retries after 1 minute, then 2 more
    assert.deepEqual(
      service.invocations({ function: 'charge' }).map((i) => [i.attempt, i.outcome]),
      [
        [1, 'error'],
        [2, 'error'],
        [3, 'error'],
      ],
    );
    // waitFor resolves with the matching invocations, or fails saying what did happen.
    const [alert] = await service.waitFor({ function: 'alert', outcome: 'ok', timeout: '1s' });
    assert.equal(alert.event.requestContext.requestId, requestId);
    assert.equal(alert.event.requestContext.condition, 'RetriesExhausted');
  });

  it('invokes a function synchronously', async () => {
    const { payload } = await service.invoke('hello', { queryStringParameters: { name: 'node:test' } });
    assert.deepEqual(payload, { message: 'hello node:test' });
  });
});
