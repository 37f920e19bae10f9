import type { APIGatewayProxyEventV2, LambdaFunctionURLEvent } from 'aws-lambda';
import type { PathParameters } from './path-table';
import { joinedValues, parseQuery, v2HeadersOf } from './request';
import type { EventBody, IncomingRequest } from './types';

/**
 * Payload format 2.0: HTTP API's event, and the function URL event, which follows the same schema with
 * routeKey and stage `$default` and no path parameters. Header names are lower-cased and repeated
 * headers and query parameters comma-joined; Cookie headers move to `cookies`. Shapes:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
 */

export interface V2EventInput {
  request: IncomingRequest;
  body: EventBody;
  routeKey: string;
  /** The request path as the function sees it (for a function URL, without the local prefix). */
  rawPath: string;
  pathParameters: PathParameters | null;
  apiId: string;
  domainName: string;
  accountId: string;
  requestId: string;
  nowMs: number;
  /** `nowMs` as `dd/MMM/yyyy:HH:mm:ss +0000`. */
  time: string;
}

export function v2Event(input: V2EventInput, keepCookieHeader = false): APIGatewayProxyEventV2 {
  const { request } = input;
  const { headers, cookies } = v2HeadersOf(request.rawHeaders, keepCookieHeader);
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.rawPath,
    rawQueryString: request.rawQuery,
    headers,
    requestContext: {
      accountId: input.accountId,
      apiId: input.apiId,
      domainName: input.domainName,
      domainPrefix: input.domainName.slice(0, input.domainName.indexOf('.')),
      http: {
        method: request.method,
        path: input.rawPath,
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: input.requestId,
      routeKey: input.routeKey,
      stage: '$default',
      time: input.time,
      timeEpoch: input.nowMs,
    },
    isBase64Encoded: input.body.isBase64Encoded,
  };
  if (cookies.length > 0) event.cookies = cookies;
  if (request.rawQuery !== '') {
    const query = parseQuery(request.rawQuery);
    if (Object.keys(query).length > 0) event.queryStringParameters = joinedValues(query);
  }
  if (input.pathParameters) event.pathParameters = input.pathParameters;
  if (input.body.body !== null) event.body = input.body.body;
  return event;
}

/**
 * The function URL event: payload 2.0 with routeKey `$default` and no path parameters; unlike HTTP API,
 * the `cookie` header stays beside `cookies` (aws/aws-lambda-rust-runtime#586).
 */
export const functionUrlEvent = (
  input: Omit<V2EventInput, 'routeKey' | 'pathParameters'>,
): LambdaFunctionURLEvent => v2Event({ ...input, routeKey: '$default', pathParameters: null }, true);
