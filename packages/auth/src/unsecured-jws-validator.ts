// Kafka's OAuthBearerUnsecuredValidatorCallbackHandler: an unsecured JWS (RFC 7515 Appendix A.5:
// header alg "none", an empty signature) whose claims pass the shared checks. Anyone can write such
// a token for any principal: for development and tests only (the broker warns at start).
import { parseCompactJws } from './jws';
import { type JwtClaimRules, checkClaims } from './jwt-claims';
import { type OAuthBearerToken, OAuthBearerValidationError, type OAuthBearerValidator } from './oauthbearer-token';

export class UnsecuredJwsValidator implements OAuthBearerValidator {
  constructor(private readonly rules: JwtClaimRules = {}) {}

  validate(token: string): OAuthBearerToken {
    const jws = parseCompactJws(token);
    if (jws.header.alg !== 'none') throw new OAuthBearerValidationError(`unsecured tokens only: the header's alg is ${JSON.stringify(jws.header.alg ?? null)}, not "none"`);
    if (jws.signature.length > 0) throw new OAuthBearerValidationError('an unsecured token must have an empty signature');
    return checkClaims(jws.claims, this.rules);
  }
}
