import type { PathParameters } from './path-table';
import { decodeComponent, headerOf, headersAsSent, lastValues, mediaTypeOf, parseQuery } from './request';
import type { IncomingRequest } from './types';

/**
 * The event of an `http` event with `integration: lambda` (non-proxy): what the framework's default
 * request templates render (serverless 3.40.0, lib/plugins/aws/package/compile/events/api-gateway/lib/
 * method/integration.js `DEFAULT_COMMON_TEMPLATE`). Templates exist for application/json (also assumed
 * when there is no Content-Type) and application/x-www-form-urlencoded; the framework sets passthrough
 * `NEVER`, so any other media type is refused with 415 (gateway response UNSUPPORTED_MEDIA_TYPE,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html).
 * There is no @types type for this event.
 */

export interface LambdaIntegrationEvent {
  body: unknown;
  method: string;
  principalId: string;
  stage: string;
  cognitoPoolClaims: { sub: string };
  enhancedAuthContext: Record<string, string>;
  headers: Record<string, string>;
  query: Record<string, string>;
  path: Record<string, string>;
  identity: Record<string, string>;
  stageVariables: Record<string, string>;
  requestPath: string;
}

export interface LambdaEventInput {
  request: IncomingRequest;
  stage: string;
  resourcePath: string;
  pathParameters: PathParameters | null;
}

export type LambdaEventResult =
  { ok: true; event: LambdaIntegrationEvent } | { ok: false; statusCode: 400 | 415; message: string };

/** The form template: `a=1&b=x%20y` into `{ a: '1', b: 'x y' }` (a later key wins, as in the JSON). */
function formBody(text: string): Record<string, string> {
  const body: Record<string, string> = {};
  if (text === '') return body;
  for (const token of text.split('&')) {
    const [key, value] = token.split('=');
    body[decodeComponent(key.replaceAll('+', ' '))] =
      value === undefined ? '' : decodeComponent(value.replaceAll('+', ' '));
  }
  return body;
}

function bodyOf(
  request: IncomingRequest,
): { ok: true; body: unknown } | { ok: false; result: LambdaEventResult } {
  const mediaType = mediaTypeOf(headerOf(request.rawHeaders, 'content-type')) || 'application/json';
  const text = request.body.toString('utf8');
  if (mediaType === 'application/x-www-form-urlencoded') return { ok: true, body: formBody(text) };
  if (mediaType !== 'application/json') {
    return { ok: false, result: { ok: false, statusCode: 415, message: 'Unsupported Media Type' } };
  }
  if (text.trim() === '') return { ok: true, body: {} };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      result: { ok: false, statusCode: 400, message: `Could not parse request body into json: ${reason}` },
    };
  }
}

export function lambdaIntegrationEvent(input: LambdaEventInput): LambdaEventResult {
  const { request } = input;
  const body = bodyOf(request);
  if (!body.ok) return body.result;
  const userAgent = headerOf(request.rawHeaders, 'user-agent');
  return {
    ok: true,
    event: {
      body: body.body,
      method: request.method,
      principalId: '',
      stage: input.stage,
      cognitoPoolClaims: { sub: '' },
      enhancedAuthContext: {},
      headers: lastValues(headersAsSent(request.rawHeaders)),
      query: lastValues(parseQuery(request.rawQuery)),
      path: { ...input.pathParameters },
      // $context.identity: the template renders each null as "".
      identity: {
        cognitoIdentityPoolId: '',
        accountId: '',
        cognitoIdentityId: '',
        caller: '',
        sourceIp: request.sourceIp,
        principalOrgId: '',
        accessKey: '',
        cognitoAuthenticationType: '',
        cognitoAuthenticationProvider: '',
        userArn: '',
        userAgent: typeof userAgent === 'string' ? userAgent : '',
        user: '',
      },
      stageVariables: {},
      requestPath: input.resourcePath,
    },
  };
}
