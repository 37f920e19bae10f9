import { randomUUID } from 'node:crypto';
import { sourcesOf } from '../classify/classify';
import { originText, sourceInvocation } from '../classify/origin';
import { ConfigError } from '../errors';
import { sampleEvent } from '../push/samples';
import type { ServiceModel } from '../service/model';

export interface SendEventOptions {
  function: string;
  /** Which of the function's sources (its events, then its URL and authorizer routes), from 0. */
  event: number;
  /** JSON that replaces the sample's message, detail, body or key (see the README). */
  data?: unknown;
  awsEndpoint: string;
  /** The sample event's time. */
  now: Date;
}

/**
 * `sls emulate-event`: invokes a function of a running `sls emulate` with a realistic sample event of
 * one of its sources, the way that source invokes (async for S3, SNS, schedules, IoT, ...).
 */
export async function sendSampleEvent(model: ServiceModel, options: SendEventOptions) {
  const fn = model.functions.find((f) => f.key === options.function);
  if (!fn) {
    throw new ConfigError(
      `Function "${options.function}" doesn't exist in this service (functions: ${model.functions.map((f) => f.key).join(', ')})`,
      'EMULATE_FUNCTION_NOT_FOUND',
    );
  }
  const sources = sourcesOf(fn);
  const spec = sources[options.event];
  if (!spec) {
    throw new ConfigError(
      `Function "${fn.key}" has ${sources.length} source(s): --event must be from 0 to ${sources.length - 1}`,
      'EMULATE_INVALID_OPTION',
    );
  }
  const payload = sampleEvent(spec, {
    service: model,
    fn,
    now: options.now,
    newId: randomUUID,
    overrides: options.data,
  });
  const { origin, type } = sourceInvocation(spec, spec.type === 'unknown' ? spec.key : undefined);
  const url = `${options.awsEndpoint}/2015-03-31/functions/${encodeURIComponent(fn.name)}/invocations`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'x-amz-invocation-type': type },
      body: JSON.stringify(payload),
    });
  } catch {
    throw new ConfigError(
      `No sls emulate answers at ${options.awsEndpoint}: start it first, or give its --aws-port`,
      'EMULATE_NOT_RUNNING',
    );
  }
  return {
    source: originText(origin),
    type,
    status: response.status,
    functionError: response.headers.get('x-amz-function-error') ?? undefined,
    body: await response.text(),
  };
}
