// The server side of SASL PLAIN (RFC 4616): one token, authzid NUL authcid NUL passwd, checked
// against PlainUsers. Meant for TLS listeners: the password crosses the wire as it is.
import { SaslAuthenticationError } from './auth-errors';
import type { PlainUsers } from './plain-users';
import type { SaslServer } from './sasl-server';

export class PlainServer implements SaslServer {
  readonly mechanism = 'PLAIN';
  private readonly users: PlainUsers;
  private done = false;
  private user: string | undefined;
  private ok = false;

  constructor(users: PlainUsers) {
    this.users = users;
  }

  get complete(): boolean {
    return this.ok;
  }

  get authorizationId(): string | undefined {
    return this.ok ? this.user : undefined;
  }

  get claimedUser(): string | undefined {
    return this.user;
  }

  evaluate(token: Buffer): Buffer {
    if (this.done) throw new SaslAuthenticationError('PLAIN: unexpected token after the exchange');
    this.done = true;
    const parts = token.toString('utf8').split('\u0000');
    if (parts.length !== 3) throw new SaslAuthenticationError('PLAIN: invalid message: expected authzid NUL authcid NUL passwd');
    const [authzid, authcid, password] = parts as [string, string, string];
    if (authcid === '') throw new SaslAuthenticationError('PLAIN: the user name must not be empty');
    this.user = authcid;
    if (password === '') throw new SaslAuthenticationError('PLAIN: the password must not be empty');
    // As Kafka's PlainSaslServer: authorizing as someone else is not supported.
    if (authzid !== '' && authzid !== authcid) throw new SaslAuthenticationError('PLAIN: the authorization id must be empty or the user name');
    if (!this.users.verify(authcid, password)) throw new SaslAuthenticationError();
    this.ok = true;
    return Buffer.alloc(0);
  }
}
