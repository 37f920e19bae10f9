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

const albPage = (statusCode: number, title: string): HttpResult => ({
  statusCode,
  headers: { 'Content-Type': 'text/html' },
  body:
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
    `<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
});

export const restResponses = {
  missingAuthenticationToken: () => json(403, '{"message":"Missing Authentication Token"}'),
  /** A function error or a malformed proxy response. */
  badGateway: () => json(502, '{"message": "Internal server error"}'),
  /** The Lambda API refused the invocation (throttled, too large, ...). */
  invokeRejected: () => json(500, '{"message": "Internal server error"}'),
  timeout: () => json(504, '{"message": "Endpoint request timed out"}'),
  unsupportedMediaType: () => json(415, '{"message":"Unsupported Media Type"}'),
  badRequest: (message: string) => json(400, JSON.stringify({ message })),
};

export const httpApiResponses = {
  notFound: () => json(404, '{"message":"Not Found"}'),
  /** A function error, a malformed response, or the Lambda API refusing the invocation. */
  internalServerError: () => json(500, '{"message":"Internal Server Error"}'),
  timeout: () => json(503, '{"message":"Service Unavailable"}'),
};

export const urlResponses = {
  functionError: () => json(502, 'Internal Server Error'),
  throttled: () => json(429, '{"Message":"Rate Exceeded."}'),
};

export const albResponses = {
  badGateway: () => albPage(502, '502 Bad Gateway'),
  serviceUnavailable: () => albPage(503, '503 Service Temporarily Unavailable'),
};
