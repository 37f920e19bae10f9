import type { HttpResult } from './types';

/**
 * The answers each front gives on its own, without the function's say: no route, a failed or malformed
 * invocation, throttling, a gateway timeout. Sources, where AWS documents them:
 * - REST API: 502 for a function error or malformed proxy response, 500 when the Lambda API rejects the
 *   invocation (throttling included), body `{"message": "Internal server error"}` in both cases
 *   (https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html); 403 for an unknown
 *   resource or method and 504 for an integration timeout
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html).
 * - HTTP API: `{"message":"Internal Server Error"}`
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html),
 *   `{"message":"Not Found"}` when no route matches, 503 after its 30 s timeout (serverless docs,
 *   providers/aws/events/http-api.md).
 * - Function URL: 429 when throttled (https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html).
 * - ALB: the HTML pages of its 502 and 503.
 */

const json = (statusCode: number, body: string): HttpResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json' },
  body,
});

/** REST API's own errors also name their type in `x-amzn-ErrorType`. */
const typed = (statusCode: number, body: string, errorType: string): HttpResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': errorType },
  body,
});

const albPage = (statusCode: number, title: string): HttpResult => ({
  statusCode,
  headers: { 'Content-Type': 'text/html' },
  body:
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
    `<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
});

/**
 * A REST answer tagged with its gateway response type (and `$context.error.message`), so that an
 * `AWS::ApiGateway::GatewayResponse` of that type, or DEFAULT_4XX/DEFAULT_5XX, can replace it
 * (gateway-response-overrides.ts).
 */
const gateway = (
  type: string,
  message: string | null,
  result: HttpResult,
  validationError?: string,
): HttpResult => ({
  ...result,
  gatewayResponse: { type, message, validationError },
});

export const restResponses = {
  missingAuthenticationToken: () =>
    gateway(
      'MISSING_AUTHENTICATION_TOKEN',
      'Missing Authentication Token',
      typed(403, '{"message":"Missing Authentication Token"}', 'MissingAuthenticationTokenException'),
    ),
  /** A function error or a malformed proxy response. */
  badGateway: () =>
    gateway('DEFAULT_5XX', 'Internal server error', json(502, '{"message": "Internal server error"}')),
  /** The Lambda API refused the invocation (throttled, too large, ...). */
  invokeRejected: () =>
    gateway('DEFAULT_5XX', 'Internal server error', json(500, '{"message": "Internal server error"}')),
  /** A STREAM integration's function did not write the streaming format (metadata, delimiter, payload). */
  streamNotConforming: () =>
    gateway('DEFAULT_5XX', 'Internal server error', json(500, '{"message": "Internal server error"}')),
  timeout: () =>
    gateway(
      'INTEGRATION_TIMEOUT',
      'Endpoint request timed out',
      json(504, '{"message": "Endpoint request timed out"}'),
    ),
  unsupportedMediaType: () =>
    gateway(
      'UNSUPPORTED_MEDIA_TYPE',
      'Unsupported Media Type',
      json(415, '{"message":"Unsupported Media Type"}'),
    ),
  badRequest: (message: string) =>
    gateway('BAD_REQUEST_BODY', message, json(400, JSON.stringify({ message }))),
  // Authorizers' answers (gateway responses UNAUTHORIZED, ACCESS_DENIED, AUTHORIZER_FAILURE).
  unauthorized: () =>
    gateway(
      'UNAUTHORIZED',
      'Unauthorized',
      typed(401, '{"message":"Unauthorized"}', 'UnauthorizedException'),
    ),
  accessDenied: (explicit: boolean) => {
    const message = `User is not authorized to access this resource${explicit ? ' with an explicit deny' : ''}`;
    return gateway(
      'ACCESS_DENIED',
      message,
      typed(403, JSON.stringify({ Message: message }), 'AccessDeniedException'),
    );
  },
  authorizerFailure: () =>
    gateway('AUTHORIZER_FAILURE', null, typed(500, '{"message":null}', 'AuthorizerConfigurationException')),
  /** `aws_iam`: a signature scoped to another service than execute-api. */
  wrongSigningService: () => {
    const message = "Credential should be scoped to correct service: 'execute-api'. ";
    return gateway(
      'INVALID_SIGNATURE',
      message,
      typed(403, JSON.stringify({ message }), 'IncompleteSignatureException'),
    );
  },
  // API keys and usage plans (INVALID_API_KEY, THROTTLED, QUOTA_EXCEEDED).
  invalidApiKey: () =>
    gateway('INVALID_API_KEY', 'Forbidden', typed(403, '{"message":"Forbidden"}', 'ForbiddenException')),
  throttled: () =>
    gateway(
      'THROTTLED',
      'Too Many Requests',
      typed(429, '{"message":"Too Many Requests"}', 'TooManyRequestsException'),
    ),
  quotaExceeded: () =>
    gateway(
      'QUOTA_EXCEEDED',
      'Limit Exceeded',
      typed(429, '{"message":"Limit Exceeded"}', 'LimitExceededException'),
    ),
  // Request validation (BAD_REQUEST_PARAMETERS, BAD_REQUEST_BODY).
  missingParameters: (names: string[]) => {
    const message = `Missing required request parameters: [${names.join(', ')}]`;
    return gateway(
      'BAD_REQUEST_PARAMETERS',
      message,
      typed(400, JSON.stringify({ message }), 'BadRequestException'),
    );
  },
  invalidBody: (validationError: string) =>
    gateway(
      'BAD_REQUEST_BODY',
      'Invalid request body',
      typed(400, '{"message": "Invalid request body"}', 'BadRequestException'),
      validationError,
    ),
};

export const httpApiResponses = {
  notFound: () => json(404, '{"message":"Not Found"}'),
  /** A function error, a malformed response, or the Lambda API refusing the invocation. */
  internalServerError: () => json(500, '{"message":"Internal Server Error"}'),
  timeout: () => json(503, '{"message":"Service Unavailable"}'),
  unauthorized: () => json(401, '{"message":"Unauthorized"}'),
  forbidden: () => json(403, '{"message":"Forbidden"}'),
};

export const urlResponses = {
  functionError: () => json(502, 'Internal Server Error'),
  throttled: () => json(429, '{"Message":"Rate Exceeded."}'),
};

export const albResponses = {
  badGateway: () => albPage(502, '502 Bad Gateway'),
  serviceUnavailable: () => albPage(503, '503 Service Temporarily Unavailable'),
};
