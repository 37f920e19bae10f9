import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { V1Event } from '../events-v1';
import type { LambdaIntegrationEvent } from '../events-lambda';
import type { HttpResult } from '../types';
import type { IamCaller } from './iam';

/**
 * What an authorizer that lets a request through hands to the integration, and how each event carries
 * it: `requestContext.authorizer`, and for an IAM caller the payload 1.0 `requestContext.identity`.
 */

export interface Grant {
  authorizer?: Record<string, unknown>;
  identity?: Record<string, string>;
  /** A REST Lambda authorizer's `usageIdentifierKey`: the API key when the API takes it from the authorizer. */
  usageIdentifierKey?: string;
}

/** A guard's verdict: the request goes on with its grant, or the front answers at once. */
export type Guarded = { ok: true; grant: Grant } | { ok: false; response: HttpResult };

const text = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(text).join(' ')}]`
    : typeof value === 'object' && value !== null
      ? JSON.stringify(value)
      : String(value);

/** Values as strings, as REST and WebSocket events (and every JWT claims map) carry them. */
export const stringified = (values: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, text(value)]));

/** REST and WebSocket's `requestContext.authorizer` of a Lambda authorizer. */
export const lambdaAuthorizerContext = (decision: {
  principalId?: string;
  context: Record<string, unknown>;
  latencyMs: number;
}): Record<string, unknown> => ({
  principalId: decision.principalId,
  integrationLatency: decision.latencyMs,
  ...stringified(decision.context),
});

/** The payload 1.0 identity of an IAM caller (REST, and HTTP API routes with payload 1.0). */
export const iamIdentity = (caller: IamCaller): Record<string, string> => ({
  accessKey: caller.accessKey,
  accountId: caller.accountId,
  caller: caller.accessKey,
  user: caller.accessKey,
  userArn: caller.userArn,
});

/** Payload 2.0 carries only `requestContext.authorizer` (@types/aws-lambda's event type has no slot for it). */
export function applyToV2Event(event: APIGatewayProxyEventV2, grant: Grant): void {
  if (grant.authorizer) (event.requestContext as { authorizer?: unknown }).authorizer = grant.authorizer;
}

export function applyToV1Event(event: V1Event, grant: Grant): void {
  if (grant.authorizer) event.requestContext.authorizer = grant.authorizer;
  if (grant.identity) Object.assign(event.requestContext.identity, grant.identity);
}

/** What the framework's default request template renders of `$context.authorizer` and the identity. */
export function applyToLambdaEvent(event: LambdaIntegrationEvent, grant: Grant): void {
  const authorizer = grant.authorizer ?? {};
  const claims = authorizer.claims as Record<string, string> | undefined;
  event.principalId = typeof authorizer.principalId === 'string' ? authorizer.principalId : '';
  event.cognitoPoolClaims = { sub: claims?.sub ?? '' };
  event.enhancedAuthContext = claims ? {} : stringified(authorizer);
  if (grant.identity) Object.assign(event.identity, grant.identity);
}
