// How this broker reaches the others: the inter-broker listener's TLS and SASL, as the broker app
// resolved them (inter.broker.listener.name, sasl.mechanism.inter.broker.protocol, the broker's
// own credentials). A SASL exchange is structural here, so replication needs no auth package.
import type { ConnectionOptions } from 'node:tls';

/** One client-side SASL exchange (@mq/auth's SaslClient has this shape). */
export interface InterBrokerSaslExchange {
  readonly mechanism: string;
  initial(): Buffer;
  /** The next token for the server's answer; undefined when the exchange is over and verified. */
  evaluate(challenge: Buffer): Buffer | undefined;
}

export interface InterBrokerSecurity {
  /** node:tls options (ca, cert, checkServerIdentity...) when the inter-broker listener speaks TLS. */
  readonly tls?: ConnectionOptions;
  /** A fresh exchange per connection when it speaks SASL. */
  readonly sasl?: () => InterBrokerSaslExchange;
}
