import { sourceInvocationOfType } from '../../classify/origin';
import type { Clock } from '../../clock';
import type { Invoker } from '../../lambda/types';
import { buildArn } from '../../service/arn';
import { lambdaAuthorizerContext } from '../http/authorizers/grant';
import { contextVariables, readIdentity } from '../http/authorizers/identity-sources';
import { LambdaAuthorizer } from '../http/authorizers/lambda-authorizer';
import type { WebsocketProxyEvent } from './events';
import type { WebsocketRoute } from './routes';

/**
 * The `$connect` route's Lambda authorizer (always REQUEST): it runs before `$connect`, with the upgrade
 * request's headers, query string and `$context` variables and the ARN `<apiId>/<stage>/$connect`. A missing identity or an
 * `Unauthorized` error refuses the upgrade with 401, a policy that does not allow it with 403, a failed
 * authorizer with 500; what it allows carries its principalId and context into every event of the
 * connection as `requestContext.authorizer`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
 */

export type ConnectVerdict =
  { ok: true; authorizer: Record<string, unknown> } | { ok: false; statusCode: 401 | 403 | 500 };

export interface ConnectAuthorizerDeps {
  invoker: Invoker;
  clock: Clock;
  timeoutMs: number;
  api: { region: string; accountId: string; apiId: string; stage: string };
  log: (line: string) => void;
}

export type ConnectAuthorizer = (
  event: WebsocketProxyEvent,
  rawHeaders: readonly string[],
  rawQuery: string,
) => Promise<ConnectVerdict>;

export function connectAuthorizer(
  route: WebsocketRoute | undefined,
  { invoker, clock, timeoutMs, api, log }: ConnectAuthorizerDeps,
): ConnectAuthorizer | undefined {
  const ref = route?.authorizer;
  if (ref === undefined) return undefined;
  const authorizer = new LambdaAuthorizer(ref, invoker, clock, timeoutMs);
  const invocation = sourceInvocationOfType('authorizer', 'websocket $connect');
  const methodArn = buildArn('execute-api', api.region, api.accountId, `${api.apiId}/${api.stage}/$connect`);
  return async (event, rawHeaders, rawQuery) => {
    const decision = await authorizer.authorize({
      identity: readIdentity(ref.identitySource, {
        rawHeaders,
        rawQuery,
        context: contextVariables(event.requestContext),
      }),
      arn: methodArn,
      invocation,
      event: () => {
        const { isBase64Encoded: _encoded, ...request } = event;
        return { type: 'REQUEST', methodArn, ...request, stageVariables: {} };
      },
    });
    switch (decision.effect) {
      case 'allow':
        return { ok: true, authorizer: lambdaAuthorizerContext(decision) };
      case 'unauthorized':
        return { ok: false, statusCode: 401 };
      case 'forbidden':
        return { ok: false, statusCode: 403 };
      case 'failure':
        log(`✗ authorizer ${ref.name} of websocket $connect ${decision.reason}: 500`);
        return { ok: false, statusCode: 500 };
    }
  };
}
