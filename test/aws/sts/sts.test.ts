import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import AWS from 'aws-sdk';
import assert from 'node:assert/strict';
import {
  ACCOUNT,
  credentials,
  FUNCTION_KEYS,
  FUNCTION_NAME,
  NOW,
  REGION,
  ROLE_NAME,
  startSts,
  webIdentityToken,
  type Harness,
} from './helpers';

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service/deployer`;

/** The error an SDK v3 call rejects with: its name, HTTP status and message. */
async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number }; Code?: string };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  assert.fail('the call succeeded');
}

describe('STS (SDK v3, aws-sdk v2): answered locally with the emulated account', () => {
  let harness: Harness;
  let sts: STSClient;
  const clientWith = (keys: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new STSClient({ endpoint: harness.url, region: REGION, credentials: keys, maxAttempts: 1 });

  before(async () => {
    harness = await startSts();
    sts = clientWith(credentials);
  });
  after(async () => {
    sts.destroy();
    await harness.stop();
  });

  it("GetCallerIdentity: any key but a function's or a session's is the account's root", async () => {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(out.Account, ACCOUNT);
    assert.equal(out.Arn, `arn:aws:iam::${ACCOUNT}:root`);
    assert.equal(out.UserId, ACCOUNT);
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.match(out.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.deepEqual(harness.forwarded, []);
  });

  it("GetCallerIdentity with a function's placeholder key: the function's session of its role, as in Lambda", async () => {
    const fn = clientWith({
      accessKeyId: FUNCTION_KEYS.AWS_ACCESS_KEY_ID,
      secretAccessKey: FUNCTION_KEYS.AWS_SECRET_ACCESS_KEY,
      sessionToken: FUNCTION_KEYS.AWS_SESSION_TOKEN,
    });
    const out = await fn.send(new GetCallerIdentityCommand({}));
    fn.destroy();
    assert.equal(out.Account, ACCOUNT);
    assert.equal(out.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/${FUNCTION_NAME}`);
    assert.match(out.UserId ?? '', new RegExp(`^AROA[0-9A-Z]{17}:${FUNCTION_NAME}$`));
  });

  it("AssumeRole: placeholder credentials in AWS's shape, expiring on the emulator's clock; they are the session's identity", async () => {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'deploy-1' }));
    const { Credentials, AssumedRoleUser } = out;
    assert.match(Credentials?.AccessKeyId ?? '', /^ASIA[0-9A-F]{16}$/);
    assert.ok((Credentials?.SecretAccessKey ?? '').length >= 40);
    assert.ok(Credentials?.SessionToken);
    assert.ok(Credentials?.Expiration instanceof Date);
    assert.equal(Credentials?.Expiration?.getTime(), NOW + 3600_000);
    // The role's path is not in the assumed-role ARN, as in AWS.
    assert.equal(AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/deploy-1`);
    assert.match(AssumedRoleUser?.AssumedRoleId ?? '', /^AROA[0-9A-Z]{17}:deploy-1$/);
    assert.equal(out.PackedPolicySize, undefined);

    const session = clientWith({
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken,
    });
    const identity = await session.send(new GetCallerIdentityCommand({}));
    assert.deepEqual(
      { Arn: identity.Arn, UserId: identity.UserId, Account: identity.Account },
      { Arn: AssumedRoleUser?.Arn, UserId: AssumedRoleUser?.AssumedRoleId, Account: ACCOUNT },
    );
    // As in AWS, a role session cannot get a session token.
    assert.deepEqual(await rejection(session.send(new GetSessionTokenCommand({}))), {
      name: 'AccessDenied',
      status: 403,
      message: 'Cannot call GetSessionToken with session credentials',
    });
    session.destroy();
  });

  it("AssumeRole: DurationSeconds within AWS's limits, a role of another account, the same role's id", async () => {
    harness.clock.advance(60_000);
    const short = await sts.send(
      new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'short', DurationSeconds: 900 }),
    );
    assert.equal(short.Credentials?.Expiration?.getTime(), NOW + 60_000 + 900_000);
    const again = await sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'again' }));
    assert.equal(
      short.AssumedRoleUser?.AssumedRoleId?.split(':')[0],
      again.AssumedRoleUser?.AssumedRoleId?.split(':')[0],
    );
    const other = await sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::210987654321:role/audit', RoleSessionName: 'x1' }),
    );
    assert.equal(other.AssumedRoleUser?.Arn, 'arn:aws:sts::210987654321:assumed-role/audit/x1');
    const tagged = await sts.send(
      new AssumeRoleCommand({
        RoleArn: ROLE_ARN,
        RoleSessionName: 'tagged',
        Tags: [{ Key: 'team', Value: 'orders' }],
      }),
    );
    assert.equal(typeof tagged.PackedPolicySize, 'number');
  });

  it('AssumeRole: invalid input is ValidationError (400), as STS answers it', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [
        { RoleArn: ROLE_ARN, RoleSessionName: 'x', DurationSeconds: 100 },
        /'roleSessionName'.*length greater than or equal to 2/,
      ],
      [
        { RoleArn: ROLE_ARN, RoleSessionName: 'ok', DurationSeconds: 100 },
        /Value '100' at 'durationSeconds'.*greater than or equal to 900/,
      ],
      [{ RoleArn: ROLE_ARN, RoleSessionName: 'ok', DurationSeconds: 43201 }, /less than or equal to 43200/],
      [{ RoleArn: ROLE_ARN, RoleSessionName: 'has space' }, /regular expression pattern: \[\\w\+=,\.@-\]\*/],
      [{ RoleArn: 'arn:aws:iam::123456789012:user/bob', RoleSessionName: 'ok' }, /user\/bob is invalid/],
      [{ RoleArn: 'role', RoleSessionName: 'ok' }, /'roleArn'.*length greater than or equal to 20/],
    ];
    for (const [input, message] of cases) {
      const error = await rejection(sts.send(new AssumeRoleCommand(input as never)));
      assert.equal(error.name, 'ValidationError', JSON.stringify(input));
      assert.equal(error.status, 400);
      assert.match(error.message, message);
    }
  });

  it("AssumeRoleWithWebIdentity (unsigned, as the SDK sends it): the token's claims, not verified", async () => {
    const token = webIdentityToken({
      sub: 'user-42',
      iss: 'https://issuer.example.com',
      aud: ['app-1', 'x'],
    });
    const anonymous = new STSClient({ endpoint: harness.url, region: REGION, maxAttempts: 1 });
    const out = await anonymous.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: ROLE_ARN,
        RoleSessionName: 'web',
        WebIdentityToken: token,
        DurationSeconds: 7200,
      }),
    );
    assert.equal(out.SubjectFromWebIdentityToken, 'user-42');
    assert.equal(out.Provider, 'https://issuer.example.com');
    assert.equal(out.Audience, 'app-1');
    assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/web`);
    assert.equal(out.Credentials?.Expiration?.getTime(), harness.clock.now() + 7200_000);
    const error = await rejection(
      anonymous.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: ROLE_ARN,
          RoleSessionName: 'web',
          WebIdentityToken: 'not-a-jwt',
        }),
      ),
    );
    assert.equal(error.name, 'InvalidIdentityTokenException');
    assert.equal(error.status, 400);
    anonymous.destroy();
  });

  it('GetSessionToken: 12 hours by default; GetAccessKeyInfo: the account', async () => {
    const out = await sts.send(new GetSessionTokenCommand({}));
    assert.equal(out.Credentials?.Expiration?.getTime(), harness.clock.now() + 43_200_000);
    const longest = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 129_600 }));
    assert.equal(longest.Credentials?.Expiration?.getTime(), harness.clock.now() + 129_600_000);
    const info = await sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' }));
    assert.equal(info.Account, ACCOUNT);
  });

  it('an STS action not emulated is InvalidAction naming it, and nothing goes to AWS', async () => {
    const error = await rejection(sts.send(new GetFederationTokenCommand({ Name: 'bob' })));
    assert.equal(error.name, 'InvalidAction');
    assert.equal(error.status, 400);
    assert.match(
      error.message,
      /sls emulate does not emulate sts:GetFederationToken.*custom\.emulate\.passthrough/,
    );
    assert.deepEqual(harness.forwarded, []);
  });

  it('an unknown action and a request without Action answer in Query XML', async () => {
    const authorization = `AWS4-HMAC-SHA256 Credential=test/20240501/${REGION}/sts/aws4_request, SignedHeaders=host, Signature=0`;
    const post = (body: string) =>
      fetch(harness.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization },
        body,
      });
    const unknown = await post('Action=Nope&Version=2011-06-15');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.headers.get('content-type'), 'text/xml');
    assert.match(
      await unknown.text(),
      /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>Could not find operation Nope for version 2011-06-15<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );
    const missing = await post('Version=2011-06-15');
    assert.equal(missing.status, 400);
    assert.match(await missing.text(), /<Code>MissingAction<\/Code>/);
    const get = await fetch(`${harness.url}/?Action=GetCallerIdentity&Version=2011-06-15`, {
      headers: { authorization },
    });
    assert.equal(get.status, 200);
    assert.match(await get.text(), new RegExp(`<Arn>arn:aws:iam::${ACCOUNT}:root</Arn>`));
  });

  it('aws-sdk v2: GetCallerIdentity and AssumeRole', async () => {
    const v2 = new AWS.STS({ endpoint: harness.url, region: REGION, credentials, maxRetries: 0 });
    const identity = await v2.getCallerIdentity().promise();
    assert.equal(identity.Account, ACCOUNT);
    assert.equal(identity.Arn, `arn:aws:iam::${ACCOUNT}:root`);
    const assumed = await v2.assumeRole({ RoleArn: ROLE_ARN, RoleSessionName: 'v2' }).promise();
    assert.equal(assumed.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/v2`);
    assert.equal(assumed.Credentials?.Expiration.getTime(), harness.clock.now() + 3600_000);
    const error = await v2
      .assumeRole({ RoleArn: ROLE_ARN, RoleSessionName: 'v2', DurationSeconds: 10 })
      .promise()
      .catch((e: AWS.AWSError) => e);
    assert.equal((error as AWS.AWSError).code, 'ValidationError');
    assert.equal((error as AWS.AWSError).statusCode, 400);
  });
});

describe('STS opted into custom.emulate.passthrough', () => {
  let harness: Harness;
  before(async () => {
    harness = await startSts({ passthrough: ['sts'] });
  });
  after(() => harness.stop());

  it('forwards signed and unsigned STS calls to AWS, answering nothing locally', async () => {
    const sts = new STSClient({ endpoint: harness.url, region: 'eu-west-1', credentials, maxAttempts: 1 });
    await sts.send(new GetCallerIdentityCommand({})).catch(() => undefined);
    const anonymous = new STSClient({ endpoint: harness.url, region: 'eu-west-1', maxAttempts: 1 });
    await anonymous
      .send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: ROLE_ARN,
          RoleSessionName: 'web',
          WebIdentityToken: webIdentityToken({ sub: 'x' }),
        }),
      )
      .catch(() => undefined);
    sts.destroy();
    anonymous.destroy();
    assert.deepEqual(
      harness.forwarded.map(({ scope }) => [scope.service, scope.region]),
      [
        ['sts', 'eu-west-1'],
        ['sts', 'us-east-1'],
      ],
    );
    assert.match(harness.forwarded[0].request.body.toString(), /Action=GetCallerIdentity/);
    assert.match(harness.forwarded[1].request.body.toString(), /Action=AssumeRoleWithWebIdentity/);
  });
});
