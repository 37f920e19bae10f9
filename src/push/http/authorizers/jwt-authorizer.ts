import type { JWTPayload } from 'jose';
import type { Clock } from '../../../clock';
import type { JwtAuthorizerRef } from '../../../service/model';
import { loadJose, type SigningKeys } from './jwks';

/**
 * A token checked as API Gateway checks it: HTTP API's JWT authorizer
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html: an RSA
 * signature by a key of the issuer's JWKS, `exp` after now, `nbf` and `iat` before it, `iss` the
 * issuer, `aud` or `client_id` one of the audiences, and one of the route's scopes in `scope`/`scp`,
 * else 403) and REST's Cognito user pool authorizer (the pool's issuer; without scopes an ID token,
 * with scopes an access token carrying one of them). Times come from the injected clock.
 */

export type JwtDecision =
  | { effect: 'allow'; claims: JWTPayload; scopes: string[] | null }
  | { effect: 'unauthorized'; reason: string }
  | { effect: 'forbidden'; reason: string };

const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512'];

/** The token's scopes: `scope` (space-separated, OAuth 2) or `scp` (Okta, Azure: a list or a string). */
function scopesOf(claims: JWTPayload): string[] | null {
  const value = claims.scope ?? claims.scp;
  if (typeof value === 'string') return value.split(' ').filter((scope) => scope !== '');
  if (Array.isArray(value)) return value.map(String);
  return null;
}

const asList = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];

export class JwtAuthorizer {
  constructor(
    readonly ref: JwtAuthorizerRef,
    readonly keys: SigningKeys,
    private readonly clock: Clock,
  ) {}

  async authorize(value: string | undefined, scopes: readonly string[]): Promise<JwtDecision> {
    if (value === undefined) return { effect: 'unauthorized', reason: 'no token' };
    const token = value.replace(/^Bearer\s+/i, '');
    const { compactVerify, decodeJwt, decodeProtectedHeader } = await loadJose();
    let claims: JWTPayload;
    try {
      decodeProtectedHeader(token);
      claims = decodeJwt(token);
    } catch {
      return { effect: 'unauthorized', reason: 'the token is not a JWT' };
    }
    if (this.keys.resolve) {
      try {
        await compactVerify(token, this.keys.resolve, { algorithms: RSA_ALGORITHMS });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return { effect: 'unauthorized', reason: `the signature does not verify: ${reason}` };
      }
    }
    const refused = this.claimsProblem(claims, scopes);
    if (refused) return { effect: 'unauthorized', reason: refused };
    const granted = scopesOf(claims);
    if (scopes.length > 0 && !scopes.some((scope) => granted?.includes(scope))) {
      const reason = `expected one of the scopes ${scopes.join(', ')}`;
      // REST's Cognito authorizer answers a missing scope as any other invalid token.
      return this.ref.type === 'JWT' ? { effect: 'forbidden', reason } : { effect: 'unauthorized', reason };
    }
    return { effect: 'allow', claims, scopes: granted };
  }

  /** What is wrong with the claims, or undefined. */
  private claimsProblem(claims: JWTPayload, scopes: readonly string[]): string | undefined {
    const now = this.clock.now() / 1000;
    const { ref } = this;
    if (typeof claims.exp !== 'number') return 'the token has no exp';
    if (claims.exp <= now) return 'the token has expired';
    if (typeof claims.nbf === 'number' && claims.nbf > now) return 'the token is not valid yet (nbf)';
    if (typeof claims.iat === 'number' && claims.iat > now) return 'the token is issued in the future (iat)';
    if (ref.issuer !== undefined && claims.iss !== ref.issuer) {
      return `the token's issuer ${String(claims.iss)} is not ${ref.issuer}`;
    }
    if (ref.type === 'JWT') {
      const audiences = [...asList(claims.aud), ...asList(claims.client_id)];
      if (!audiences.some((audience) => ref.audience.includes(audience))) {
        return `the token's audience (aud, client_id) is none of ${ref.audience.join(', ')}`;
      }
    } else {
      const expected = scopes.length > 0 ? 'access' : 'id';
      if (claims.token_use !== expected) return `a ${expected} token is expected (token_use)`;
    }
    return undefined;
  }
}
