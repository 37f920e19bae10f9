import type { APIGatewayEventIdentity, APIGatewayProxyEvent } from 'aws-lambda';
import type { PathParameters } from './path-table';
import { headerOf, headersAsSent, headersLowerCased, lastValues, parseQuery } from './request';
import type { EventBody, IncomingRequest } from './types';

/**
 * The API Gateway proxy event, payload format 1.0: what a REST API's lambda-proxy integration sends, and
 * an HTTP API route with `payload: '1.0'` (then with `version: '1.0'` and stage `$default`). Shapes:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html and
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */

export interface V1EventInput {
  request: IncomingRequest;
  body: EventBody;
  /** The resource (`/users/{id}`) or HTTP API route path. */
  resource: string;
  /** The request path inside the stage. */
  path: string;
  pathParameters: PathParameters | null;
  /** `/{stage}` for a REST API (requestContext.path includes it), '' for HTTP API. */
  stagePath: string;
  stage: string;
  apiId: string;
  /** `<apiId>.execute-api.<region>.amazonaws.com`. */
  domainName: string;
  /** null for HTTP API, which has no REST resources. */
  resourceId: string | null;
  accountId: string;
  requestId: string;
  extendedRequestId: string;
  nowMs: number;
  /** `nowMs` as `dd/MMM/yyyy:HH:mm:ss +0000`. */
  time: string;
  /** '1.0' for HTTP API payload 1.0; REST events carry no version. */
  version?: '1.0';
  /** REST: the stage's deployment. */
  deploymentId?: string;
  /** HTTP API lower-cases header names in payload 1.0 too; REST keeps them as sent. */
  lowerCaseHeaders?: boolean;
}

export type V1Event = APIGatewayProxyEvent & { version?: '1.0' };

/**
 * The identity as AWS's captured events have it: `apiKey` and `apiKeyId` only where the method checked an
 * API key (the handler adds them), no `clientCert` without mutual TLS. @types lists all three as present.
 */
function identityOf(request: IncomingRequest): APIGatewayEventIdentity {
  const userAgent = headerOf(request.rawHeaders, 'user-agent');
  const identity: Omit<APIGatewayEventIdentity, 'apiKey' | 'apiKeyId' | 'clientCert'> = {
    accessKey: null,
    accountId: null,
    caller: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: request.sourceIp,
    user: null,
    userAgent: typeof userAgent === 'string' ? userAgent : null,
    userArn: null,
  };
  return identity as APIGatewayEventIdentity;
}

export function v1Event(input: V1EventInput): V1Event {
  const { request } = input;
  const multiValueHeaders = input.lowerCaseHeaders
    ? headersLowerCased(request.rawHeaders)
    : headersAsSent(request.rawHeaders);
  const query = parseQuery(request.rawQuery);
  const hasQuery = request.rawQuery !== '' && Object.keys(query).length > 0;
  const event: V1Event = {
    resource: input.resource,
    path: input.path,
    httpMethod: request.method,
    headers: lastValues(multiValueHeaders),
    multiValueHeaders,
    queryStringParameters: hasQuery ? lastValues(query) : null,
    multiValueQueryStringParameters: hasQuery ? query : null,
    pathParameters: input.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: input.accountId,
      apiId: input.apiId,
      authorizer: undefined,
      ...(input.deploymentId && { deploymentId: input.deploymentId }),
      domainName: input.domainName,
      domainPrefix: input.apiId,
      extendedRequestId: input.extendedRequestId,
      httpMethod: request.method,
      identity: identityOf(request),
      path: input.stagePath + input.path,
      protocol: request.protocol,
      requestId: input.requestId,
      requestTime: input.time,
      requestTimeEpoch: input.nowMs,
      // AWS sends null for HTTP API payload 1.0 (the documented example); @types says string.
      resourceId: input.resourceId as string,
      resourcePath: input.resource,
      stage: input.stage,
    },
    body: input.body.body,
    isBase64Encoded: input.body.isBase64Encoded,
  };
  if (input.version) return { version: input.version, ...event };
  return event;
}
