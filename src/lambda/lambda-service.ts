import { randomUUID } from 'node:crypto';
import { inAccount, parseArn } from '../service/arn';
import { LambdaServiceError, throttled } from './errors';
import type { AsyncEngine } from './async-engine';
import type { FunctionPool } from './function-pool';
import type { InvocationRunner } from './invocation-runner';
import type { InvokeOutcome, InvokeRequest, Invoker } from './types';
import type { FunctionConfig } from '../runtime/types';

// Invoke API payload limits: "For synchronous invocations, the maximum payload size is 6 MB. For
// asynchronous invocations, the maximum payload size is 1 MB."
// (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html)
const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;

/** A service's function pools, found by a function's key, deployed name or ARN (unqualified or $LATEST). */
export class FunctionPools {
  private readonly byName = new Map<string, FunctionPool>();
  /** The one account of these functions: an ARN written with another account id still names one. */
  private readonly account: string | undefined;

  constructor(readonly all: FunctionPool[]) {
    this.account = all[0] && parseArn(all[0].config.arn)?.account;
    for (const pool of all) {
      const { key, name, arn } = pool.config;
      for (const alias of [key, name, arn, `${arn}:$LATEST`]) this.byName.set(alias, pool);
    }
  }

  get(given: string): FunctionPool {
    const named = this.byName.get(given);
    if (named) return named;
    const functionName = this.account ? inAccount(given, this.account) : given;
    const pool = this.byName.get(functionName);
    if (pool) return pool;
    const qualified = /^(.+):([^:]+)$/.exec(functionName);
    const unqualified = qualified && this.byName.get(qualified[1]);
    if (unqualified) {
      throw new LambdaServiceError(
        'ResourceNotFoundException',
        404,
        `Function not found: ${unqualified.config.arn}:${qualified[2]} (sls emulate runs $LATEST: versions and aliases are not emulated)`,
      );
    }
    throw new LambdaServiceError(
      'ResourceNotFoundException',
      404,
      `Function not found: ${this.arnOf(functionName)}`,
    );
  }

  /** The ARN AWS names in its answer: the one given, or the name in this service's region and account. */
  private arnOf(functionName: string): string {
    const example = this.all[0]?.config.arn;
    if (functionName.startsWith('arn:') || !example) return functionName;
    return example.replace(/function:.*$/, `function:${functionName}`);
  }
}

/**
 * The Lambda service: the one door through which every source runs a function. Resolves the name,
 * applies the Invoke API's limits, runs sync invocations on the function's pool, and hands async ones
 * to the async engine (durable queue, retries, destinations).
 */
export class LambdaService implements Invoker {
  constructor(
    private readonly pools: FunctionPools,
    private readonly runner: InvocationRunner,
    private readonly engine: Pick<AsyncEngine, 'accept'>,
  ) {}

  /** A function's RecursiveLoop; `set` changes it until the emulator stops (PutFunctionRecursionConfig). */
  recursiveLoop(
    functionName: string,
    set?: FunctionConfig['recursiveLoop'],
  ): FunctionConfig['recursiveLoop'] {
    const { config } = this.pools.get(functionName);
    if (set) config.recursiveLoop = set;
    return config.recursiveLoop;
  }

  async invoke(functionName: string, request: InvokeRequest): Promise<InvokeOutcome> {
    const pool = this.pools.get(functionName);
    const size = Buffer.byteLength(request.payload);
    const requestId = randomUUID();
    if (request.type === 'DryRun') return { requestId, statusCode: 204, payload: '', durationMs: 0 };
    if (request.type === 'Event') {
      if (size > ASYNC_PAYLOAD_LIMIT) throw eventTooLarge(size);
      this.engine.accept(pool.config.key, request.payload, request.origin, requestId, request.traceHeader);
      return { requestId, statusCode: 202, payload: '', durationMs: 0 };
    }
    if (size > SYNC_PAYLOAD_LIMIT) throw requestTooLarge();
    const outcome = await this.runner.run(pool, request, requestId);
    if (!outcome) throw throttled(pool.config.name);
    return outcome;
  }
}

/**
 * A synchronous payload over 6 MB, as Lambda answers it on the wire: RequestEntityTooLargeException (413)
 * in its words (https://github.com/pelmers/streetwarp-web/issues/14), the code of the Event limit's
 * answer too; API_Invoke documents it as RequestTooLargeException.
 */
function requestTooLarge() {
  return new LambdaServiceError(
    'RequestEntityTooLargeException',
    413,
    `Request must be smaller than ${SYNC_PAYLOAD_LIMIT} bytes for the InvokeFunction operation`,
  );
}

/**
 * An `Event` payload over 1 MB: AWS answers 413 RequestEntityTooLargeException (not one of API_Invoke's
 * modelled errors: an SDK v3 client throws it as a LambdaServiceException of that name) with the size
 * and the limit, e.g. "264496 byte payload is too large for the Event invocation type (limit 262144
 * bytes)" before the limit was raised (https://github.com/ASFHyP3/hyp3/issues/2241) and "(limit
 * 1048576 bytes)" since (https://github.com/aws-solutions-library-samples/accelerated-intelligent-document-processing-on-aws/pull/611).
 */
function eventTooLarge(size: number) {
  return new LambdaServiceError(
    'RequestEntityTooLargeException',
    413,
    `${size} byte payload is too large for the Event invocation type (limit ${ASYNC_PAYLOAD_LIMIT} bytes)`,
  );
}
