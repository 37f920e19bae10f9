import type { AlexaEvent } from '../../service/model';
import { isoSeconds } from '../../clock';
import { ALPHABETS, derive, type SampleContext } from './context';

/** @types/aws-lambda has no Alexa types: the envelope's fields as the Alexa Skills Kit documents them. */
export interface AlexaLaunchRequestEnvelope {
  version: '1.0';
  session: {
    new: boolean;
    sessionId: string;
    application: { applicationId: string };
    attributes: Record<string, unknown>;
    user: { userId: string };
  };
  context: {
    System: {
      application: { applicationId: string };
      user: { userId: string };
      device: { deviceId: string; supportedInterfaces: Record<string, unknown> };
      apiEndpoint: string;
      apiAccessToken: string;
    };
  };
  request: {
    type: 'LaunchRequest';
    requestId: string;
    timestamp: string;
    locale: string;
    shouldLinkResultBeReturned: boolean;
  };
}

export interface AlexaDiscoveryDirective {
  directive: {
    header: { namespace: 'Alexa.Discovery'; name: 'Discover'; payloadVersion: '3'; messageId: string };
    payload: { scope: { type: 'BearerToken'; token: string } };
  };
}

/** The skill id of the event, else one of the right form (the deprecated bare `alexaSkill` has none). */
function skillId(spec: AlexaEvent, functionName: string): string {
  return spec.appId ?? `amzn1.ask.skill.${uuidFrom(`skill:${functionName}`)}`;
}

function uuidFrom(seed: string): string {
  const hex = derive(seed, 32, ALPHABETS.hex);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A custom skill's LaunchRequest ("Alexa, open <skill>"), in the request envelope the Alexa service
 * sends (https://developer.amazon.com/en-US/docs/alexa/custom-skills/request-and-response-json-reference.html,
 * https://developer.amazon.com/en-US/docs/alexa/custom-skills/request-types-reference.html#launchrequest):
 * a new session, the skill's id in both `session.application` and `context.System.application`, and a
 * timestamp to the second.
 */
export function alexaSkillEvent(
  spec: AlexaEvent,
  { fn, now, newId }: SampleContext,
): AlexaLaunchRequestEnvelope {
  const applicationId = skillId(spec, fn.name);
  const userId = `amzn1.ask.account.${derive(newId(), 207, ALPHABETS.upper)}`;
  return {
    version: '1.0',
    session: {
      new: true,
      sessionId: `amzn1.echo-api.session.${newId()}`,
      application: { applicationId },
      attributes: {},
      user: { userId },
    },
    context: {
      System: {
        application: { applicationId },
        user: { userId },
        device: {
          deviceId: `amzn1.ask.device.${derive(newId(), 207, ALPHABETS.upper)}`,
          supportedInterfaces: {},
        },
        apiEndpoint: 'https://api.amazonalexa.com',
        apiAccessToken: derive(newId(), 64, ALPHABETS.mixed),
      },
    },
    request: {
      type: 'LaunchRequest',
      requestId: `amzn1.echo-api.request.${newId()}`,
      timestamp: isoSeconds(now),
      locale: 'en-US',
      shouldLinkResultBeReturned: false,
    },
  };
}

/**
 * A smart home skill's discovery directive, what Alexa sends first when the user links the skill
 * (https://developer.amazon.com/en-US/docs/alexa/device-apis/alexa-discovery.html): payload version 3
 * with the user's access token from account linking.
 */
export function alexaSmartHomeEvent(_spec: AlexaEvent, { newId }: SampleContext): AlexaDiscoveryDirective {
  return {
    directive: {
      header: { namespace: 'Alexa.Discovery', name: 'Discover', payloadVersion: '3', messageId: newId() },
      payload: { scope: { type: 'BearerToken', token: `Atza|${derive(newId(), 96, ALPHABETS.mixed)}` } },
    },
  };
}
