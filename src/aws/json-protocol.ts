import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { AwsError } from './aws-error';
import type { AwsRequest, AwsResponse } from './endpoint';

export type JsonVersion = '1.0' | '1.1';

/** A request's JSON body, as most operations take it. */
export type JsonInput = Record<string, unknown>;

/** An answer an operation rendered itself (DynamoDB's, forwarded from dynalite), sent as it is. */
export class Rendered {
  constructor(readonly response: AwsResponse) {}
}

/**
 * One AWS JSON API (`X-Amz-Target: <target><Operation>`, answered in AWS JSON 1.0 or 1.1): how its
 * bodies are read and its outputs written, and its operations by name.
 */
export interface JsonApi<Input = JsonInput> {
  target: string;
  version: JsonVersion;
  /** Each operation gets its input, and the request for what its headers say. */
  operations: Readonly<Record<string, (input: Input, request: AwsRequest) => unknown>>;
  /** The operation's input from the request; throws the API's error for a body it cannot read. */
  readInput(request: AwsRequest, operation: string): Input;
  /** The output as the wire carries it; `JSON.stringify` by default. */
  writeOutput?: (output: unknown) => string;
  /** Runs an operation the table does not name; by default the API answers UnknownOperationException. */
  otherOperation?: (input: Input) => unknown;
}

/** Whether the request calls an AWS JSON API whose `X-Amz-Target` starts with `target`. */
export function targets(request: AwsRequest, target: string): boolean {
  const header = request.headers['x-amz-target'];
  return request.method === 'POST' && typeof header === 'string' && header.startsWith(target);
}

/**
 * Finds the operation the request names, reads its input, runs it and answers its output or its
 * AwsError; anything else thrown is left to the endpoint.
 */
export async function serveJson<Input>(api: JsonApi<Input>, request: AwsRequest): Promise<AwsResponse> {
  const name = String(request.headers['x-amz-target']).slice(api.target.length);
  const operation = api.operations[name] ?? api.otherOperation;
  if (!operation)
    return jsonError(400, 'UnknownOperationException', `Unknown operation ${api.target}${name}`);
  // Decoding would replace bad bytes with U+FFFD and store them: AWS refuses the request instead.
  if (!isUtf8(request.body)) {
    return jsonError(400, 'SerializationException', 'The request body is not valid UTF-8');
  }
  try {
    const output = await operation(api.readInput(request, name), request);
    if (output instanceof Rendered) return output.response;
    return jsonSuccess(api.version, (api.writeOutput ?? JSON.stringify)(output));
  } catch (error) {
    if (error instanceof AwsError) return awsJsonError(error);
    throw error;
  }
}

/** A body that must be a JSON object, else `undefined`. */
export function jsonObject(body: Buffer): JsonInput | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as JsonInput)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A successful AWS JSON answer. */
export function jsonSuccess(version: JsonVersion, body: string): AwsResponse {
  return {
    status: 200,
    headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-requestid': randomUUID() },
    body,
  };
}

/** An AwsError as AWS's JSON protocols answer it; its fields, if any, join code and message. */
export function awsJsonError(error: AwsError): AwsResponse {
  const response = jsonError(error.statusCode, error.code, error.message);
  if (!Object.keys(error.fields).length) return response;
  return {
    ...response,
    body: JSON.stringify({ __type: error.code, message: error.message, ...error.fields }),
  };
}

/** An error as AWS's JSON protocols answer it: the code in x-amzn-ErrorType and in the body. */
export function jsonError(status: number, code: string, message: string): AwsResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
    body: JSON.stringify({ __type: code, Type: 'User', message }),
  };
}
