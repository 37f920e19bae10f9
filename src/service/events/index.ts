import type { EventSpec } from '../model';
import { ConfigReader } from '../reader';
import { parseAlb, parseHttp, parseHttpApi, parseWebsocket } from './api';
import { brokerParser } from './brokers';
import type { EventContext, EventParser } from './context';
import { parseS3, parseSns, parseSqs, parseStream } from './messaging';
import { alexaParser, parseCloudFront, parseCognitoUserPool, parseIotFleetProvisioning } from './others';
import { parseCloudwatchEvent, parseCloudwatchLog, parseEventBridge, parseIot, parseSchedule } from './rules';

/** One parser per Serverless Framework v3 AWS event key. */
const PARSERS: Record<string, EventParser<EventSpec>> = {
  http: parseHttp,
  httpApi: parseHttpApi,
  websocket: parseWebsocket,
  alb: parseAlb,
  s3: parseS3,
  sns: parseSns,
  sqs: parseSqs,
  stream: parseStream,
  msk: brokerParser('msk'),
  kafka: brokerParser('kafka'),
  activemq: brokerParser('activemq'),
  rabbitmq: brokerParser('rabbitmq'),
  alexaSkill: alexaParser('alexaSkill'),
  alexaSmartHome: alexaParser('alexaSmartHome'),
  iot: parseIot,
  iotFleetProvisioning: parseIotFleetProvisioning,
  schedule: parseSchedule,
  cloudwatchEvent: parseCloudwatchEvent,
  cloudwatchLog: parseCloudwatchLog,
  cognitoUserPool: parseCognitoUserPool,
  eventBridge: parseEventBridge,
  cloudFront: parseCloudFront,
};

/** `event` is one entry of `functions.<key>.events`: a one-key object such as `{ sqs: ... }`. */
export function parseEvent(event: unknown, functionKey: string, context: EventContext): EventSpec {
  const path = `functions.${functionKey}.events.${context.index}`;
  const subject = `function "${functionKey}"`;
  // `- alexaSkill` (a bare key, as older examples write it) is the key with no settings.
  const item = typeof event === 'string' ? { [event]: null } : event;
  const entry = typeof item === 'object' && item !== null && !Array.isArray(item) ? Object.entries(item) : [];
  if (entry.length !== 1) {
    new ConfigReader(path, event, subject).fail(
      undefined,
      'must be an event key, or an object with one event key',
    );
  }
  const [key, value] = entry[0];
  const parse = Object.hasOwn(PARSERS, key) ? PARSERS[key] : undefined;
  if (!parse) return { type: 'unknown', index: context.index, key };
  return parse(new ConfigReader(`${path}.${key}`, value, subject), context);
}
