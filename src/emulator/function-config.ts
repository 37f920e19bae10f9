import { ConfigError } from '../errors';
import { functionEnvironment } from '../lambda/environment';
import { functionArn } from '../service/arn';
import type { FunctionConfig } from '../runtime/types';
import type { FunctionModel, ServiceModel } from '../service/model';

/** What a runtime needs to run a function of the model, with its full Lambda environment. */
export function functionConfig(
  service: ServiceModel,
  fn: FunctionModel,
  hostEnv: NodeJS.ProcessEnv,
  awsEndpoint: string,
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
    environment: functionEnvironment(service, fn, hostEnv, awsEndpoint),
    awsEndpoint,
  };
}
