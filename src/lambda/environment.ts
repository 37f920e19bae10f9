import type { FunctionModel, ServiceModel } from '../service/model';
import { placeholderCredentials } from './credentials';

/**
 * Variables of the host that a function may see: what a process needs to run. Never the developer's AWS
 * credentials, profile or config: a function gets placeholder credentials.
 */
const PASSED_THROUGH = ['PATH', 'HOME', 'LANG'];

/**
 * A function's environment as Lambda builds it: the host's basics, `AWS_ENDPOINT_URL` pointing at the
 * emulator, the provider's and function's `environment`, then Lambda's reserved variables and the
 * function's placeholder credentials, which the configuration cannot override. Nothing else of the
 * emulator's own environment leaks in.
 */
export function functionEnvironment(
  service: ServiceModel,
  fn: FunctionModel,
  host: NodeJS.ProcessEnv,
  awsEndpoint: string,
  /** When the emulator started: the day names the log stream (each instance gets its own, function-pool.ts). */
  startedAt: Date,
): Record<string, string> {
  const passed = Object.fromEntries(
    PASSED_THROUGH.filter((name) => host[name] !== undefined).map((name) => [name, host[name] as string]),
  );
  const logGroup = `/aws/lambda/${fn.name}`;
  return {
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    ...passed,
    AWS_ENDPOINT_URL: awsEndpoint,
    ...fn.environment,
    ...placeholderCredentials(fn.name),
    AWS_REGION: service.region,
    AWS_DEFAULT_REGION: service.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroup,
    AWS_LAMBDA_LOG_STREAM_NAME: `${startedAt.toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]emulate`,
    LAMBDA_TASK_ROOT: service.serviceDir,
    LAMBDA_RUNTIME_DIR: service.serviceDir,
    _HANDLER: fn.handler ?? '',
  };
}
