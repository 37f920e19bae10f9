import { strict as assert } from 'node:assert';
import { gunzipSync } from 'node:zlib';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent } from 'aws-lambda';
import { sourceInvocation } from '../../../src/classify/origin';
import { cloudwatchLogEvent, messageMatching } from '../../../src/push/samples/cloudwatch-log';
import { NOW, service, sourceOf } from './helpers';

function decode(event: CloudWatchLogsEvent): CloudWatchLogsDecodedData {
  return JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'));
}

describe('push/samples cloudwatchLog', () => {
  const config = service([{ cloudwatchLog: '/aws/lambda/svc-dev-worker' }]);

  it('sends awslogs.data: base64 of the gzipped JSON, which decodes to a DATA_MESSAGE', () => {
    const { spec, context, sample } = sourceOf('cloudwatchLog', config);
    const event: CloudWatchLogsEvent = cloudwatchLogEvent(spec, context());
    assert.deepEqual(Object.keys(event), ['awslogs']);
    assert.match(event.awslogs.data, /^H4sI[A-Za-z0-9+/]+=*$/);
    const data: CloudWatchLogsDecodedData = decode(event);
    assert.equal(data.messageType, 'DATA_MESSAGE');
    assert.equal(data.owner, '000000000000');
    assert.equal(data.logGroup, '/aws/lambda/svc-dev-worker');
    assert.match(data.logStream, /^2024\/05\/06\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.deepEqual(data.subscriptionFilters, ['svc-dev-FnLogsSubscriptionFilterCloudWatchLog1']);
    assert.equal(data.logEvents.length, 1);
    const [logEvent] = data.logEvents;
    assert.match(logEvent.id, /^\d{56}$/);
    assert.equal(logEvent.timestamp, NOW.getTime());
    assert.equal(typeof logEvent.message, 'string');
    assert.deepEqual(sample(), event);
  });

  it('carries the overrides as the log messages, one event each', () => {
    const { sample } = sourceOf('cloudwatchLog', config);
    const data = decode(sample(['first line', { level: 'ERROR' }]) as CloudWatchLogsEvent);
    assert.deepEqual(
      data.logEvents.map((e) => e.message),
      ['first line', '{"level":"ERROR"}'],
    );
    assert.notEqual(data.logEvents[0].id, data.logEvents[1].id);
    assert.deepEqual(
      decode(sample('only one') as CloudWatchLogsEvent).logEvents.map((e) => e.message),
      ['only one'],
    );
  });

  it('names the subscription filter after its position among the function cloudwatchLog events', () => {
    const { sample } = sourceOf(
      'cloudwatchLog',
      service([{ cloudwatchLog: '/a' }, { cloudwatchLog: { logGroup: '/custom/app', filter: 'ERROR' } }]),
      1,
    );
    const data = decode(sample() as CloudWatchLogsEvent);
    assert.deepEqual(data.subscriptionFilters, ['svc-dev-FnLogsSubscriptionFilterCloudWatchLog2']);
    assert.equal(data.logGroup, '/custom/app');
    assert.match(data.logStream, /^[0-9a-f]{32}$/);
    assert.match(data.logEvents[0].message, /^ERROR /);
  });

  it('makes a message the filter pattern accepts', () => {
    assert.equal(messageMatching(''), 'sample log message');
    assert.equal(messageMatching('ERROR'), 'ERROR sample log message');
    assert.equal(messageMatching('"Access denied" user'), 'Access denied user sample log message');
    assert.equal(messageMatching('?ERROR ?WARN'), 'ERROR sample log message');
    assert.equal(messageMatching('ERROR -DEBUG'), 'ERROR sample log message');
    assert.deepEqual(JSON.parse(messageMatching('{ $.level = "ERROR" && $.latency > 100 }')), {
      level: 'ERROR',
      latency: 101,
    });
    assert.deepEqual(JSON.parse(messageMatching('{ $.user.id = 7 || $.ok IS TRUE }')), {
      user: { id: 7 },
      ok: true,
    });
    assert.equal(messageMatching('[ip, user, status = 404, bytes > 1000]'), '- - 404 1001');
  });

  it('is invoked asynchronously, as CloudWatch Logs does', () => {
    const { spec } = sourceOf('cloudwatchLog', config);
    assert.equal(sourceInvocation(spec).type, 'Event');
  });
});
