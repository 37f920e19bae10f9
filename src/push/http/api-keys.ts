import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock';
import type { RestApiSettings, UsagePlanModel } from '../../service/model';
import { restResponses } from './gateway-responses';
import { stableId } from './ids';
import { headerOf } from './request';
import type { HttpResult, IncomingRequest } from './types';

/**
 * API keys of the REST API's `private: true` methods, read from the `x-api-key` header: no key, an
 * unknown or disabled one is 403 INVALID_API_KEY `{"message":"Forbidden"}`; each usage plan of the key
 * applies its throttle (a token bucket of `burstLimit` tokens refilled at `rateLimit` per second, on the
 * injected clock: 429 THROTTLED) and its quota (requests per UTC day, week from Monday, or month: 429
 * QUOTA_EXCEEDED). Keys without a `value` get one generated at start, as API Gateway generates them
 * at deployment.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 */

export interface ApiKeyUse {
  /** What `requestContext.identity.apiKey` and `apiKeyId` say. */
  value: string;
  id: string;
}

export type ApiKeyCheck = { ok: true; key: ApiKeyUse } | { ok: false; result: HttpResult };

interface Bucket {
  tokens: number;
  atMs: number;
}

interface Quota {
  periodStartMs: number;
  used: number;
}

interface Key extends ApiKeyUse {
  name: string;
  enabled: boolean;
  /** The key's usage plans, each with this key's own bucket and count (API Gateway meters per key). */
  plans: Array<{ plan: UsagePlanModel; bucket?: Bucket; quota?: Quota }>;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const DAY_MS = 86_400_000;

/** 40 alphanumerics, as API Gateway's generated keys are. */
export function generatedKeyValue(): string {
  return [...randomBytes(40)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
}

/** The start of the quota period that holds `nowMs` (UTC; a week starts on Monday). */
export function periodStart(period: 'DAY' | 'WEEK' | 'MONTH', nowMs: number): number {
  const date = new Date(nowMs);
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (period === 'DAY') return day;
  if (period === 'WEEK') return day - ((date.getUTCDay() + 6) % 7) * DAY_MS;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

export class ApiKeys {
  private readonly byValue = new Map<string, Key>();

  constructor(
    settings: RestApiSettings,
    private readonly clock: Clock,
    newValue: () => string = generatedKeyValue,
  ) {
    const plans = new Map(settings.usagePlans.map((plan) => [plan.name, plan]));
    for (const model of settings.apiKeys) {
      const key: Key = {
        name: model.name,
        value: model.value ?? newValue(),
        id: stableId(`apikey:${model.name}`, 10),
        enabled: model.enabled,
        plans: model.usagePlans.flatMap((name) => {
          const plan = plans.get(name);
          return plan ? [{ plan }] : [];
        }),
      };
      this.byValue.set(key.value, key);
    }
  }

  /** One line per key for the console: its name and value (generated ones are only known so). */
  describe(): string[] {
    return [...this.byValue.values()].map(
      (key) => `API key ${key.name}: ${key.value}${key.enabled ? '' : ' (disabled)'}`,
    );
  }

  check(request: IncomingRequest): ApiKeyCheck {
    const value = headerOf(request.rawHeaders, 'x-api-key');
    const key = value === undefined ? undefined : this.byValue.get(value);
    if (!key?.enabled) return { ok: false, result: restResponses.invalidApiKey() };
    const nowMs = this.clock.now();
    for (const use of key.plans) {
      const { throttle, quota } = use.plan;
      if (throttle && !this.take(use, throttle, nowMs))
        return { ok: false, result: restResponses.throttled() };
      if (quota) {
        const start = periodStart(quota.period, nowMs);
        if (use.quota?.periodStartMs !== start) use.quota = { periodStartMs: start, used: 0 };
        if (use.quota.used >= quota.limit) return { ok: false, result: restResponses.quotaExceeded() };
        use.quota.used++;
      }
    }
    return { ok: true, key: { value: key.value, id: key.id } };
  }

  private take(
    use: Key['plans'][number],
    throttle: NonNullable<UsagePlanModel['throttle']>,
    nowMs: number,
  ): boolean {
    const bucket = (use.bucket ??= { tokens: throttle.burstLimit, atMs: nowMs });
    const refilled =
      throttle.rateLimit === Infinity
        ? throttle.burstLimit
        : bucket.tokens + ((nowMs - bucket.atMs) / 1000) * throttle.rateLimit;
    bucket.tokens = Math.min(throttle.burstLimit, refilled);
    bucket.atMs = nowMs;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
