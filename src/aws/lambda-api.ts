import { LambdaServiceError } from '../lambda/errors';
import type { InvocationType, Invoker } from '../lambda/types';
import { jsonError, type AwsRequest, type AwsResponse, type AwsService } from './endpoint';

const INVOCATIONS = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
const TYPES: InvocationType[] = ['RequestResponse', 'Event', 'DryRun'];

/**
 * Lambda's Invoke API (REST-JSON), as `@aws-sdk/client-lambda` and `aws lambda invoke` call it:
 * POST /2015-03-31/functions/{FunctionName}/invocations.
 */
export class LambdaApi implements AwsService {
  constructor(private readonly invoker: Invoker) {}

  handles(request: AwsRequest): boolean {
    return request.method === 'POST' && INVOCATIONS.test(request.path);
  }

  async handle(request: AwsRequest): Promise<AwsResponse> {
    const name = decodeURIComponent(INVOCATIONS.exec(request.path)?.[1] ?? '');
    const qualifier = request.query.get('Qualifier');
    const type = (request.headers['x-amz-invocation-type'] as string | undefined) ?? 'RequestResponse';
    if (!TYPES.includes(type as InvocationType)) {
      return jsonError(400, 'InvalidParameterValueException', `Invalid InvocationType: ${type}`);
    }
    const payload = request.body.length ? request.body.toString('utf8') : '{}';
    try {
      JSON.parse(payload);
    } catch (error) {
      return jsonError(
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: ${(error as Error).message}`,
      );
    }
    try {
      const outcome = await this.invoker.invoke(qualifier ? `${name}:${qualifier}` : name, {
        payload,
        type: type as InvocationType,
        source: 'Invoke API',
        clientContext: request.headers['x-amz-client-context'] as string | undefined,
        logTail: request.headers['x-amz-log-type'] === 'Tail',
      });
      const headers: Record<string, string> = {
        'x-amz-executed-version': '$LATEST',
        'x-amzn-requestid': outcome.requestId,
      };
      if (outcome.statusCode !== 200) return { status: outcome.statusCode, headers };
      if (outcome.functionError) headers['x-amz-function-error'] = outcome.functionError;
      if (outcome.logResult) headers['x-amz-log-result'] = outcome.logResult;
      return {
        status: 200,
        headers: { ...headers, 'content-type': 'application/json' },
        body: outcome.payload,
      };
    } catch (error) {
      if (error instanceof LambdaServiceError) return jsonError(error.statusCode, error.code, error.message);
      throw error;
    }
  }
}
