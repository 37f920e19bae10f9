import { existsSync } from 'node:fs';
import { ConfigError } from '../errors';
import { functionEnvironment } from '../lambda/environment';
import { localQueueBase } from '../aws/sqs/queues';
import { functionArn } from '../service/arn';
import type { FunctionConfig } from '../runtime/types';
import type { FunctionModel, ServiceModel } from '../service/model';

/**
 * A queue's `Ref` resolves to its AWS URL; the function sees the emulator's instead, which every SDK
 * sends to without a word (the v3 SQS client warns when a QueueUrl's host is not its endpoint).
 */
function localQueueUrls(environment: Record<string, string>, { region }: ServiceModel, awsEndpoint: string) {
  if (!awsEndpoint) return environment;
  const aws = `https://sqs.${region}.amazonaws.com/`;
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      value.split(aws).join(`${localQueueBase(awsEndpoint, region)}/`),
    ]),
  );
}

/** What a runtime needs to run a function of the model, with its full Lambda environment. */
export function functionConfig(
  service: ServiceModel,
  fn: FunctionModel,
  hostEnv: NodeJS.ProcessEnv,
  awsEndpoint: string,
  startedAt: Date,
): FunctionConfig {
  if (!fn.handler) {
    throw new ConfigError(
      `Function "${fn.key}" has no handler (a container image function?): sls emulate runs handler functions only`,
      'EMULATE_UNSUPPORTED_RUNTIME',
    );
  }
  return {
    key: fn.key,
    name: fn.name,
    handler: fn.handler,
    runtime: fn.runtime,
    timeout: fn.timeout,
    memorySize: fn.memorySize,
    serviceDir: service.serviceDir,
    arn: functionArn(service, fn),
    environment: localQueueUrls(
      functionEnvironment(service, fn, hostEnv, awsEndpoint, startedAt),
      service,
      awsEndpoint,
    ),
    awsEndpoint,
    layers: layerFolders(service, fn),
    recursiveLoop: fn.recursiveLoop,
  };
}

/** The folders of the function's layers that are this service's and have a `path` (the others are named at start). */
function layerFolders(service: ServiceModel, fn: FunctionModel): string[] {
  return fn.layers.flatMap((use) => {
    const layer = service.layers.find((l) => l.key === use.layer);
    if (!layer?.path) return [];
    if (!existsSync(layer.path)) {
      throw new ConfigError(
        `Function "${fn.key}": layer "${layer.key}" has path ${layer.path}, which does not exist (layers.${layer.key}.path)`,
        'EMULATE_LAYER_NOT_FOUND',
      );
    }
    return [layer.path];
  });
}
