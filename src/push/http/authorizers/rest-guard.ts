import { sourceInvocationOfType } from '../../../classify/origin';
import { buildArn } from '../../../service/arn';
import type { JwtAuthorizerRef, LambdaAuthorizerRef } from '../../../service/model';
import type { V1Event } from '../events-v1';
import { restResponses } from '../gateway-responses';
import type { RestRoute } from '../route-kinds';
import type { ApiIdentity, IncomingRequest } from '../types';
import { iamIdentity, lambdaAuthorizerContext, stringified, type Guarded } from './grant';
import { iamCheck } from './iam';
import { contextVariables, readIdentity, type IdentityFacts } from './identity-sources';
import type { Authorizers } from './registry';

/**
 * A REST API (`http`) route's authorizer, before its integration: Lambda (TOKEN, REQUEST), Cognito user
 * pool and AWS_IAM, with REST's answers (401 Unauthorized, 403 AccessDenied, 500 for a failed
 * authorizer, 403 Missing Authentication Token for an unsigned IAM request).
 */

export interface RestGuardInput {
  request: IncomingRequest;
  /** The request path inside the stage. */
  path: string;
  /** The proxy event of the request, which a REQUEST authorizer's event is made of. */
  event: () => V1Event;
}

export type RestGuard = (input: RestGuardInput) => Promise<Guarded>;

export interface RestGuardContext {
  authorizers: Authorizers;
  identity: ApiIdentity;
  /** How long a Lambda authorizer may take. */
  timeoutMs: number;
  log: (line: string) => void;
}

export function restGuard(route: RestRoute, context: RestGuardContext): RestGuard | undefined {
  const ref = route.authorizer;
  if (ref === undefined || ref.type === 'EXTERNAL') return undefined;
  if (ref.type === 'AWS_IAM') return iamGuard(context);
  if ('function' in ref) return lambdaGuard(route, ref, context);
  return cognitoGuard(ref, context);
}

function iamGuard({ identity }: RestGuardContext): RestGuard {
  return async ({ request }) => {
    const check = iamCheck(request.rawHeaders, request.rawQuery, identity.accountId);
    if (check.signed) return { ok: true, grant: { identity: iamIdentity(check.caller) } };
    return {
      ok: false,
      response:
        check.reason === 'unsigned'
          ? restResponses.missingAuthenticationToken()
          : restResponses.wrongSigningService(),
    };
  };
}

function cognitoGuard(ref: JwtAuthorizerRef, { authorizers }: RestGuardContext): RestGuard {
  return async ({ request }) => {
    const token = readIdentity(ref.identitySource, request)?.[0];
    const decision = await authorizers.jwt('rest', ref).authorize(token, ref.scopes);
    if (decision.effect !== 'allow') return { ok: false, response: restResponses.unauthorized() };
    return { ok: true, grant: { authorizer: { claims: cognitoClaims(decision.claims) } } };
  };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** Java's `Date.toString()` in UTC, `Sun Dec 17 07:28:12 UTC 2017`. */
function javaDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${time} UTC ${d.getUTCFullYear()}`;
}

/**
 * The claims as REST's Cognito authorizer passes them: every value a string, and `exp` and `iat` as
 * dates (`"exp": "Sun Dec 17 07:28:12 UTC 2017"`; `auth_time` stays a number), as captured events show.
 */
function cognitoClaims(claims: Record<string, unknown>): Record<string, string> {
  const text = stringified(claims);
  for (const key of ['exp', 'iat']) {
    const value = claims[key];
    if (typeof value === 'number') text[key] = javaDate(value);
  }
  return text;
}

function lambdaGuard(route: RestRoute, ref: LambdaAuthorizerRef, context: RestGuardContext): RestGuard {
  const { identity: api, log } = context;
  const authorizer = context.authorizers.lambda('rest', ref, context.timeoutMs);
  const routeText = `${route.method} ${route.resourcePath}`;
  const invocation = sourceInvocationOfType('authorizer', `http ${routeText}`);
  return async ({ request, path, event }) => {
    const methodArn = buildArn(
      'execute-api',
      api.region,
      api.accountId,
      `${api.restApiId}/${api.stage}/${request.method}${path}`,
    );
    const facts: IdentityFacts = { ...request, context: contextVariables(event().requestContext) };
    const decision = await authorizer.authorize({
      identity: readIdentity(ref.identitySource, facts),
      arn: methodArn,
      invocation,
      event: (values) =>
        ref.type === 'TOKEN'
          ? { type: 'TOKEN', methodArn, authorizationToken: values[0] }
          : requestEvent(event(), methodArn),
    });
    switch (decision.effect) {
      case 'allow':
        return {
          ok: true,
          grant: {
            authorizer: lambdaAuthorizerContext(decision),
            usageIdentifierKey: decision.usageIdentifierKey,
          },
        };
      case 'unauthorized':
        return { ok: false, response: restResponses.unauthorized() };
      case 'forbidden':
        return { ok: false, response: restResponses.accessDenied(decision.explicit) };
      case 'failure':
        log(`✗ authorizer ${ref.name} of http ${routeText} ${decision.reason}: 500`);
        return { ok: false, response: restResponses.authorizerFailure() };
    }
  };
}

/** The REQUEST authorizer's event: the request as the proxy integration would see it, and its ARN. */
function requestEvent(event: V1Event, methodArn: string) {
  return {
    type: 'REQUEST',
    methodArn,
    resource: event.resource,
    path: event.path,
    httpMethod: event.httpMethod,
    headers: event.headers,
    multiValueHeaders: event.multiValueHeaders,
    queryStringParameters: event.queryStringParameters,
    multiValueQueryStringParameters: event.multiValueQueryStringParameters,
    pathParameters: event.pathParameters,
    stageVariables: event.stageVariables,
    requestContext: event.requestContext,
  };
}
