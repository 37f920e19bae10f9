import type { EventSpec } from '../../service/model';
import { alexaSkillEvent, alexaSmartHomeEvent } from './alexa';
import { kafkaEvent, mqEvent } from './brokers';
import { cloudFrontEvent } from './cloudfront';
import { cloudwatchLogEvent } from './cloudwatch-log';
import { cognitoEvent } from './cognito';
import type { SampleContext } from './context';
import { albSampleEvent, httpApiEvent, httpEvent, urlEvent } from './http';
import { iotEvent, iotPreProvisioningHookEvent } from './iot';
import { snsEvent, sqsEvent } from './messaging';
import { ruleEvent, scheduleEvent } from './rules';
import { s3Event } from './s3';
import { dynamodbEvent, kinesisEvent } from './streams';
import { websocketEvent } from './websocket';

export type { SampleContext } from './context';

/**
 * The event AWS would deliver to `context.fn` for one of its event sources, built from the service's
 * configuration so it can be used to invoke the function locally (pure: time and ids come from the
 * context). Each source family has its module; what `overrides` stands for depends on the source:
 *
 * - iot: the message (the rule's SQL result); cloudwatchLog: the log message(s);
 * - eventBridge, cloudwatchEvent, schedule: the event's `detail` (before the input transformation);
 * - sns: the message; sqs: the body; kinesis, kafka, MQ: the record's data; dynamodb: the new item;
 * - s3: the object key (a string); http, httpApi, alb, url, websocket: the request body;
 * - cognitoUserPool: user attributes to add; iotFleetProvisioning: the device's parameters;
 * - alexaSkill, alexaSmartHome, cloudFront: not used;
 * - unknown, authorizer: there is no event to make; `overrides` is the event when given, else `{}`.
 */
export function sampleEvent(spec: EventSpec, context: SampleContext): unknown {
  switch (spec.type) {
    case 'iot':
      return iotEvent(spec, context);
    case 'iotFleetProvisioning':
      return iotPreProvisioningHookEvent(spec, context);
    case 'cloudwatchLog':
      return cloudwatchLogEvent(spec, context);
    case 'cognitoUserPool':
      return cognitoEvent(spec, context);
    case 'alexaSkill':
      return alexaSkillEvent(spec, context);
    case 'alexaSmartHome':
      return alexaSmartHomeEvent(spec, context);
    case 'cloudFront':
      return cloudFrontEvent(spec, context);
    case 'schedule':
      return scheduleEvent(spec, context);
    case 'eventBridge':
    case 'cloudwatchEvent':
      return ruleEvent(spec, context);
    case 's3':
      return s3Event(spec, context);
    case 'sns':
      return snsEvent(spec, context);
    case 'sqs':
      return sqsEvent(spec, context);
    case 'stream':
      return spec.streamType === 'dynamodb' ? dynamodbEvent(spec, context) : kinesisEvent(spec, context);
    case 'msk':
    case 'kafka':
      return kafkaEvent(spec, context);
    case 'activemq':
    case 'rabbitmq':
      return mqEvent(spec, context);
    case 'http':
      return httpEvent(spec, context);
    case 'httpApi':
      return httpApiEvent(spec, context);
    case 'alb':
      return albSampleEvent(spec, context);
    case 'websocket':
      return websocketEvent(spec, context);
    case 'url':
      return urlEvent(spec, context);
    case 'authorizer':
    case 'unknown':
      return context.overrides ?? {};
  }
  const unhandled: never = spec;
  return unhandled;
}
