import { strict as assert } from 'node:assert';
import { finished } from 'node:stream/promises';
import type { Settled } from '../../../src/push/http/gateway-timeout';
import {
  restStreamed,
  restStreamLimits,
  RestStream,
  type RestStreamLimits,
} from '../../../src/push/http/rest-stream';
import { HTTP_INTEGRATION_CONTENT_TYPE } from '../../../src/runtime/node/response-stream';
import { ManualClock } from '../../helpers/manual-clock';

const STREAMED: Settled = {
  type: 'outcome',
  outcome: { requestId: 'r', statusCode: 200, payload: '', streamed: true, durationMs: 1 },
};
const metadata = (json: object) => Buffer.concat([Buffer.from(JSON.stringify(json)), Buffer.alloc(8)]);

describe('REST API STREAM integrations (rest-stream.ts)', () => {
  let clock: ManualClock;
  let limits: RestStreamLimits;
  beforeEach(() => {
    clock = new ManualClock();
    limits = { clock, headMs: 29_000, totalMs: 60_000, idleMs: 10_000 };
  });

  /** A sink that has answered `200` and streamed `first`. */
  const answering = async () => {
    const sink = new RestStream(limits);
    sink.start(HTTP_INTEGRATION_CONTENT_TYPE);
    sink.chunk(metadata({ statusCode: 200 }));
    sink.chunk(Buffer.from('first'));
    const answer = await sink.answer;
    assert.equal(answer.statusCode, 200);
    return { sink, body: answer.stream as NonNullable<typeof answer.stream> };
  };

  it("takes the idle and whole limits from the endpoint type: 30 s at the edge, 5 minutes else, 15 minutes' stream", () => {
    assert.deepEqual(restStreamLimits(clock, 29_000, 'EDGE'), {
      clock,
      headMs: 29_000,
      totalMs: 900_000,
      idleMs: 30_000,
    });
    assert.equal(restStreamLimits(clock, 29_000, 'REGIONAL').idleMs, 300_000);
    assert.equal(restStreamLimits(clock, 29_000, 'PRIVATE').idleMs, 300_000);
  });

  it('closes the answer, incomplete, when the function writes nothing for the idle timeout', async () => {
    const { sink, body } = await answering();
    clock.advance(9_999);
    sink.chunk(Buffer.from('second'));
    clock.advance(9_999);
    assert.equal(body.destroyed, false);
    clock.advance(1);
    await assert.rejects(finished(body), /idle too long/);
    sink.chunk(Buffer.from('late'));
    sink.end();
  });

  it('closes the answer, incomplete, past the whole limit however busy the stream is', async () => {
    const { sink, body } = await answering();
    for (let t = 0; t < 55_000; t += 5_000) {
      clock.advance(5_000);
      sink.chunk(Buffer.from('.'));
    }
    clock.advance(4_999);
    assert.equal(body.destroyed, false);
    clock.advance(1);
    await assert.rejects(finished(body), /lasted too long/);
  });

  it('refuses metadata whose delimiter has not come within 16 KB (500)', async () => {
    const sink = new RestStream(limits);
    sink.start(HTTP_INTEGRATION_CONTENT_TYPE);
    sink.chunk(Buffer.from(`{"headers":{"x":"${'a'.repeat(16 * 1024)}"}}`));
    const answer = await sink.answer;
    assert.equal(answer.statusCode, 500);
    assert.equal(answer.stream, undefined);
  });

  it('answers 504 when no metadata has come within the integration timeout, and drops what comes later', async () => {
    let sink: RestStream | undefined;
    let settle!: (settled: Settled) => void;
    const answering = restStreamed(limits, (s) => {
      sink = s;
      return new Promise((resolve) => (settle = resolve));
    });
    clock.advance(29_000);
    const answer = await answering;
    assert.equal(answer.statusCode, 504);
    assert.equal(answer.body, '{"message": "Endpoint request timed out"}');
    sink?.chunk(metadata({ statusCode: 200 }));
    settle(STREAMED);
  });

  it('is not cut by the integration timeout once the metadata has come', async () => {
    let sink: RestStream | undefined;
    let settle!: (settled: Settled) => void;
    const answer = await restStreamed(limits, (s) => {
      sink = s;
      s.start(HTTP_INTEGRATION_CONTENT_TYPE);
      s.chunk(metadata({ statusCode: 202 }));
      return new Promise((resolve) => (settle = resolve));
    });
    assert.equal(answer.statusCode, 202);
    const body = answer.stream as NonNullable<typeof answer.stream>;
    body.resume();
    for (let t = 0; t < 40_000; t += 5_000) {
      clock.advance(5_000);
      sink?.chunk(Buffer.from('.'));
    }
    assert.equal(body.destroyed, false);
    settle(STREAMED);
    await finished(body);
  });
});
