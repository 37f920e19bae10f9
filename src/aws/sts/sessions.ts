import { createHash, randomBytes } from 'node:crypto';
import { isoSeconds, type Clock } from '../../clock';
import { buildArn, parseArn, partitionOf } from '../../service/arn';
import { AwsError } from '../aws-error';
import { BoundedMap } from '../../bounded-map';

/** Who a set of credentials belongs to, as GetCallerIdentity answers it. */
export interface Identity {
  Arn: string;
  UserId: string;
  Account: string;
}

/** The function whose placeholder access key signed a call: its name (the session) and its role's name. */
export interface FunctionIdentity {
  name: string;
  roleName: string;
}

export interface SessionsOptions {
  /** The emulated account: `custom.emulate.accountId`, else 000000000000. */
  accountId: string;
  /** Expirations are times on this clock. */
  clock: Clock;
  /** The function a per-function placeholder access key belongs to. */
  functionOf(accessKey: string): FunctionIdentity | undefined;
}

/** Who signed the call: its access key and the region of its credential scope (for the partition). */
export interface Caller {
  accessKey?: string;
  region: string;
}

export type Params = URLSearchParams;

// AWS's limits: role sessions from 15 minutes to 12 hours (1 hour by default), GetSessionToken's from
// 15 minutes to 36 hours (12 hours by default).
const ROLE_DURATION = { min: 900, max: 43_200, byDefault: 3600 };
const SESSION_TOKEN_DURATION = { min: 900, max: 129_600, byDefault: 43_200 };
const SESSION_NAME = /^[\w+=,.@-]*$/;
// The credentials handed out are remembered so that GetCallerIdentity knows them; the oldest go first.
const REMEMBERED = 10_000;

const validation = (message: string) => new AwsError('ValidationError', message);

/**
 * STS's sessions, answered locally with placeholder credentials that grant nothing (the emulator does
 * not check signatures): AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken, GetCallerIdentity and
 * GetAccessKeyInfo. Nothing reaches AWS.
 */
export class Sessions {
  private readonly issued = new BoundedMap<string, Identity>(REMEMBERED);

  constructor(private readonly options: SessionsOptions) {}

  /** The operations by their Query `Action`. */
  readonly operations: Readonly<Record<string, (params: Params, caller: Caller) => Record<string, unknown>>> =
    {
      GetCallerIdentity: (_params, caller) => ({ ...this.identityOf(caller) }),
      GetAccessKeyInfo: (params) => {
        required(params, 'AccessKeyId', 'accessKeyId');
        return { Account: this.options.accountId };
      },
      AssumeRole: (params) => this.assumeRole(params),
      AssumeRoleWithWebIdentity: (params) => this.assumeRoleWithWebIdentity(params),
      GetSessionToken: (params, caller) => this.getSessionToken(params, caller),
    };

  /**
   * The caller of GetCallerIdentity: a function's placeholder key is the function's role session
   * (`assumed-role/<role>/<function name>`, as Lambda's credentials are); credentials this service
   * handed out are their session; any other key (the developer's own, `test`) is the account's root.
   */
  identityOf(caller: Caller): Identity {
    const { accountId } = this.options;
    const key = caller.accessKey ?? '';
    const issued = this.issued.get(key);
    if (issued) return issued;
    const fn = this.options.functionOf(key);
    if (fn) {
      const roleArn = buildArn('iam', '', accountId, `role/${fn.roleName}`, partitionOf(caller.region));
      return roleSession(roleArn, fn.name);
    }
    return {
      Arn: buildArn('iam', '', accountId, 'root', partitionOf(caller.region)),
      UserId: accountId,
      Account: accountId,
    };
  }

  private assumeRole(params: Params) {
    const roleArn = roleArnOf(params);
    const sessionName = sessionNameOf(params);
    const duration = durationOf(params, ROLE_DURATION);
    const identity = roleSession(roleArn, sessionName);
    return {
      Credentials: this.issue(identity, duration),
      AssumedRoleUser: { AssumedRoleId: identity.UserId, Arn: identity.Arn },
      PackedPolicySize: params.has('Policy') || params.has('Tags.member.1.Key') ? 6 : undefined,
      SourceIdentity: params.get('SourceIdentity') ?? undefined,
    };
  }

