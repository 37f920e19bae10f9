import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { sourceInvocationOfType } from '../../../classify/origin';
import { buildArn } from '../../../service/arn';
import type { JwtAuthorizerRef, LambdaAuthorizerRef } from '../../../service/model';
import type { V1Event } from '../events-v1';
import { httpApiResponses } from '../gateway-responses';
import type { HttpApiRoute } from '../route-kinds';
import type { ApiIdentity, HttpResult, IncomingRequest } from '../types';
import { iamIdentity, stringified, type Guarded } from './grant';
import { iamCheck } from './iam';
import { contextVariables, readIdentity } from './identity-sources';
import type { Authorizers } from './registry';

/**
 * An HTTP API (`httpApi`) route's authorizer: Lambda (payload 1.0 or 2.0, IAM policy or simple
 * response), JWT and AWS_IAM, with HTTP API's answers (401 `Unauthorized`, 403 `Forbidden`, 500 for a
 * failed authorizer). What reaches the integration: `requestContext.authorizer.lambda` (the context),
 * `.jwt` (`claims`, `scopes`) and `.iam` in payload 2.0; `claims`/`scopes`, the context and the IAM
 * identity in payload 1.0. https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */

export interface HttpApiGuardInput {
  request: IncomingRequest;
  path: string;
  /** The route's events in both payload formats (the authorizer's may differ from the route's). */
  v1: () => V1Event;
  v2: () => APIGatewayProxyEventV2;
}

export type HttpApiGuard = (input: HttpApiGuardInput) => Promise<Guarded>;

export interface HttpApiGuardContext {
  authorizers: Authorizers;
  identity: ApiIdentity;
  log: (line: string) => void;
}

/** HTTP API's limit on a Lambda authorizer's answer (http-api-quotas.html). */
const AUTHORIZER_TIMEOUT_MS = 10_000;

const refused = (response: HttpResult): Guarded => ({ ok: false, response });

/** The JWT authorizer's 401 names the problem, as an OAuth 2 bearer challenge (RFC 6750). */
const challenged = (response: HttpResult, error: string, description: string): Guarded =>
  refused({
    ...response,
    headers: {
      ...response.headers,
      'www-authenticate': `Bearer scope="" error="${error}" error_description="${description}"`,
    },
  });

export function httpApiGuard(route: HttpApiRoute, context: HttpApiGuardContext): HttpApiGuard | undefined {
  const ref = route.authorizer;
  if (ref === undefined || ref.type === 'EXTERNAL') return undefined;
  if (ref.type === 'AWS_IAM') return iamGuard(route, context);
  if ('function' in ref) return lambdaGuard(route, ref, context);
  return jwtGuard(route, ref, context);
}

function iamGuard(route: HttpApiRoute, { identity }: HttpApiGuardContext): HttpApiGuard {
  return async ({ request }) => {
    const check = iamCheck(request.rawHeaders, request.rawQuery, identity.accountId);
    if (!check.signed) return refused(httpApiResponses.forbidden());
    const { caller } = check;
    if (route.payload === '1.0') return { ok: true, grant: { identity: iamIdentity(caller) } };
    const iam = {
      accessKey: caller.accessKey,
      accountId: caller.accountId,
      callerId: caller.accessKey,
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: caller.userArn,
      userId: caller.accessKey,
    };
    return { ok: true, grant: { authorizer: { iam } } };
  };
}

function jwtGuard(
  route: HttpApiRoute,
  ref: JwtAuthorizerRef,
  { authorizers }: HttpApiGuardContext,
): HttpApiGuard {
  return async ({ request }) => {
    const token = readIdentity(ref.identitySource, request)?.[0];
    const decision = await authorizers.jwt('httpApi', ref).authorize(token, ref.scopes);
    if (decision.effect === 'unauthorized') {
      return challenged(httpApiResponses.unauthorized(), 'invalid_token', decision.reason);
    }
    if (decision.effect === 'forbidden') {
      return challenged(httpApiResponses.forbidden(), 'insufficient_scope', decision.reason);
    }
    const claims = stringified(decision.claims);
    const { scopes } = decision;
    return {
      ok: true,
      grant: { authorizer: route.payload === '1.0' ? { claims, scopes } : { jwt: { claims, scopes } } },
    };
  };
}

function lambdaGuard(
  route: HttpApiRoute,
  ref: LambdaAuthorizerRef,
  context: HttpApiGuardContext,
): HttpApiGuard {
  const { identity: api, log } = context;
  const authorizer = context.authorizers.lambda('httpApi', ref, AUTHORIZER_TIMEOUT_MS);
  const invocation = sourceInvocationOfType('authorizer', `httpApi ${route.routeKey}`);
  return async ({ request, path, v1, v2 }) => {
    const routeArn = buildArn(
      'execute-api',
      api.region,
      api.accountId,
      `${api.httpApiId}/$default/${request.method}${path}`,
    );
    const event = v2();
    const facts = { ...request, context: contextVariables(event.requestContext) };
    const decision = await authorizer.authorize({
      identity: readIdentity(ref.identitySource, facts),
      arn: routeArn,
      invocation,
      event: (values) =>
        ref.payloadVersion === '2.0' ? v2Request(event, routeArn, values) : v1Request(v1(), routeArn, values),
    });
    switch (decision.effect) {
      case 'allow': {
        // AWS writes `lambda: null` for an authorizer that returned no context (a captured event has it).
        const lambda = Object.keys(decision.context).length ? decision.context : null;
        const authorizer =
          decision.principalId === undefined ? { lambda } : { principalId: decision.principalId, lambda };
        return { ok: true, grant: { authorizer } };
      }
      case 'unauthorized':
        return refused(httpApiResponses.unauthorized());
      case 'forbidden':
        return refused(httpApiResponses.forbidden());
      case 'failure':
        log(`✗ authorizer ${ref.name} of httpApi ${route.routeKey} ${decision.reason}: 500`);
        return refused(httpApiResponses.internalServerError());
    }
  };
}

/** Payload 2.0: the route's event (without its body) with the route's ARN and the identity's values. */
function v2Request(event: APIGatewayProxyEventV2, routeArn: string, identitySource: string[]) {
  const { version, body: _body, isBase64Encoded: _encoded, ...request } = event;
  return { version, type: 'REQUEST', routeArn, identitySource, ...request };
}

/** Payload 1.0: REST's REQUEST event, with the identity comma-joined as `identitySource` and token. */
function v1Request(event: V1Event, methodArn: string, identity: string[]) {
  const { version: _version, body: _body, isBase64Encoded: _encoded, ...request } = event;
  const joined = identity.join(',');
  return {
    version: '1.0',
    type: 'REQUEST',
    methodArn,
    identitySource: joined,
    authorizationToken: joined,
    ...request,
  };
}
