import assert from 'node:assert/strict';
import {
  ACCOUNT,
  awsCli,
  boto3,
  FUNCTION_KEYS,
  FUNCTION_NAME,
  NOW,
  ROLE_NAME,
  startSts,
  webIdentityToken,
  type Harness,
} from './helpers';

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/deployer`;
const NOT_EMULATED = (service: string) =>
  new RegExp(`^sls emulate does not emulate ${service} \\(127\\.0\\.0\\.1:\\d+\\): the call was refused`);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', '+00:00');

describe('STS and services not emulated through boto3 and the AWS CLI v1', function () {
  this.timeout(60_000);
  let harness: Harness;

  before(async () => {
    harness = await startSts();
  });
  after(() => harness.stop());

  it('boto3: GetCallerIdentity (the root, a function), AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken', async () => {
    const token = webIdentityToken({ sub: 'u1', iss: 'https://issuer.example.com', aud: 'app' });
    const [root, fn, assumed, web, session, fnSession, invalid] = await boto3(
      harness.url,
      [
        "sts = client('sts')",
        'call(sts.get_caller_identity)',
        `fn = client('sts', aws_access_key_id='${FUNCTION_KEYS.AWS_ACCESS_KEY_ID}', aws_secret_access_key='${FUNCTION_KEYS.AWS_SECRET_ACCESS_KEY}', aws_session_token='${FUNCTION_KEYS.AWS_SESSION_TOKEN}')`,
        'call(fn.get_caller_identity)',
        `call(lambda: sts.assume_role(RoleArn='${ROLE_ARN}', RoleSessionName='py', DurationSeconds=1800))`,
        `call(lambda: sts.assume_role_with_web_identity(RoleArn='${ROLE_ARN}', RoleSessionName='web', WebIdentityToken='${token}'))`,
        'call(sts.get_session_token)',
        'call(fn.get_session_token)',
        `call(lambda: sts.assume_role(RoleArn='${ROLE_ARN}', RoleSessionName='has space'))`,
      ].join('\n'),
    );
    assert.deepEqual(root, { UserId: ACCOUNT, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
    assert.equal(fn.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/${FUNCTION_NAME}`);
    const credentials = assumed.Credentials as Record<string, string>;
    assert.match(credentials.AccessKeyId, /^ASIA[0-9A-F]{16}$/);
    assert.equal(credentials.Expiration, iso(NOW + 1800_000));
    assert.deepEqual(Object.keys(assumed.AssumedRoleUser as object), ['AssumedRoleId', 'Arn']);
    assert.equal(
      (assumed.AssumedRoleUser as Record<string, string>).Arn,
      `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/py`,
    );
    assert.equal(web.SubjectFromWebIdentityToken, 'u1');
    assert.equal(web.Audience, 'app');
    assert.equal(web.Provider, 'https://issuer.example.com');
    assert.equal((session.Credentials as Record<string, string>).Expiration, iso(NOW + 43_200_000));
    assert.deepEqual(fnSession, {
      code: 'AccessDenied',
      message: 'Cannot call GetSessionToken with session credentials',
      status: 403,
    });
    assert.equal(invalid.code, 'ValidationError');
    assert.match(String(invalid.message), /'roleSessionName' failed to satisfy constraint/);
    assert.equal(invalid.status, 400);
  });

  it('boto3: IAM (Query), SSM (JSON), API Gateway (REST-JSON), Route 53 (REST-XML), EC2 and an unknown STS action are named ClientErrors', async () => {
    const [iam, ssm, apigateway, route53, ec2, cloudformation, federation] = await boto3(
      harness.url,
      [
        "call(client('iam').list_roles)",
        "call(lambda: client('ssm').get_parameter(Name='x'))",
        "call(client('apigateway').get_rest_apis)",
        "call(client('route53').list_hosted_zones)",
        "call(client('ec2').describe_instances)",
        "call(client('cloudformation').list_stacks)",
        "call(lambda: client('sts').get_federation_token(Name='bob'))",
      ].join('\n'),
    );
    for (const [error, code, service] of [
      [iam, 'AccessDenied', 'iam'],
      [ssm, 'AccessDeniedException', 'ssm'],
      [apigateway, 'AccessDeniedException', 'apigateway'],
      [route53, 'AccessDenied', 'route53'],
      [ec2, 'AccessDenied', 'ec2'],
      [cloudformation, 'AccessDenied', 'cloudformation'],
    ] as const) {
      assert.equal(error.code, code, service);
      assert.equal(error.status, 403, service);
      assert.match(String(error.message), NOT_EMULATED(service));
    }
    assert.equal(federation.code, 'InvalidAction');
    assert.match(String(federation.message), /does not emulate sts:GetFederationToken/);
    assert.deepEqual(harness.forwarded, []);
  });

  it('AWS CLI: sts get-caller-identity and assume-role; iam list-roles fails naming iam', async () => {
    const identity = await awsCli(harness.url, ['sts', 'get-caller-identity']);
    assert.equal(identity.code, 0, identity.stderr);
    assert.deepEqual(JSON.parse(identity.stdout), {
      UserId: ACCOUNT,
      Account: ACCOUNT,
      Arn: `arn:aws:iam::${ACCOUNT}:root`,
    });
    const fn = await awsCli(harness.url, ['sts', 'get-caller-identity'], {
      id: FUNCTION_KEYS.AWS_ACCESS_KEY_ID,
      secret: FUNCTION_KEYS.AWS_SECRET_ACCESS_KEY,
      token: FUNCTION_KEYS.AWS_SESSION_TOKEN,
    });
    assert.equal(
      JSON.parse(fn.stdout).Arn,
      `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/${FUNCTION_NAME}`,
    );
    const assumed = await awsCli(harness.url, [
      'sts',
      'assume-role',
      '--role-arn',
      ROLE_ARN,
      '--role-session-name',
      'cli',
    ]);
    assert.equal(assumed.code, 0, assumed.stderr);
    const { Credentials, AssumedRoleUser } = JSON.parse(assumed.stdout);
    assert.equal(AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/cli`);
    // The CLI prints the timestamp as STS wrote it.
    assert.equal(Credentials.Expiration, '2024-05-01T13:00:00Z');
    const iam = await awsCli(harness.url, ['iam', 'list-roles']);
    assert.notEqual(iam.code, 0);
    assert.match(
      iam.stderr,
      /An error occurred \(AccessDenied\) when calling the ListRoles operation: sls emulate does not emulate iam /,
    );
    const unknown = await awsCli(harness.url, ['sts', 'get-federation-token', '--name', 'bob']);
    assert.match(
      unknown.stderr,
      /An error occurred \(InvalidAction\) when calling the GetFederationToken operation/,
    );
  });
});
