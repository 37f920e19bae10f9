import { parseCredentialScope } from '../../../aws/signature';
import { buildArn } from '../../../service/arn';
import { headerOf, parseQuery } from '../request';

/**
 * `authorizer: aws_iam`: API Gateway wants a SigV4 signature (Authorization header or presigned query)
 * scoped to `execute-api`. The emulator has no IAM and checks no signature: any credentials pass, and the
 * caller is named by its access key. An unsigned request gets 403 Missing Authentication Token.
 */

export type IamCheck =
  | { signed: true; caller: IamCaller }
  | { signed: false; reason: 'unsigned' | 'wrong service'; service?: string };

export interface IamCaller {
  accessKey: string;
  accountId: string;
  /** The emulator's stand-in for the IAM user behind the key. */
  userArn: string;
}

export function iamCheck(rawHeaders: readonly string[], rawQuery: string, accountId: string): IamCheck {
  const authorization = headerOf(rawHeaders, 'authorization');
  const signed = authorization?.startsWith('AWS4-HMAC-SHA256 ') ? authorization : undefined;
  const presigned = rawQuery.includes('X-Amz-Credential')
    ? parseQuery(rawQuery)['X-Amz-Credential']?.[0]
    : undefined;
  const scope = parseCredentialScope(signed, presigned);
  if (!scope) return { signed: false, reason: 'unsigned' };
  if (scope.service !== 'execute-api')
    return { signed: false, reason: 'wrong service', service: scope.service };
  return {
    signed: true,
    caller: {
      accessKey: scope.accessKey,
      accountId,
      userArn: buildArn('iam', '', accountId, `user/${scope.accessKey}`),
    },
  };
}
