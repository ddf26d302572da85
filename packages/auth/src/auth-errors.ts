// The typed errors of authentication: the classes of @mq/errors (one per Kafka code), and
// SaslAuthenticationError, whose default message says nothing about which part was wrong.
import { type KafkaErrorOptions, SaslAuthenticationFailedError } from '@mq/errors';

export { IllegalSaslStateError, UnacceptableCredentialError, UnsupportedSaslMechanismError } from '@mq/errors';

/**
 * SASL_AUTHENTICATION_FAILED (58): wrong password, unknown user, a malformed token. The message
 * goes to the client, so it never says which of those it was (nor anything of the secret).
 */
export class SaslAuthenticationError extends SaslAuthenticationFailedError {
  constructor(message = 'Authentication failed: Invalid username or password', options?: KafkaErrorOptions) {
    super(message, options);
  }
}
