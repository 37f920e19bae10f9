import { strict as assert } from 'node:assert';
import { directOrigin, type Origin } from '../../src/classify/origin';
import { chainText, RECURSION_LIMIT, TraceLineage, type TracedFunction } from '../../src/lambda/lineage';
import { parseTrace } from '../../src/lambda/trace-id';

const fn = (key: string, recursiveLoop: TracedFunction['recursiveLoop'] = 'Terminate'): TracedFunction => ({
  key,
  arn: `arn:aws:lambda:us-east-1:000000000000:function:svc-dev-${key}`,
  recursiveLoop,
});
const sqs: Origin = { kind: 'sqs', model: 'pull', detail: 'jobs' };
const NOW = Date.parse('2026-06-01T00:00:00Z');

describe('lambda/lineage: traces, causes and recursive loops', () => {
  it("continues the caller's root and lineage, with a segment of its own", () => {
    const lineage = new TraceLineage();
    const caller =
      'Root=1-6a1b2c3d-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1;Lineage=1:abcdef01:3';
    const trace = lineage.begin(fn('worker'), caller, sqs, 'r1', NOW);
    const parts = parseTrace(trace.header);
    assert.equal(parts.root, '1-6a1b2c3d-0123456789abcdef01234567');
    assert.match(
      trace.header,
      /^Root=1-6a1b2c3d-0123456789abcdef01234567;Parent=[0-9a-f]{16};Sampled=0;Lineage=1:abcdef01:3\|1:[0-9a-f]{8}:0$/,
    );
    assert.notEqual(parts.parent, '0123456789abcdef');
    assert.equal(trace.count, 0);
    assert.equal(trace.causedBy, undefined, 'no invocation of ours made that segment');
  });

  it('starts a trace on the given clock for an event without one', () => {
    const trace = new TraceLineage().begin(fn('worker'), undefined, sqs, 'r1', NOW);
    assert.match(trace.root, new RegExp(`^1-${(NOW / 1000).toString(16)}-[0-9a-f]{24}$`));
  });

  it('links an invocation to the one whose segment its caller names', () => {
    const lineage = new TraceLineage();
    const first = lineage.begin(
      fn('api'),
      'Root=1-6a1b2c3d-0123456789abcdef01234567',
      directOrigin('invoke'),
      'r1',
      NOW,
    );
    const second = lineage.begin(fn('worker'), first.header, sqs, 'r2', NOW);
    assert.deepEqual(second.causedBy, { functionKey: 'api', requestId: 'r1' });
    assert.equal(second.root, first.root);
  });

  it(`stops the invocation after ${RECURSION_LIMIT} in one chain, with the chain; Allow lets it run`, () => {
    const lineage = new TraceLineage();
    let header = lineage.begin(fn('api'), undefined, directOrigin('invoke'), 'r0', NOW).header;
    for (let i = 0; i < RECURSION_LIMIT; i += 1) {
      const trace = lineage.begin(fn('worker'), header, sqs, `r${i + 1}`, NOW);
      assert.equal(trace.loop, undefined, `invocation ${i + 1} runs`);
      header = trace.header;
    }
    const stopped = lineage.begin(fn('worker'), header, sqs, 'r17', NOW);
    assert.equal(stopped.count, RECURSION_LIMIT);
    assert.deepEqual(stopped.loop, ['api', ...Array<string>(RECURSION_LIMIT + 1).fill('worker')]);
    assert.equal(lineage.begin(fn('worker', 'Allow'), header, sqs, 'r17', NOW).loop, undefined);
  });

  it('does not stop an invocation by a source Lambda does not watch for loops (EventBridge)', () => {
    const header = 'Root=1-6a1b2c3d-0123456789abcdef01234567;Lineage=1:' + '0'.repeat(8) + ':0';
    const lineage = new TraceLineage();
    const arnHash = parseTrace(lineage.begin(fn('worker'), header, sqs, 'r', NOW).header).lineage;
    const deep = [...arnHash].map(([hash]) => `1:${hash}:40`).join('|');
    const eventBridge: Origin = { kind: 'eventBridge', model: 'push', detail: 'default rule' };
    assert.equal(
      lineage.begin(
        fn('worker'),
        `Root=1-6a1b2c3d-0123456789abcdef01234567;Lineage=${deep}`,
        eventBridge,
        'r',
        NOW,
      ).loop,
      undefined,
    );
    assert.ok(
      lineage.begin(fn('worker'), `Root=1-6a1b2c3d-0123456789abcdef01234567;Lineage=${deep}`, sqs, 'r', NOW)
        .loop,
    );
  });

  it('reads the older lineage form without a version', () => {
    assert.deepEqual(
      [
        ...parseTrace(
          'Root=1-46105bdf-04c13a9504458ebc539f5fba;Parent=240a548a42a88af4;Sampled=0;Lineage=12326a9d:0',
        ).lineage,
      ],
      [['12326a9d', 0]],
    );
  });

  it('writes a chain with its loop counted', () => {
    assert.equal(chainText(['api', 'worker', 'worker', 'worker']), 'api → worker ×3');
    assert.equal(chainText(['api', 'relay', 'worker', 'relay', 'worker']), 'api → (relay → worker) ×2');
    assert.equal(chainText(['a', 'b', 'c']), 'a → b → c');
  });
});