  /** The token is read, not verified: its `sub`, `iss` and `aud` claims are answered as STS does. */
  private assumeRoleWithWebIdentity(params: Params) {
    const roleArn = roleArnOf(params);
    const sessionName = sessionNameOf(params);
    const token = required(params, 'WebIdentityToken', 'webIdentityToken');
    if (token.length < 4) {
      throw validation(
        `1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4`,
      );
    }
    const claims = jwtClaims(token);
    const duration = durationOf(params, ROLE_DURATION);
    const identity = roleSession(roleArn, sessionName);
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    return {
      Credentials: this.issue(identity, duration),
      SubjectFromWebIdentityToken: text(claims.sub),
      AssumedRoleUser: { AssumedRoleId: identity.UserId, Arn: identity.Arn },
      Provider: params.get('ProviderId') ?? text(claims.iss),
      Audience: text(Array.isArray(claims.aud) ? claims.aud[0] : claims.aud),
    };
  }

  /** As STS does, session credentials (a function's, an assumed role's) cannot get a session token. */
  private getSessionToken(params: Params, caller: Caller) {
    const identity = this.identityOf(caller);
    if (identity.Arn.includes(':assumed-role/') || identity.Arn.includes(':federated-user/')) {
      throw new AwsError('AccessDenied', 'Cannot call GetSessionToken with session credentials', {
        statusCode: 403,
      });
    }
    const duration = durationOf(params, SESSION_TOKEN_DURATION);
    return { Credentials: this.issue(identity, duration) };
  }

  private issue(identity: Identity, seconds: number) {
    const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    this.issued.set(accessKeyId, identity);
    return {
      AccessKeyId: accessKeyId,
      SecretAccessKey: randomBytes(30).toString('base64'),
      SessionToken: `emulate-${randomBytes(96).toString('base64')}`,
      Expiration: isoSeconds(new Date(this.options.clock.now() + seconds * 1000)),
    };
  }
}

/** A role's session: `arn:aws:sts::<account>:assumed-role/<role name>/<session>` (the role's path left out). */
export function roleSession(roleArn: string, sessionName: string): Identity {
  const arn = parseArn(roleArn);
  const account = arn?.account ?? '';
  const roleName = (arn?.resource ?? '').split('/').pop() ?? '';
  const partition = roleArn.split(':')[1];
  return {
    Arn: buildArn('sts', '', account, `assumed-role/${roleName}/${sessionName}`, partition),
    UserId: `${roleId(roleArn)}:${sessionName}`,
    Account: account,
  };
}

/** A role's unique id, `AROA` and 17 characters, the same for the same role ARN. */
export function roleId(roleArn: string): string {
  return `AROA${createHash('sha256').update(roleArn).digest('hex').toUpperCase().slice(0, 17)}`;
}

function required(params: Params, name: string, member: string): string {
  const value = params.get(name);
  if (value === null) {
    throw validation(
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** An IAM role's ARN, of any account: `arn:<partition>:iam::<account>:role/<path><name>`. */
function roleArnOf(params: Params): string {
  const value = required(params, 'RoleArn', 'roleArn');
  if (value.length < 20) {
    throw validation(
      `1 validation error detected: Value '${value}' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20`,
    );
  }
  const arn = parseArn(value);
  if (
    !arn ||
    arn.service !== 'iam' ||
    !/^\d{12}$/.test(arn.account) ||
    !/^role\/(.+\/)?[^/]+$/.test(arn.resource)
  ) {
    throw validation(`${value} is invalid`);
  }
  return value;
}

function sessionNameOf(params: Params): string {
  const value = required(params, 'RoleSessionName', 'roleSessionName');
  const at = `1 validation error detected: Value '${value}' at 'roleSessionName' failed to satisfy constraint:`;
  if (value.length < 2) throw validation(`${at} Member must have length greater than or equal to 2`);
  if (value.length > 64) throw validation(`${at} Member must have length less than or equal to 64`);
  if (!SESSION_NAME.test(value)) {
    throw validation(`${at} Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  return value;
}

function durationOf(params: Params, limits: { min: number; max: number; byDefault: number }): number {
  const text = params.get('DurationSeconds');
  if (text === null) return limits.byDefault;
  const value = Number(text);
  const at = `1 validation error detected: Value '${text}' at 'durationSeconds' failed to satisfy constraint:`;
  if (!/^-?\d+$/.test(text)) throw validation(`${at} Member must be an integer`);
  if (value < limits.min)
    throw validation(`${at} Member must have value greater than or equal to ${limits.min}`);
  if (value > limits.max)
    throw validation(`${at} Member must have value less than or equal to ${limits.max}`);
  return value;
}

/** The claims of a JWT (header.payload.signature), unverified; anything else is STS's InvalidIdentityToken. */
function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    if (typeof claims === 'object' && claims !== null && !Array.isArray(claims)) {
      return claims as Record<string, unknown>;
    }
  } catch {
    // Answered below.
  }
  throw new AwsError(
    'InvalidIdentityToken',
    "Couldn't parse the web identity token: it is not a JSON Web Token",
  );
}
