import path from 'node:path';
import type { ServiceModel } from './model';
import { ConfigReader } from './reader';
import { readSettings, settingsSchema, type Settings } from './settings';

const MILLISECONDS = { min: 0, max: 3_600_000 };
export const ACCOUNT_ID = /^\d{12}$/;
export const DEFAULT_STATE_DIR = '.emulate';

// Where a mapping polls a source instead of the embedded service: `custom.emulate.pull` for every
// mapping, or one of `custom.emulate.pull.sources`.
const EXTERNAL_SOURCE = {
  endpoint: {
    type: 'string',
    description: 'URL of the AWS APIs to poll (LocalStack, ElasticMQ); absent: AWS itself for the region',
  },
  region: { type: 'string', description: 'Region of the polled source' },
} as const satisfies Settings;

/** The plugin's own settings, `custom.emulate` in serverless.yml. */
const EMULATE_SETTINGS = {
  stateDir: {
    type: 'string',
    description: `Folder of the durable state, relative to the service (default ${DEFAULT_STATE_DIR}); --state-dir overrides it`,
  },
  accountId: {
    type: 'string',
    description:
      'The account id in every ARN and queue URL (default 000000000000); --account-id overrides it',
  },
  allowedHosts: {
    type: 'strings',
    description:
      'Host names the ports answer besides loopback names, IP addresses and --host (`.example.com`: it and its subdomains)',
  },
  passthrough: {
    type: 'strings',
    description:
      "AWS services (signing names: ssm, secretsmanager, ...) whose calls from handlers go to AWS itself, with the developer's credentials",
  },
  async: {
    type: 'object',
    description: 'How the async engine runs Event invocations',
    properties: {
      retryDelayScale: {
        type: 'number',
        description:
          "Multiplies AWS's async retry delays (1 = AWS's timing); --retry-delay-scale overrides it",
        range: { min: 0, max: Number.MAX_SAFE_INTEGER },
        schema: { minimum: 0 },
      },
    },
  },
  authorizers: {
    type: 'map',
    description: "API Gateway's JWT and Cognito authorizers, by name",
    values: {
      jwks: {
        type: 'string',
        description:
          "The signing keys (a JWKS file, relative to the service, or URL) instead of the issuer's own",
      },
    },
  },
  functions: {
    type: 'map',
    description: "Per function (its key under functions): Lambda's settings the framework cannot write",
    values: {
      recursiveLoop: {
        type: 'string',
        description:
          "Allow or Terminate (Lambda's default): whether a recursive loop through SQS, SNS, S3 or Lambda is stopped",
      },
    },
  },
  pull: {
    type: 'object',
    description: 'How the event source mappings poll',
    properties: {
      pollInterval: {
        type: 'object',
        description:
          'Milliseconds between polls of an idle shard; 0: as soon as an embedded stream has records',
        // AWS's rates: a Kinesis shard is polled once per second, a DynamoDB stream's four times per second.
        properties: {
          kinesis: { type: 'number', description: 'Of a Kinesis stream', range: MILLISECONDS, default: 1000 },
          dynamodb: {
            type: 'number',
            description: 'Of a DynamoDB stream',
            range: MILLISECONDS,
            default: 250,
          },
        },
      },
      retryDelay: {
        type: 'number',
        description: 'Milliseconds before a stream batch that failed is retried',
        range: MILLISECONDS,
        default: 1000,
      },
      ...EXTERNAL_SOURCE,
      sources: {
        type: 'map',
        description: 'Per source, by ARN or name: where to poll it instead',
        values: EXTERNAL_SOURCE,
      },
    },
  },
} as const satisfies Settings;

/** The JSON schema of `custom.emulate`, for the framework's validation of serverless.yml. */
export const emulateSchema = (): object => settingsSchema(EMULATE_SETTINGS);

/** Reads `custom.emulate`: an external source for every mapping when it names an endpoint or a region. */
export function readEmulateSettings(emulate: ConfigReader): ServiceModel['emulate'] {
  const { stateDir, accountId, allowedHosts, passthrough, async, authorizers, functions, pull } =
    readSettings(emulate, EMULATE_SETTINGS);
  if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) {
    emulate.fail('accountId', `must be 12 digits, got "${accountId}"`);
  }
  const { endpoint, region } = pull;
  return {
    stateDir,
    accountId,
    allowedHosts,
    passthrough,
    retryDelayScale: async.retryDelayScale,
    functions,
    jwks: new Map(
      [...authorizers].flatMap(([name, { jwks }]) => (jwks === undefined ? [] : [[name, jwks] as const])),
    ),
    pull: {
      pollInterval: pull.pollInterval,
      retryDelay: pull.retryDelay,
      external: endpoint !== undefined || region !== undefined ? { endpoint, region } : undefined,
      sources: pull.sources,
    },
  };
}

/** The state folder in force: `--state-dir`, else `custom.emulate.stateDir`, else `.emulate`. */
export function resolveStateDir(serviceDir: string, option?: string, configured?: string): string {
  return path.resolve(serviceDir, option ?? configured ?? DEFAULT_STATE_DIR);
}

/** `custom.emulate.stateDir` alone, so that `sls package` never fails on the other settings. */
export function configuredStateDir(emulate: unknown): string | undefined {
  return new ConfigReader('custom.emulate', emulate, 'custom.emulate').string('stateDir');
}
