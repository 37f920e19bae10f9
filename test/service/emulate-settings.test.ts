import { strict as assert } from 'node:assert';
import { emulateSchema, readEmulateSettings } from '../../src/service/emulate-settings';
import { ConfigReader } from '../../src/service/reader';

const read = (emulate: unknown) =>
  readEmulateSettings(new ConfigReader('custom.emulate', emulate, 'custom.emulate'));

describe('service/emulate-settings: custom.emulate', () => {
  it("applies the defaults: AWS's polling rates, 1 s before a stream retry, the embedded sources", () => {
    assert.deepEqual(read(undefined), {
      stateDir: undefined,
      accountId: undefined,
      allowedHosts: [],
      functions: new Map(),
      jwks: new Map(),
      passthrough: [],
      retryDelayScale: undefined,
      pull: {
        pollInterval: { kinesis: 1000, dynamodb: 250 },
        retryDelay: 1000,
        external: undefined,
        sources: new Map(),
      },
    });
  });

  it('reads every setting, numbers given as strings too', () => {
    const settings = read({
      passthrough: ['ssm', 'secretsmanager'],
      async: { retryDelayScale: '0.5' },
      pull: {
        pollInterval: { kinesis: 0 },
        retryDelay: 50,
        region: 'eu-west-1',
        sources: { orders: { endpoint: 'http://127.0.0.1:9324' } },
      },
    });
    assert.deepEqual(settings.passthrough, ['ssm', 'secretsmanager']);
    assert.deepEqual(read({ passthrough: 'ssm' }).passthrough, ['ssm']);
    assert.equal(settings.retryDelayScale, 0.5);
    assert.deepEqual(settings.pull.pollInterval, { kinesis: 0, dynamodb: 250 });
    assert.equal(settings.pull.retryDelay, 50);
    assert.deepEqual(settings.pull.external, { endpoint: undefined, region: 'eu-west-1' });
    assert.deepEqual(
      [...settings.pull.sources],
      [['orders', { endpoint: 'http://127.0.0.1:9324', region: undefined }]],
    );
  });

  it('names the first setting that is wrong, with its range or type', () => {
    const invalid = (emulate: unknown, message: string) =>
      assert.throws(
        () => read(emulate),
        (error: Error & { code: string }) =>
          error.code === 'EMULATE_INVALID_CONFIG' &&
          error.message === `Invalid configuration of custom.emulate: custom.emulate.${message}`,
      );
    invalid(
      { async: { retryDelayScale: -1 }, pull: { retryDelay: 'x' } },
      'async.retryDelayScale must be a number from 0 to 9007199254740991, got -1',
    );
    invalid(
      { pull: { pollInterval: { dynamodb: 3_600_001 } } },
      'pull.pollInterval.dynamodb must be a number from 0 to 3600000, got 3600001',
    );
    invalid({ pull: { endpoint: 5 } }, 'pull.endpoint must be a string, got 5');
    invalid(
      { pull: { sources: { orders: { region: 3 } } } },
      'pull.sources.orders.region must be a string, got 3',
    );
  });

  it('gives the framework a schema that refuses unknown keys at every level', () => {
    const schema = emulateSchema() as {
      additionalProperties: boolean;
      properties: {
        async: { properties: { retryDelayScale: object } };
        pull: { additionalProperties: boolean; properties: { sources: { additionalProperties: object } } };
      };
    };
    assert.equal(schema.additionalProperties, false);
    assert.equal(schema.properties.pull.additionalProperties, false);
    assert.deepEqual(schema.properties.async.properties.retryDelayScale, {
      type: 'number',
      description: "Multiplies AWS's async retry delays (1 = AWS's timing); --retry-delay-scale overrides it",
      minimum: 0,
    });
    assert.deepEqual(schema.properties.pull.properties.sources.additionalProperties, {
      type: 'object',
      properties: {
        endpoint: {
          type: 'string',
          description:
            'URL of the AWS APIs to poll (LocalStack, ElasticMQ); absent: AWS itself for the region',
        },
        region: { type: 'string', description: 'Region of the polled source' },
      },
      additionalProperties: false,
    });
  });
});
