import type { ALBEvent } from 'aws-lambda';
import { headersLowerCased, lastValues, parseQuery } from './request';
import type { EventBody, IncomingRequest } from './types';

/**
 * The event an Application Load Balancer sends a Lambda target: single-value `headers` and
 * `queryStringParameters` (last value wins), or only the multi-value maps when the target group has
 * `lambda.multi_value_headers.enabled`. Query strings are passed as sent (ALB does not decode them), and
 * the body is '' rather than null when empty. Shape:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html
 */

export interface AlbEventInput {
  request: IncomingRequest;
  body: EventBody;
  targetGroupArn: string;
  multiValueHeaders: boolean;
}

export function albEvent(input: AlbEventInput): ALBEvent {
  const { request } = input;
  const headers = headersLowerCased(request.rawHeaders);
  const query = parseQuery(request.rawQuery, false);
  const event: ALBEvent = {
    requestContext: { elb: { targetGroupArn: input.targetGroupArn } },
    httpMethod: request.method,
    path: request.path,
    body: input.body.body ?? '',
    isBase64Encoded: input.body.isBase64Encoded,
  };
  if (input.multiValueHeaders) {
    event.multiValueQueryStringParameters = query;
    event.multiValueHeaders = headers;
  } else {
    event.queryStringParameters = lastValues(query);
    event.headers = lastValues(headers);
  }
  return event;
}
