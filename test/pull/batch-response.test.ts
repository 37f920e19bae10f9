import { strict as assert } from 'node:assert';
import { readBatchResponse } from '../../src/pull/batch-response';

describe('readBatchResponse (ReportBatchItemFailures)', () => {
  const ids = new Set(['a', 'b', 'c']);
  const cases: Array<[string, string, ReturnType<typeof readBatchResponse>]> = [
    ['an empty response', '', { kind: 'success' }],
    ['a null response', 'null', { kind: 'success' }],
    ['an empty object', '{}', { kind: 'success' }],
    ['a null list', '{"batchItemFailures":null}', { kind: 'success' }],
    ['an empty list', '{"batchItemFailures":[]}', { kind: 'success' }],
    [
      'listed ids',
      '{"batchItemFailures":[{"itemIdentifier":"b"},{"itemIdentifier":"c"}]}',
      { kind: 'partial', failed: ['b', 'c'] },
    ],
    ['invalid JSON', '{"batchItemFailures":', { kind: 'invalid' }],
    ['a list that is not a list', '{"batchItemFailures":"a"}', { kind: 'invalid' }],
    ['an empty identifier', '{"batchItemFailures":[{"itemIdentifier":""}]}', { kind: 'invalid' }],
    ['a null identifier', '{"batchItemFailures":[{"itemIdentifier":null}]}', { kind: 'invalid' }],
    ['a wrong key', '{"batchItemFailures":[{"itemId":"a"}]}', { kind: 'invalid' }],
    ['an id not in the batch', '{"batchItemFailures":[{"itemIdentifier":"z"}]}', { kind: 'invalid' }],
    ['a string response', '"ok"', { kind: 'invalid' }],
  ];
  for (const [what, payload, expected] of cases) {
    it(`reads ${what} as ${expected.kind}`, () => {
      assert.deepEqual(readBatchResponse(payload, ids), expected);
    });
  }
});
