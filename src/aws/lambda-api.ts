import { isUtf8 } from 'node:buffer';
import { directOrigin } from '../classify/origin';
import { LambdaServiceError } from '../lambda/errors';
import type { InvocationType, InvokeOutcome, InvokeRequest, Invoker } from '../lambda/types';
import { requestTraceHeader, type AwsRequest, type AwsResponse, type AwsService } from './endpoint';
import { jsonError } from './json-protocol';
import { EVENT_STREAM_CONTENT_TYPE, LambdaEventStream } from './lambda-event-stream';

const INVOCATIONS = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
const STREAMING_INVOCATIONS = /^\/2021-11-15\/functions\/([^/]+)\/response-streaming-invocations\/?$/;
const TYPES: InvocationType[] = ['RequestResponse', 'Event', 'DryRun'];
/** InvokeWithResponseStream is synchronous: RequestResponse or DryRun. */
const STREAMING_TYPES: InvocationType[] = ['RequestResponse', 'DryRun'];
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

/** An invocation as the request asks for it, or the answer that refuses the request. */
type Parsed = { name: string; request: InvokeRequest } | { refused: AwsResponse };

/** What the Lambda service refused, as its API answers it; anything else is thrown on. */
export const serviceError = (error: unknown): AwsResponse => {
  if (error instanceof LambdaServiceError) return jsonError(error.statusCode, error.code, error.message);
  throw error;
};

/**
 * Lambda's Invoke API (REST-JSON), as `@aws-sdk/client-lambda` and `aws lambda invoke` call it:
 * POST /2015-03-31/functions/{FunctionName}/invocations, and InvokeWithResponseStream,
 * POST /2021-11-15/functions/{FunctionName}/response-streaming-invocations.
 */
export class LambdaApi implements AwsService {
  constructor(private readonly invoker: Invoker) {}

  handles(request: AwsRequest): boolean {
    return (
      request.method === 'POST' &&
      (INVOCATIONS.test(request.path) || STREAMING_INVOCATIONS.test(request.path))
    );
  }

  async handle(request: AwsRequest): Promise<AwsResponse> {
    const streaming = STREAMING_INVOCATIONS.exec(request.path);
    const parsed = this.parse(
      request,
      streaming?.[1] ?? INVOCATIONS.exec(request.path)?.[1] ?? '',
      streaming ? STREAMING_TYPES : TYPES,
    );
    if ('refused' in parsed) return parsed.refused;
    try {
      return streaming
        ? await this.stream(parsed.name, parsed.request)
        : await this.invoke(parsed.name, parsed.request);
    } catch (error) {
      return serviceError(error);
    }
  }

  private parse(request: AwsRequest, encodedName: string, types: InvocationType[]): Parsed {
    const functionName = decodeURIComponent(encodedName);
    const type = (request.headers['x-amz-invocation-type'] as string | undefined) ?? 'RequestResponse';
    if (!types.includes(type as InvocationType)) {
      return { refused: jsonError(400, 'InvalidParameterValueException', `Invalid InvocationType: ${type}`) };
    }
    if (!isUtf8(request.body)) {
      return {
        refused: jsonError(
          400,
          INVALID_CONTENT,
          'Could not parse request body into json: the body is not valid UTF-8',
        ),
      };
    }
    const payload = request.body.length ? request.body.toString('utf8') : '{}';
    try {
      JSON.parse(payload);
    } catch (error) {
      return {
        refused: jsonError(
          400,
          INVALID_CONTENT,
          `Could not parse request body into json: ${(error as Error).message}`,
        ),
      };
    }
    const clientContext = request.headers['x-amz-client-context'] as string | undefined;
    if (clientContext !== undefined && !isBase64JsonObject(clientContext)) {
      return {
        refused: jsonError(
          400,
          INVALID_CONTENT,
          'Client context must be a valid Base64-encoded JSON object.',
        ),
      };
    }
    try {
      return {
        name: qualifiedName(functionName, request.query.get('Qualifier')),
        request: {
          payload,
          type: type as InvocationType,
          origin: directOrigin('invoke'),
          clientContext,
          logTail: request.headers['x-amz-log-type'] === 'Tail',
          traceHeader: requestTraceHeader(request),
        },
      };
    } catch (error) {
      return { refused: serviceError(error) };
    }
  }

  private async invoke(name: string, request: InvokeRequest): Promise<AwsResponse> {
    const outcome = await this.invoker.invoke(name, request);
    const headers = answerHeaders(outcome.requestId);
    if (outcome.statusCode !== 200) return { status: outcome.statusCode, headers };
    if (outcome.functionError) headers['x-amz-function-error'] = outcome.functionError;
    if (outcome.logResult) headers['x-amz-log-result'] = outcome.logResult;
    return {
      status: 200,
      headers: { ...headers, 'content-type': 'application/json' },
      body: outcome.payload,
    };
  }

  /**
   * InvokeWithResponseStream: the answer's headers go once the function starts its stream (or, for a
   * handler that does not stream, once it returns), then each chunk as a PayloadChunk event as the
   * function writes it, then InvokeComplete. What Lambda itself refuses (unknown function, throttled)
   * is an error answer, as for Invoke; a function error is InvokeComplete's ErrorCode, in a 200.
   */
  private async stream(name: string, request: InvokeRequest): Promise<AwsResponse> {
    const events = new LambdaEventStream();
    const invocation = this.invoker.invoke(name, { ...request, stream: events });
    const over = invocation.then(
      () => false,
      () => false,
    );
    const started = await Promise.race([events.started, over]);
    let outcome: InvokeOutcome | undefined;
    if (!started) {
      // Over before streaming: Lambda refused it (thrown here), a DryRun, or a handler that did not stream.
      outcome = await invocation;
      if (outcome.statusCode !== 200)
        return { status: outcome.statusCode, headers: answerHeaders(outcome.requestId) };
      events.complete(outcome);
    } else {
      void invocation.then(
        (done) => events.complete(done),
        (error: unknown) =>
          events.end({ ErrorCode: 'ServiceException', ErrorDetails: (error as Error).message }),
      );
    }
    const headers: Record<string, string> = {
      'x-amz-executed-version': '$LATEST',
      'content-type': EVENT_STREAM_CONTENT_TYPE,
    };
    if (outcome) headers['x-amzn-requestid'] = outcome.requestId;
    return { status: 200, headers, stream: events.body };
  }
}

function answerHeaders(requestId: string): Record<string, string> {
  return { 'x-amz-executed-version': '$LATEST', 'x-amzn-requestid': requestId };
}
