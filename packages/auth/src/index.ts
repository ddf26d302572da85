// @mq/auth public API: server-side SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER with
// unsecured-JWS and signed-JWT validators), the client side a
// broker speaks to other brokers, SCRAM credentials (derivation, encoding) and their store on the
// metadata `scram` namespace.
export { SaslAuthenticationError, UnsupportedSaslMechanismError, IllegalSaslStateError, UnacceptableCredentialError } from './auth-errors';
export type { SaslServer, ScramCredentialLookup } from './sasl-server';
export { SaslAuthenticator, SUPPORTED_SASL_MECHANISMS, type SaslAuthenticatorOptions } from './sasl-authenticator';
export { PlainServer } from './plain-server';
// The client side lives in @mq/protocol (@mq/client speaks it too); re-exported for the broker.
export { saslClient, type SaslClient, type SaslClientCredentials, PlainClient, ScramClient, formatOAuthBearerClientResponse } from '@mq/protocol';
export { PlainUsers } from './plain-users';
export { ScramServer, type ScramServerOptions } from './scram-server';
export { SCRAM_MECHANISMS, SCRAM_SHA_256, SCRAM_SHA_512, scramMechanism, scramMechanismOfType, type ScramMechanism, type ScramMechanismName } from '@mq/protocol';
export {
  checkCredentialShape,
  credentialFromPassword,
  credentialFromSaltedPassword,
  decodeCredential,
  encodeCredential,
  saltedPassword,
  type CredentialFromPasswordOptions,
  type ScramCredential,
} from './scram-credential';
export { SCRAM_NAMESPACE, ScramCredentialStore, type ScramCredentialInfo } from './scram-credential-store';
export { PasswordVerifier, type PasswordVerifierOptions } from './password-verifier';
export { OAuthBearerServer } from './oauthbearer-server';
export { parseOAuthBearerClientResponse, type OAuthBearerClientResponse } from './oauthbearer-client-response';
export { OAuthBearerValidationError, type OAuthBearerErrorStatus, type OAuthBearerToken, type OAuthBearerValidator } from './oauthbearer-token';
export type { JwtClaimRules } from './jwt-claims';
export { UnsecuredJwsValidator } from './unsecured-jws-validator';
export { JWT_ALGORITHMS, JwtValidator, type JwtValidatorOptions } from './jwt-validator';
export { JsonWebKeySet, JsonWebKeySetError, type JwkKeyType, type VerificationKey } from './json-web-key-set';
