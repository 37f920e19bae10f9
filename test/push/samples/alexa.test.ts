import { strict as assert } from 'node:assert';
import { sourceInvocation } from '../../../src/classify/origin';
import {
  alexaSkillEvent,
  alexaSmartHomeEvent,
  type AlexaDiscoveryDirective,
  type AlexaLaunchRequestEnvelope,
} from '../../../src/push/samples/alexa';
import { service, sourceOf } from './helpers';

const SKILL = 'amzn1.ask.skill.12345678-1234-1234-1234-123456789012';

describe('push/samples alexa', () => {
  it("sends a skill a LaunchRequest envelope naming the event's skill id", () => {
    const { spec, context, sample } = sourceOf('alexaSkill', service([{ alexaSkill: { appId: SKILL } }]));
    const event: AlexaLaunchRequestEnvelope = alexaSkillEvent(spec, context());
    assert.equal(event.version, '1.0');
    assert.equal(event.session.new, true);
    assert.equal(event.session.application.applicationId, SKILL);
    assert.equal(event.context.System.application.applicationId, SKILL);
    assert.equal(event.context.System.user.userId, event.session.user.userId);
    assert.match(event.session.sessionId, /^amzn1\.echo-api\.session\./);
    assert.equal(event.request.type, 'LaunchRequest');
    assert.match(event.request.requestId, /^amzn1\.echo-api\.request\./);
    assert.equal(event.request.timestamp, '2024-05-06T07:08:09Z');
    assert.equal(event.request.locale, 'en-US');
    assert.deepEqual(sample(), event);
  });

  it('gives a skill declared without an id one of the right form', () => {
    const { sample } = sourceOf('alexaSkill', service(['alexaSkill']));
    const event = sample() as AlexaLaunchRequestEnvelope;
    assert.match(event.session.application.applicationId, /^amzn1\.ask\.skill\.[0-9a-f-]{36}$/);
  });

  it('sends a smart home skill a discovery directive with a bearer token', () => {
    const { spec, context, sample } = sourceOf('alexaSmartHome', service([{ alexaSmartHome: SKILL }]));
    const event: AlexaDiscoveryDirective = alexaSmartHomeEvent(spec, context());
    assert.deepEqual(
      { ...event.directive.header, messageId: undefined },
      { namespace: 'Alexa.Discovery', name: 'Discover', payloadVersion: '3', messageId: undefined },
    );
    assert.match(event.directive.header.messageId, /^[0-9a-f-]{36}$/);
    assert.equal(event.directive.payload.scope.type, 'BearerToken');
    assert.match(event.directive.payload.scope.token, /^Atza\|/);
    assert.deepEqual(sample(), event);
  });

  it('is invoked synchronously: Alexa waits for the answer', () => {
    assert.equal(
      sourceInvocation(sourceOf('alexaSkill', service([{ alexaSkill: SKILL }])).spec).type,
      'RequestResponse',
    );
    assert.equal(
      sourceInvocation(sourceOf('alexaSmartHome', service([{ alexaSmartHome: SKILL }])).spec).type,
      'RequestResponse',
    );
  });
});
