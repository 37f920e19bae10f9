import { isUtf8 } from 'node:buffer';
import { directOrigin } from '../classify/origin';
import { LambdaServiceError } from '../lambda/errors';
import type { InvocationType, Invoker } from '../lambda/types';
import type { AwsRequest, AwsResponse, AwsService } from './endpoint';
import { jsonError } from './json-protocol';

const INVOCATIONS = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
const TYPES: InvocationType[] = ['RequestResponse', 'Event', 'DryRun'];
/** A FunctionName that carries a qualifier: `name:qualifier`, or a function ARN ending in `:qualifier`. */
const QUALIFIED = /^(arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+|[^:]+):([^:]+)$/;

/**
 * The function to invoke, from FunctionName and the Qualifier parameter. `$LATEST` is the unqualified
 * function. Other qualifiers name versions and aliases, which only the Lambda service could know: the
 * qualified name is passed on, and it answers ResourceNotFoundException for it as Lambda does.
 */
function qualifiedName(functionName: string, parameter: string | null): string {
  const [, name = functionName, derived] = QUALIFIED.exec(functionName) ?? [];
  const qualifier = derived ?? parameter ?? '$LATEST';
  if (derived && parameter && derived !== parameter) {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      400,
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  return qualifier === '$LATEST' ? name : `${name}:${qualifier}`;
}

const INVALID_CONTENT = 'InvalidRequestContentException';

function isBase64JsonObject(text: string): boolean {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) return false;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

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
    const functionName = decodeURIComponent(INVOCATIONS.exec(request.path)?.[1] ?? '');
    const type = (request.headers['x-amz-invocation-type'] as string | undefined) ?? 'RequestResponse';
    if (!TYPES.includes(type as InvocationType)) {
      return jsonError(400, 'InvalidParameterValueException', `Invalid InvocationType: ${type}`);
    }
    if (!isUtf8(request.body)) {
      return jsonError(
        400,
        INVALID_CONTENT,
        'Could not parse request body into json: the body is not valid UTF-8',
      );
    }
    const payload = request.body.length ? request.body.toString('utf8') : '{}';
    try {
      JSON.parse(payload);
    } catch (error) {
      return jsonError(
        400,
        INVALID_CONTENT,
        `Could not parse request body into json: ${(error as Error).message}`,
      );
    }
    const clientContext = request.headers['x-amz-client-context'] as string | undefined;
    if (clientContext !== undefined && !isBase64JsonObject(clientContext)) {
      return jsonError(400, INVALID_CONTENT, 'Client context must be a valid Base64-encoded JSON object.');
    }
    try {
      const name = qualifiedName(functionName, request.query.get('Qualifier'));
      const outcome = await this.invoker.invoke(name, {
        payload,
        type: type as InvocationType,
        origin: directOrigin('invoke'),
        clientContext,
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
