import { strict as assert } from 'node:assert';
import { ApiKeys, periodStart } from '../../../src/push/http/api-keys';
import { ManualClock } from '../../helpers/manual-clock';
import { modelOf } from '../../helpers/service';
import { incoming } from './requests';

const withKey = (value?: string) =>
  incoming('GET', '/dev/x', value === undefined ? [] : [['X-API-Key', value]]);

const keysOf = (apiGateway: Record<string, unknown>, clock = new ManualClock()) =>
  new ApiKeys(modelOf({ functions: {}, provider: { apiGateway } }).api.rest, clock, () => 'generated');

describe('push/http API keys and usage plans', () => {
  it('reads the key forms: names (generated values), {name, value}, per-plan lists, enabled: false', () => {
    const { apiKeys, usagePlans } = modelOf({
      functions: {},
      provider: {
        apiGateway: {
          apiKeys: [
            { free: ['a', { name: 'b', value: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' }] },
            { paid: [{ name: 'c', enabled: false }] },
          ],
          usagePlan: [
            { free: { throttle: { rateLimit: 5, burstLimit: 10 } } },
            { paid: { quota: { limit: 100, period: 'MONTH' } } },
          ],
        },
      },
    }).api.rest;
    assert.deepEqual(apiKeys, [
      { name: 'a', enabled: true, usagePlans: ['free'] },
      { name: 'b', value: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', enabled: true, usagePlans: ['free'] },
      { name: 'c', value: undefined, enabled: false, usagePlans: ['paid'] },
    ]);
    assert.deepEqual(usagePlans, [
      { name: 'free', throttle: { rateLimit: 5, burstLimit: 10 }, quota: undefined },
      { name: 'paid', throttle: undefined, quota: { limit: 100, period: 'MONTH', offset: 0 } },
    ]);
  });

  it('names a malformed usage plan in a ConfigError', () => {
    assert.throws(
      () => modelOf({ functions: {}, provider: { apiGateway: { usagePlan: { quota: { limit: 5 } } } } }),
      /provider\.apiGateway\.usagePlan\.quota\.period is required/,
    );
  });

  it('accepts a known key and refuses none, an unknown and a disabled one with 403 Forbidden', () => {
    const keys = keysOf({ apiKeys: ['named', { name: 'off', value: 'off-value', enabled: false }] });
    const ok = keys.check(withKey('generated'));
    assert.ok(ok.ok);
    assert.match(ok.key.id, /^[a-z0-9]{10}$/);
    for (const value of [undefined, 'unknown', 'off-value']) {
      const refused = keys.check(withKey(value));
      assert.ok(!refused.ok);
      assert.equal(refused.result.statusCode, 403);
      assert.equal(refused.result.body, '{"message":"Forbidden"}');
    }
  });

  it('throttles with a token bucket of burstLimit refilled at rateLimit per second, on the clock', () => {
    const clock = new ManualClock();
    const keys = keysOf(
      { apiKeys: [{ name: 'k', value: 'key' }], usagePlan: { throttle: { burstLimit: 2, rateLimit: 1 } } },
      clock,
    );
    const status = () => {
      const checked = keys.check(withKey('key'));
      return checked.ok ? 200 : checked.result.statusCode;
    };
    assert.deepEqual([status(), status(), status()], [200, 200, 429]);
    clock.advance(999);
    assert.equal(status(), 429);
    clock.advance(1);
    assert.deepEqual([status(), status()], [200, 429]);
    clock.advance(10_000);
    assert.deepEqual([status(), status(), status()], [200, 200, 429]);
    const throttled = keys.check(withKey('key'));
    assert.ok(!throttled.ok);
    assert.equal(throttled.result.body, '{"message":"Too Many Requests"}');
  });

  it('counts a quota per UTC period and answers 429 Limit Exceeded beyond it', () => {
    const clock = new ManualClock(Date.parse('2024-05-01T23:59:59Z'));
    const keys = keysOf(
      { apiKeys: [{ name: 'k', value: 'key' }], usagePlan: { quota: { limit: 1, period: 'DAY' } } },
      clock,
    );
    assert.ok(keys.check(withKey('key')).ok);
    const over = keys.check(withKey('key'));
    assert.ok(!over.ok);
    assert.equal(over.result.body, '{"message":"Limit Exceeded"}');
    clock.advance(1000);
    assert.ok(keys.check(withKey('key')).ok);
  });

  it('starts weeks on Monday and months on the first, in UTC', () => {
    const wednesday = Date.parse('2024-05-01T10:00:00Z');
    assert.equal(new Date(periodStart('WEEK', wednesday)).toISOString(), '2024-04-29T00:00:00.000Z');
    assert.equal(new Date(periodStart('MONTH', wednesday)).toISOString(), '2024-05-01T00:00:00.000Z');
  });

  it('prints every key with its value', () => {
    assert.deepEqual(keysOf({ apiKeys: ['named', { name: 'off', value: 'v', enabled: false }] }).describe(), [
      'API key named: generated',
      'API key off: v (disabled)',
    ]);
  });
});
