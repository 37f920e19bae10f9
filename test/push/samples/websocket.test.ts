import { strict as assert } from 'node:assert';
import { sourceInvocation } from '../../../src/classify/origin';
import { bodyFor, websocketEvent } from '../../../src/push/samples/websocket';
import type { WebsocketProxyEvent } from '../../../src/push/websocket/events';
import { service, sourceOf } from './helpers';

describe('push/samples websocket', () => {
  it('sends a custom route a MESSAGE whose body selects it', () => {
    const { spec, context, sample } = sourceOf('websocket', service([{ websocket: 'sendMessage' }]));
    const event: WebsocketProxyEvent = websocketEvent(spec, context());
    assert.equal(event.requestContext.eventType, 'MESSAGE');
    assert.equal(event.requestContext.routeKey, 'sendMessage');
    assert.equal(event.requestContext.stage, 'dev');
    assert.deepEqual(JSON.parse(event.body ?? ''), { action: 'sendMessage' });
    assert.deepEqual(sample(), event);
    assert.deepEqual(JSON.parse((sample({ text: 'hi' }) as WebsocketProxyEvent).body ?? ''), {
      text: 'hi',
      action: 'sendMessage',
    });
  });

  it('sends $connect a CONNECT and $disconnect a DISCONNECT', () => {
    const connect = sourceOf(
      'websocket',
      service([{ websocket: '$connect' }]),
    ).sample() as WebsocketProxyEvent;
    assert.equal(connect.requestContext.eventType, 'CONNECT');
    assert.equal(connect.headers?.['Sec-WebSocket-Version'], '13');
    const disconnect = sourceOf(
      'websocket',
      service([{ websocket: '$disconnect' }]),
    ).sample() as WebsocketProxyEvent;
    assert.equal(disconnect.requestContext.eventType, 'DISCONNECT');
  });

  it('follows the route selection expression', () => {
    const { spec } = sourceOf(
      'websocket',
      service([{ websocket: 'ping' }], {
        provider: { websocketsApiRouteSelectionExpression: '$request.body.op.name' },
      }),
    );
    assert.equal(bodyFor(spec, undefined), '{"op":{"name":"ping"}}');
  });

  it('is invoked synchronously', () => {
    assert.equal(
      sourceInvocation(sourceOf('websocket', service([{ websocket: '$default' }])).spec).type,
      'RequestResponse',
    );
  });
});
