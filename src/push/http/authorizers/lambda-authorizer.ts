import type { SourceInvocation } from '../../../classify/origin';
import type { Clock } from '../../../clock';
import type { Invoker } from '../../../lambda/types';
import type { LambdaAuthorizerRef } from '../../../service/model';
import { invokeWithin } from '../gateway-timeout';
import { compilePolicy, evaluatePolicy, type CompiledPolicy } from './policy';
import { ResultCache } from './result-cache';

/**
 * One Lambda authorizer (REST TOKEN or REQUEST, HTTP API `request`, WebSocket `$connect`), shared by
 * the routes that name it: identity checks before any invocation, the invocation raced against the
 * authorizer's time limit, its answer read in its payload version's format, cached per identity, and
 * the verdict for the route asked about. API Gateway's rules
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html,
 * .../http-api-lambda-authorizer.html): a missing identity or an `identityValidationExpression` that
 * does not match is 401 without an invocation; an error whose message is `Unauthorized` is 401; any
 * other error, a timeout, or an answer that is no valid policy is the authorizer's failure (500).
 */

/** What the authorizer answered, as cached: an IAM policy, or HTTP API's simple response. */
type Output =
  | {
      kind: 'policy';
      policy: CompiledPolicy;
      principalId: string;
      context: Record<string, unknown>;
      usageIdentifierKey?: string;
    }
  | { kind: 'simple'; isAuthorized: boolean; context: Record<string, unknown> };

export type Decision =
  | {
      effect: 'allow';
      principalId?: string;
      context: Record<string, unknown>;
      usageIdentifierKey?: string;
      /** How long the authorizer took (0 when its answer came from the cache). */
      latencyMs: number;
    }
  | { effect: 'unauthorized' }
  | { effect: 'forbidden'; explicit: boolean }
  | { effect: 'failure'; reason: string };

export interface AuthorizerRequest {
  /** The identity sources' values in order; undefined when one of them is missing. */
  identity: string[] | undefined;
  /** The ARN the policy is evaluated against (methodArn, routeArn). */
  arn: string;
  /** The event for the authorizer, built only when it is invoked. */
  event: (identity: string[]) => unknown;
  /** The invocation's origin: the route it authorizes. */
  invocation: SourceInvocation;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isScalar = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

function parsed(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return undefined;
  }
}

export class LambdaAuthorizer {
  private readonly cache: ResultCache<Output>;
  private readonly validation?: RegExp;

  constructor(
    readonly ref: LambdaAuthorizerRef,
    private readonly invoker: Invoker,
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {
    // A REQUEST authorizer without identity sources cannot be cached: nothing tells callers apart.
    this.cache = new ResultCache(clock, ref.identitySource.length > 0 ? ref.resultTtlInSeconds : 0);
    if (ref.type === 'TOKEN' && ref.identityValidationExpression !== undefined) {
      this.validation = new RegExp(`^(?:${ref.identityValidationExpression})$`);
    }
  }

  async authorize(request: AuthorizerRequest): Promise<Decision> {
    const { identity } = request;
    if (identity === undefined) return { effect: 'unauthorized' };
    if (this.validation && !this.validation.test(identity[0])) return { effect: 'unauthorized' };
    const cached = this.cache.get(identity);
    if (cached) return this.verdict(cached, request.arn, 0);
    const startedAt = this.clock.now();
    const answer = await this.invoke(request, identity);
    if ('effect' in answer) return answer;
    this.cache.set(identity, answer);
    return this.verdict(answer, request.arn, this.clock.now() - startedAt);
  }

  private async invoke(request: AuthorizerRequest, identity: string[]): Promise<Output | Decision> {
    const payload = JSON.stringify(request.event(identity));
    const settled = await invokeWithin(
      this.invoker,
      this.ref.function,
      { payload, ...request.invocation },
      { ms: this.timeoutMs, clock: this.clock },
    );
    if (settled.type === 'timeout') return { effect: 'failure', reason: 'timed out' };
    if (settled.type === 'rejected') {
      const message = settled.error instanceof Error ? settled.error.message : String(settled.error);
      return { effect: 'failure', reason: message };
    }
    const result = parsed(settled.outcome.payload);
    if (settled.outcome.functionError) {
      const message = isObject(result) ? result.errorMessage : undefined;
      return message === 'Unauthorized'
        ? { effect: 'unauthorized' }
        : { effect: 'failure', reason: `failed: ${String(message)}` };
    }
    return this.outputOf(result) ?? { effect: 'failure', reason: 'returned an invalid response' };
  }

  /** The answer in the authorizer's format, or undefined when API Gateway would refuse it. */
  private outputOf(result: unknown): Output | undefined {
    if (!isObject(result)) return undefined;
    const context = result.context ?? {};
    if (!isObject(context)) return undefined;
    if (this.ref.payloadVersion === '2.0' && this.ref.enableSimpleResponses) {
      return typeof result.isAuthorized === 'boolean'
        ? { kind: 'simple', isAuthorized: result.isAuthorized, context }
        : undefined;
    }
    // REST and WebSocket take only strings, numbers and booleans in the context.
    if (this.ref.payloadVersion === '1.0' && !Object.values(context).every(isScalar)) return undefined;
    const { principalId, usageIdentifierKey } = result;
    const policy = compilePolicy(result.policyDocument);
    if (!policy || (typeof principalId !== 'string' && typeof principalId !== 'number')) return undefined;
    return {
      kind: 'policy',
      policy,
      principalId: String(principalId),
      context,
      usageIdentifierKey: typeof usageIdentifierKey === 'string' ? usageIdentifierKey : undefined,
    };
  }

  private verdict(output: Output, arn: string, latencyMs: number): Decision {
    if (output.kind === 'simple') {
      return output.isAuthorized
        ? { effect: 'allow', context: output.context, latencyMs }
        : { effect: 'forbidden', explicit: false };
    }
    const verdict = evaluatePolicy(output.policy, arn);
    if (verdict !== 'allow') return { effect: 'forbidden', explicit: verdict === 'explicitDeny' };
    const { principalId, context, usageIdentifierKey } = output;
    return { effect: 'allow', principalId, context, usageIdentifierKey, latencyMs };
  }
}
