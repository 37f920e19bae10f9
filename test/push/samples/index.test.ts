import { strict as assert } from 'node:assert';
import { classOf, sourcesOf } from '../../../src/classify/classify';
import { sourceInvocation } from '../../../src/classify/origin';
import { sampleEvent } from '../../../src/push/samples';
import type { EventSpec } from '../../../src/service/model';
import { modelOf } from '../../helpers/service';
import { ids, NOW } from './helpers';

/** One function with an event of every kind the framework defines, its URL, and an unknown key. */
const model = modelOf({
  functions: {
    api: { handler: 'h.main', events: [{ http: { path: 'a', method: 'get', authorizer: 'auth' } }] },
    auth: { handler: 'h.auth' },
    all: {
      handler: 'h.main',
      url: true,
      events: [
        { http: 'GET a' },
        { httpApi: 'GET /b' },
        { websocket: '$default' },
        {
          alb: {
            listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:0:listener/app/l/1/2',
            priority: 1,
            conditions: { path: '/c' },
          },
        },
        { s3: 'bucket-one' },
        { sns: 'topic-one' },
        { sqs: 'arn:aws:sqs:us-east-1:000000000000:q' },
        { stream: 'arn:aws:kinesis:us-east-1:000000000000:stream/s' },
        { stream: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024-01-01T00:00:00.000' },
        { msk: { arn: 'arn:aws:kafka:us-east-1:0:cluster/c/1', topic: 't' } },
        { activemq: { arn: 'arn:aws:mq:us-east-1:0:broker:b:b-1', queue: 'q', basicAuthArn: 'arn:s' } },
        { schedule: 'rate(1 hour)' },
        { eventBridge: { pattern: { source: ['x'] } } },
        { cloudwatchEvent: { event: { source: ['y'] } } },
        { cloudwatchLog: '/aws/lambda/x' },
        { iot: { sql: "SELECT * FROM 'a'" } },
        { iotFleetProvisioning: { templateBody: {}, provisioningRoleArn: 'arn:aws:iam::0:role/r' } },
        { cognitoUserPool: { pool: 'p', trigger: 'PreSignUp' } },
        { cognitoUserPool: { pool: 'p', trigger: 'CustomEmailSender' } },
        { alexaSkill: 'amzn1.ask.skill.1' },
        { alexaSmartHome: 'amzn1.ask.skill.2' },
        { cloudFront: { eventType: 'viewer-request', origin: 'https://example.org' } },
        { somePluginEvent: { x: 1 } },
      ],
    },
  },
});
const all = model.functions.find((f) => f.key === 'all');
const auth = model.functions.find((f) => f.key === 'auth');
if (!all || !auth) throw new Error('missing function');
const context = (fn = all, overrides?: unknown) => ({
  service: model,
  fn,
  now: NOW,
  newId: ids(),
  overrides,
});

const label = (spec: EventSpec) =>
  spec.type === 'cognitoUserPool'
    ? `cognitoUserPool ${spec.trigger}`
    : spec.type === 'stream'
      ? `stream ${spec.streamType}`
      : spec.type;

describe('push/samples sampleEvent', () => {
  it('makes an event for every source of a function, the same from the same ids and time', () => {
    for (const spec of sourcesOf(all)) {
      const event = sampleEvent(spec, context());
      assert.notEqual(event, undefined, label(spec));
      assert.deepEqual(sampleEvent(spec, context()), event, label(spec));
      assert.doesNotThrow(() => JSON.stringify(event), label(spec));
    }
  });

  it('gives the unknown and the authorizer an empty object, or the overrides', () => {
    const unknown = all.events.find((e) => e.type === 'unknown');
    const [authorizer] = auth.authorizes;
    assert.ok(unknown && authorizer);
    assert.deepEqual(sampleEvent(unknown, context()), {});
    assert.deepEqual(sampleEvent(authorizer, context(auth)), {});
    assert.deepEqual(sampleEvent(unknown, context(all, { a: 1 })), { a: 1 });
  });

  it('invokes with the invocation type the classification table gives each source', () => {
    const types = Object.fromEntries(
      sourcesOf(all).map((spec) => [label(spec), sourceInvocation(spec).type]),
    );
    assert.deepEqual(types, {
      http: 'RequestResponse',
      httpApi: 'RequestResponse',
      websocket: 'RequestResponse',
      alb: 'RequestResponse',
      s3: 'Event',
      sns: 'Event',
      sqs: 'RequestResponse',
      'stream kinesis': 'RequestResponse',
      'stream dynamodb': 'RequestResponse',
      msk: 'RequestResponse',
      activemq: 'RequestResponse',
      schedule: 'Event',
      eventBridge: 'Event',
      cloudwatchEvent: 'Event',
      cloudwatchLog: 'Event',
      iot: 'Event',
      iotFleetProvisioning: 'RequestResponse',
      'cognitoUserPool PreSignUp': 'RequestResponse',
      'cognitoUserPool CustomEmailSender': 'Event',
      alexaSkill: 'RequestResponse',
      alexaSmartHome: 'RequestResponse',
      cloudFront: 'RequestResponse',
      unknown: 'RequestResponse',
      url: 'RequestResponse',
    });
    for (const spec of sourcesOf(all)) {
      assert.equal(
        sourceInvocation(spec).type === 'Event',
        classOf(spec).invocation === 'async',
        label(spec),
      );
    }
    assert.equal(sourceInvocation(auth.authorizes[0]).type, 'RequestResponse');
  });
});
