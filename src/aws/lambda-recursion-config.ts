import { RECURSIVE_LOOP_SETTINGS as SETTINGS, type RecursiveLoop } from '../service/recursive-loop';
import type { AwsRequest, AwsResponse, AwsService } from './endpoint';
import { jsonError } from './json-protocol';
import { serviceError } from './lambda-api';

const RECURSION_CONFIG = /^\/2024-08-31\/functions\/([^/]+)\/recursion-config\/?$/;

/** Where a function's RecursiveLoop is read and set (the Lambda service). */
export interface RecursionSettings {
  recursiveLoop(functionName: string, set?: RecursiveLoop): RecursiveLoop;
}

const answer = (recursiveLoop: RecursiveLoop): AwsResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ RecursiveLoop: recursiveLoop }),
});

/**
 * GetFunctionRecursionConfig and PutFunctionRecursionConfig (`GET`/`PUT
 * /2024-08-31/functions/{FunctionName}/recursion-config`): a function's recursive loop detection, set
 * until the emulator stops (serverless.yml's setting is read again at the next start).
 */
export class LambdaRecursionConfigApi implements AwsService {
  constructor(private readonly settings: RecursionSettings) {}

  handles(request: AwsRequest): boolean {
    return (request.method === 'GET' || request.method === 'PUT') && RECURSION_CONFIG.test(request.path);
  }

  async handle(request: AwsRequest): Promise<AwsResponse> {
    const name = decodeURIComponent(RECURSION_CONFIG.exec(request.path)?.[1] ?? '');
    try {
      if (request.method === 'GET') return answer(this.settings.recursiveLoop(name));
      const value = recursiveLoopOf(request.body);
      if (value === undefined) {
        return jsonError(
          400,
          'InvalidParameterValueException',
          `RecursiveLoop must be one of ${SETTINGS.join(', ')}`,
        );
      }
      return answer(this.settings.recursiveLoop(name, value));
    } catch (error) {
      return serviceError(error);
    }
  }
}

function recursiveLoopOf(body: Buffer): RecursiveLoop | undefined {
  try {
    const value = (JSON.parse(body.toString('utf8')) as { RecursiveLoop?: unknown }).RecursiveLoop;
    return SETTINGS.find((setting) => setting === value);
  } catch {
    return undefined;
  }
}
