import { buildArn } from '../../service/arn';
import type { IoTPreProvisioningHookEvent } from 'aws-lambda';
import type { IotEvent, NamedSourceEvent } from '../../service/model';
import { ALPHABETS, derive, deriveBytes, isObject, type SampleContext } from './context';

/** The topic filter of a rule's `FROM` clause (`SELECT * FROM 'sensors/+/temp' WHERE ...`). */
export function topicOfSql(sql: string): string | undefined {
  return /\bFROM\s+(['"])(.*?)\1/i.exec(sql)?.[2];
}

/**
 * What an IoT topic rule sends its Lambda action: the result of the rule's SQL over the message
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-iot.html). The SQL is not run here: the
 * event is `overrides` when given, else a small message on a topic the `FROM` filter accepts (`+` and
 * `#` filled in).
 */
export function iotEvent(spec: IotEvent, { overrides }: SampleContext): unknown {
  if (overrides !== undefined) return overrides;
  const filter = topicOfSql(spec.sql) ?? 'sample/topic';
  const topic = filter
    .split('/')
    .map((level) => (level === '+' || level === '#' ? 'sample' : level))
    .join('/');
  return { topic, value: 42 };
}

/**
 * The input of a fleet provisioning template's pre-provisioning hook
 * (https://docs.aws.amazon.com/iot/latest/developerguide/pre-provisioning-hook.html): the claim and
 * new certificates (64 hex digits each), the template's ARN, the MQTT client id and the parameters of
 * the device's RegisterThing request (`overrides`, an object of strings, when given).
 */
export function iotPreProvisioningHookEvent(
  spec: NamedSourceEvent,
  { service, fn, newId, overrides }: SampleContext,
): IoTPreProvisioningHookEvent {
  const certificateId = derive(newId(), 64, ALPHABETS.hex);
  const parameters = isObject(overrides)
    ? Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, String(v)]))
    : { SerialNumber: derive(newId(), 12, ALPHABETS.upper) };
  return {
    claimCertificateId: derive(`claim:${fn.name}`, 64, ALPHABETS.hex),
    certificateId,
    certificatePem: pem(certificateId),
    templateArn: buildArn(
      'iot',
      service.region,
      service.accountId,
      `provisioningtemplate/${templateName(spec, service.service, service.stage, fn.key)}`,
    ),
    clientId: newId(),
    parameters,
  };
}

/**
 * The event's `templateName`; without one CloudFormation names the template after its logical id
 * (`<Function>IotProvisioningTemplate`, lib/plugins/aws/lib/naming.js), here without its random suffix.
 */
function templateName(spec: NamedSourceEvent, service: string, stage: string, functionKey: string): string {
  if (/^[0-9A-Za-z_-]+$/.test(spec.source)) return spec.source;
  const normalized = functionKey.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  const logicalId = `${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}IotProvisioningTemplate`;
  return `${service}-${stage}-${logicalId}`.replace(/[^0-9A-Za-z_-]/g, '');
}

/** A PEM-armoured blob of the length of a certificate: it parses as PEM, not as X.509. */
function pem(seed: string): string {
  const body = deriveBytes(seed, 870).toString('base64');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
