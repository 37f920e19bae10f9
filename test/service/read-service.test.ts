import { strict as assert } from 'node:assert';
import { classify, sourcesOf } from '../../src/classify/classify';
import type { EventSpec } from '../../src/service/model';
import { readService } from '../../src/service/read-service';
import { modelOf, type ServiceConfig } from '../helpers/service';

const fnOf = (config: ServiceConfig, key: string) => {
  const model = modelOf(config);
  const fn = model.functions.find((f) => f.key === key);
  if (!fn) throw new Error(`no function ${key}`);
  return { fn, model };
};

const firstEvent = <T extends EventSpec['type']>(config: ServiceConfig, type: T) => {
  const spec = fnOf(config, Object.keys(config.functions)[0]).fn.events[0];
  assert.equal(spec.type, type);
  return spec as Extract<EventSpec, { type: T }>;
};

describe('reading serverless.yml', () => {
  it('reads a bare event key such as `- alexaSkill` as that event with no settings', () => {
    const spec = fnOf({ functions: { skill: { handler: 'h.h', events: ['alexaSkill'] } } }, 'skill').fn
      .events[0];
    assert.ok(spec.type === 'alexaSkill');
    assert.equal(spec.appId, undefined);
  });

  it("lets a function's httpApi.payload override the provider's", () => {
    const spec = firstEvent(
      {
        provider: { httpApi: { payload: '2.0' } },
        functions: { api: { handler: 'h.h', httpApi: { payload: '1.0' }, events: [{ httpApi: 'GET /x' }] } },
      },
      'httpApi',
    );
    assert.equal(spec.payload, '1.0');
  });

  it('names an s3 bucket after provider.s3.<name>.name when the event refers to it', () => {
    const spec = firstEvent(
      {
        provider: { s3: { uploads: { name: 'svc-uploads-dev' } } },
        functions: { onUpload: { handler: 'h.h', events: [{ s3: { bucket: 'uploads' } }] } },
      },
      's3',
    );
    assert.equal(spec.bucket, 'svc-uploads-dev');
  });

  it('keeps inputPath and inputTransformer of a schedule', () => {
    const transformer = { inputPathsMap: { t: '$.time' }, inputTemplate: '{"at": <t>}' };
    const spec = firstEvent(
      {
        functions: {
          cron: {
            handler: 'h.h',
            events: [{ schedule: { rate: ['rate(1 hour)'], inputTransformer: transformer } }],
          },
        },
      },
      'schedule',
    );
    assert.deepEqual(spec.inputTransformer, transformer);
  });

  it('resolves intrinsics in environment values to local names', () => {
    const { fn } = fnOf(
      {
        provider: { environment: { TABLE: { Ref: 'Orders' } } },
        functions: {
          api: { handler: 'h.h', environment: { QUEUE: { 'Fn::GetAtt': ['Jobs', 'QueueName'] }, N: 3 } },
        },
        resources: {
          Orders: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders-dev' } },
          Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs-dev' } },
        },
      },
      'api',
    );
    assert.deepEqual(fn.environment, { TABLE: 'orders-dev', QUEUE: 'jobs-dev', N: '3' });
  });

  describe('the account id', () => {
    const config = (emulate?: object) => ({
      service: 'svc',
      provider: { name: 'aws', environment: { ACCOUNT: { Ref: 'AWS::AccountId' }, QUEUE: { Ref: 'Jobs' } } },
      functions: {
        api: { handler: 'h.h', destinations: { onFailure: 'arn:aws:sns:us-east-1:111122223333:t' } },
      },
      resources: { Resources: { Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs' } } } },
      custom: emulate && { emulate },
    });
    const read = (emulate?: object, accountId?: string) =>
      readService(config(emulate), { stage: 'dev', region: 'us-east-1', serviceDir: '/tmp/svc', accountId });

    it('is 000000000000 unless custom.emulate.accountId or --account-id says otherwise', () => {
      assert.equal(read().accountId, '000000000000');
      const configured = read({ accountId: '123456789012' });
      assert.equal(configured.accountId, '123456789012');
      assert.deepEqual(configured.functions[0].environment, {
        ACCOUNT: '123456789012',
        QUEUE: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs',
      });
      assert.equal(read({ accountId: '123456789012' }, '210987654321').accountId, '210987654321');
    });

    it('refuses an account id that is not 12 digits, naming the key', () => {
      assert.throws(
        () => read({ accountId: '1234' }),
        /^ConfigError: Invalid configuration of custom\.emulate: custom\.emulate\.accountId must be 12 digits, got "1234"$/,
      );
    });
  });

  describe('http integrations', () => {
    const http = (settings: Record<string, unknown>) => {
      const { fn, model } = fnOf(
        {
          functions: {
            api: { handler: 'h.h', events: [{ http: { method: 'get', path: '/x', ...settings } }] },
          },
        },
        'api',
      );
      return classify(fn.events[0], fn, model);
    };

    it('describes the default status-code mapping of a lambda (non-proxy) integration', () => {
      const event = http({ integration: 'lambda' });
      assert.equal(event.invocation, 'sync');
      assert.ok(event.retry.owner === 'caller' && /\[NNN\]/.test(event.retry.behaviour));
    });

    describe('response.transferMode (osls)', () => {
      const modeOf = (settings: Record<string, unknown>, provider: Record<string, unknown> = {}) =>
        firstEvent(
          {
            provider,
            functions: {
              api: { handler: 'h.h', events: [{ http: { method: 'get', path: '/x', ...settings } }] },
            },
          },
          'http',
        ).transferMode;

      it('reads STREAM and BUFFERED in any case, BUFFERED when absent', () => {
        assert.equal(modeOf({ response: { transferMode: 'stream' } }), 'STREAM');
        assert.equal(modeOf({ response: { transferMode: 'Buffered' } }), 'BUFFERED');
        assert.equal(modeOf({}), 'BUFFERED');
      });

      it('refuses another value, and the mode on a lambda (non-proxy) integration, as osls does', () => {
        assert.throws(
          () => modeOf({ response: { transferMode: 'chunked' } }),
          /http\.response\.transferMode must be one of BUFFERED, STREAM, got "chunked"/,
        );
        assert.throws(
          () => modeOf({ integration: 'lambda', response: { transferMode: 'STREAM' } }),
          /transferMode can only be used with a proxy integration \(lambda-proxy\), not lambda/,
        );
      });

      it("reads provider.endpointType in any case, EDGE (the framework's default) when absent", () => {
        const endpointOf = (provider: Record<string, unknown>) =>
          modelOf({ provider, functions: {} }).api.rest.endpointType;
        assert.equal(endpointOf({}), 'EDGE');
        assert.equal(endpointOf({ endpointType: 'regional' }), 'REGIONAL');
        assert.throws(
          () => endpointOf({ endpointType: 'global' }),
          /endpointType must be one of EDGE, REGIONAL, PRIVATE/,
        );
      });
    });

    it('does not count http-proxy and mock integrations as invocations of the function', () => {
      for (const integration of ['http-proxy', 'mock']) {
        const event = http({ integration });
        assert.deepEqual([event.model, event.invocation], ['unknown', 'unknown'], integration);
      }
    });
  });

  describe('Lambda authorizers', () => {
    const service: ServiceConfig = {
      provider: { httpApi: { authorizers: { custom: { type: 'request', functionName: 'authHttpApi' } } } },
      functions: {
        auth: { handler: 'h.auth' },
        authHttpApi: { handler: 'h.auth' },
        authWs: { handler: 'h.auth' },
        private: {
          handler: 'h.private',
          events: [
            { http: { method: 'post', path: '/private', authorizer: 'auth' } },
            { http: { method: 'get', path: '/iam', authorizer: 'aws_iam' } },
            { httpApi: { method: 'get', path: '/v2', authorizer: { name: 'custom' } } },
            {
              websocket: {
                route: '$connect',
                authorizer: { name: 'authWs', identitySource: ['route.request.header.Auth'] },
              },
            },
          ],
        },
      },
    };

    it('lists the routes a function authorizes as sync push sources of type authorizer', () => {
      const model = modelOf(service);
      const sources = (key: string) => {
        const fn = model.functions.find((f) => f.key === key);
        assert.ok(fn);
        return sourcesOf(fn).map((spec) => {
          const { model: m, invocation, service: awsService } = classify(spec, fn, model);
          return spec.type === 'authorizer'
            ? `${spec.api} ${spec.route} -> ${spec.protects} (${spec.authorizerType}) ${m}/${invocation} ${awsService}`
            : spec.type;
        });
      };
      assert.deepEqual(sources('auth'), [
        'http POST /private -> private (TOKEN) push/sync API Gateway Lambda authorizer',
      ]);
      assert.deepEqual(sources('authHttpApi'), [
        'httpApi GET /v2 -> private (REQUEST) push/sync API Gateway Lambda authorizer',
      ]);
      assert.deepEqual(sources('authWs'), [
        'websocket $connect -> private (REQUEST) push/sync API Gateway Lambda authorizer',
      ]);
    });

    it('records an IAM authorizer on the route without a function behind it', () => {
      const spec = fnOf(service, 'private').fn.events[1];
      assert.ok(spec.type === 'http');
      assert.deepEqual(spec.authorizer, { name: 'aws_iam', type: 'AWS_IAM' });
    });
  });

  describe('RecursiveLoop', () => {
    const loopOf = (config: Omit<ServiceConfig, 'functions'>, fn: Record<string, unknown> = {}) =>
      fnOf({ ...config, functions: { worker: { handler: 'h.h', ...fn } } }, 'worker').fn.recursiveLoop;

    it("is Lambda's default, Terminate, unless a setting says Allow", () => {
      assert.equal(loopOf({}), 'Terminate');
    });

    it("reads the function's recursiveLoop (osls, serverless v4) in any case", () => {
      assert.equal(loopOf({}, { recursiveLoop: 'allow' }), 'Allow');
    });

    it("reads the RecursiveLoop of the function's resource, where serverless v3 users override it", () => {
      const resources = { WorkerLambdaFunction: { Properties: { RecursiveLoop: 'Allow' } } };
      assert.equal(loopOf({ resources }), 'Allow');
      assert.equal(loopOf({ resources }, { recursiveLoop: 'Terminate' }), 'Terminate');
    });

    it('reads custom.emulate.functions.<key>.recursiveLoop last', () => {
      const custom = { emulate: { functions: { worker: { recursiveLoop: 'Allow' } } } };
      assert.equal(loopOf({ custom }), 'Allow');
    });

    it('refuses another value, and a custom.emulate entry for no function, naming the key', () => {
      assert.throws(
        () => loopOf({}, { recursiveLoop: 'Stop' }),
        /functions\.worker\.recursiveLoop must be one of Allow, Terminate, got "Stop"/,
      );
      assert.throws(
        () => loopOf({ custom: { emulate: { functions: { wroker: { recursiveLoop: 'Allow' } } } } }),
        /custom\.emulate\.functions\.wroker names no function of this service \(its functions: worker\)/,
      );
    });
  });
});
