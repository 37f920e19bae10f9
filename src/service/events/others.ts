import type { AlexaEvent, CognitoEvent, NamedSourceEvent } from '../model';
import type { EventParser } from './context';

export const COGNITO_TRIGGERS = [
  'PreSignUp',
  'PostConfirmation',
  'PreAuthentication',
  'PostAuthentication',
  'PreTokenGeneration',
  'CustomMessage',
  'DefineAuthChallenge',
  'CreateAuthChallenge',
  'VerifyAuthChallengeResponse',
  'UserMigration',
  'CustomSMSSender',
  'CustomEmailSender',
] as const;

export const parseCognitoUserPool: EventParser<CognitoEvent> = (r, { index }) => ({
  type: 'cognitoUserPool',
  index,
  pool: r.requiredString('pool', 'the user pool name'),
  trigger:
    r.oneOf('trigger', COGNITO_TRIGGERS) ?? r.fail('trigger', `is required (${COGNITO_TRIGGERS.join(', ')})`),
  existing: r.boolean('existing', false),
});

/** alexaSkill and alexaSmartHome: the skill id, as a string or `appId`. */
export function alexaParser(type: 'alexaSkill' | 'alexaSmartHome'): EventParser<AlexaEvent> {
  return (r, { index }) => ({
    type,
    index,
    appId: typeof r.value === 'string' ? r.value : r.string('appId'),
    enabled: r.boolean('enabled', true),
  });
}

export const parseIotFleetProvisioning: EventParser<NamedSourceEvent> = (r, { index }) => {
  if (!r.has('templateBody')) r.fail('templateBody', 'is required (the provisioning template)');
  return {
    type: 'iotFleetProvisioning',
    index,
    source: r.string('templateName') ?? 'provisioning template',
    enabled: r.boolean('enabled', true),
  };
};

const CLOUDFRONT_EVENT_TYPES = [
  'viewer-request',
  'origin-request',
  'origin-response',
  'viewer-response',
] as const;

export const parseCloudFront: EventParser<NamedSourceEvent> = (r, { index }) => {
  const eventType =
    r.oneOf('eventType', CLOUDFRONT_EVENT_TYPES) ??
    r.fail('eventType', `is required (${CLOUDFRONT_EVENT_TYPES.join(', ')})`);
  return {
    type: 'cloudFront',
    index,
    source: `${eventType} ${r.string('pathPattern') ?? '*'}`,
    enabled: true,
  };
};
