import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AwsEndpoint, type AwsRequest, type AwsResponse } from '../../../src/aws/endpoint';
import type { CredentialScope } from '../../../src/aws/signature';
import { StsService } from '../../../src/aws/sts/sts-service';
import { UnemulatedServices } from '../../../src/aws/unemulated';
import { placeholderCredentials } from '../../../src/lambda/credentials';
import { ManualClock } from '../../helpers/manual-clock';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const NOW = Date.parse('2024-05-01T12:00:00Z');
/** The function the harness knows, with its placeholder credentials as Lambda's environment carries them. */
export const FUNCTION_NAME = 'orders-dev-worker';
export const ROLE_NAME = 'orders-dev-us-east-1-lambdaRole';
export const FUNCTION_KEYS = placeholderCredentials(FUNCTION_NAME);
export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface Harness {
  url: string;
  clock: ManualClock;
  /** What was forwarded to AWS (passthrough). */
  forwarded: Array<{ request: AwsRequest; scope: CredentialScope }>;
  logs: string[];
  stop(): Promise<void>;
}

/** UnemulatedServices with STS answered locally, on a real AwsEndpoint (port 0), on a manual clock. */
export async function startSts(options: { passthrough?: string[] } = {}): Promise<Harness> {
  const clock = new ManualClock(NOW);
  const forwarded: Harness['forwarded'] = [];
  const logs: string[] = [];
  const sts = new StsService({
    accountId: ACCOUNT,
    clock,
    functionOf: (key) =>
      key === FUNCTION_KEYS.AWS_ACCESS_KEY_ID ? { name: FUNCTION_NAME, roleName: ROLE_NAME } : undefined,
  });
  const unemulated = new UnemulatedServices({
    passthrough: new Set(options.passthrough ?? []),
    forward: async (request, scope): Promise<AwsResponse> => {
      forwarded.push({ request, scope });
      return { status: 200, headers: { 'content-type': 'text/xml' }, body: '<forwarded/>' };
    },
    functionOf: (key) => (key === FUNCTION_KEYS.AWS_ACCESS_KEY_ID ? 'worker' : undefined),
    log: (line) => logs.push(line),
    local: { sts },
  });
  const endpoint = new AwsEndpoint([unemulated]);
  const url = await endpoint.start('127.0.0.1', 0);
  return { url, clock, forwarded, logs, stop: () => endpoint.stop() };
}

/** A JWT (unsigned: STS here reads its claims, it does not verify them). */
export function webIdentityToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

const PYTHON_ENV = (home: string) => ({
  PATH: process.env.PATH,
  HOME: home,
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
});

/**
 * Runs a Python script with boto3: `client(name, **kwargs)` makes a client of the harness's endpoint
 * (test keys unless given), `call(fn)` prints fn()'s JSON or the ClientError's code, status and message,
 * one line per call: the lines are returned, parsed.
 */
export async function boto3(url: string, script: string): Promise<Array<Record<string, unknown>>> {
  const prelude = [
    'import boto3, json, datetime',
    'from botocore.exceptions import ClientError',
    'def client(name, **kwargs):',
    `    kwargs.setdefault('aws_access_key_id', 'test'); kwargs.setdefault('aws_secret_access_key', 'test')`,
    `    kwargs.setdefault('endpoint_url', '${url}')`,
    `    return boto3.client(name, region_name='${REGION}', **kwargs)`,
    'def call(fn):',
    '    try:',
    '        out = fn(); out.pop("ResponseMetadata", None)',
    '        print(json.dumps(out, default=lambda v: v.isoformat() if isinstance(v, datetime.datetime) else str(v)))',
    '    except ClientError as e:',
    "        print(json.dumps({'code': e.response['Error']['Code'], 'message': e.response['Error'].get('Message'),",
    "                          'status': e.response['ResponseMetadata']['HTTPStatusCode']}))",
  ].join('\n');
  const { stdout } = await promisify(execFile)('python3', ['-c', `${prelude}\n${script}`], {
    env: PYTHON_ENV('/tmp'),
  });
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The AWS CLI v1 (`python3 -m awscli`) against the endpoint: its exit code, stdout and stderr. */
export async function awsCli(
  url: string,
  args: string[],
  keys: { id: string; secret: string; token?: string } = { id: 'test', secret: 'test' },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...PYTHON_ENV('/tmp'),
    AWS_ACCESS_KEY_ID: keys.id,
    AWS_SECRET_ACCESS_KEY: keys.secret,
    ...(keys.token ? { AWS_SESSION_TOKEN: keys.token } : {}),
    AWS_DEFAULT_REGION: REGION,
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(
      'python3',
      ['-m', 'awscli', ...args, '--endpoint-url', url, '--output', 'json'],
      { env },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
