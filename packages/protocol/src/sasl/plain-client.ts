// The client side of SASL PLAIN (RFC 4616): one token, NUL authcid NUL passwd; the server's empty
// answer ends it.
import type { SaslClient } from './sasl-client';

export class PlainClient implements SaslClient {
  readonly mechanism = 'PLAIN';

  constructor(
    private readonly username: string,
    private readonly password: string,
  ) {}

  initial(): Buffer {
    return Buffer.from(`\u0000${this.username}\u0000${this.password}`, 'utf8');
  }

  evaluate(): undefined {
    return undefined;
  }
}
