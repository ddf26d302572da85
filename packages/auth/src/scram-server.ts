// The server side of SCRAM (RFC 5802 §5, SHA-256 / SHA-512 as Kafka): client-first → server-first
// (salt, iterations, nonce) → client-final (proof) → server-final (signature). An unknown user gets a
// made-up salt and goes on to fail at the proof like a wrong password, so replies do not reveal who exists.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SaslAuthenticationError } from './auth-errors';
import { type ScramCredential, hash, hmac } from './scram-credential';
import type { ScramMechanism } from '@mq/protocol';
import type { SaslServer, ScramCredentialLookup } from './sasl-server';

export interface ScramServerOptions {
  /** The server's part of the nonce; default 24 random bytes as hex (RFC 7677's test vector injects its own). */
  readonly nonce?: () => string;
  /** Keys the fake salts of unknown users, so they stay the same between attempts; default random per process. */
  readonly fakeSaltKey?: Buffer;
}

const PROCESS_FAKE_SALT_KEY = randomBytes(32);

type State = 'client-first' | 'client-final' | 'complete' | 'failed';

export class ScramServer implements SaslServer {
  readonly mechanism: string;
  private readonly m: ScramMechanism;
  private readonly lookup: ScramCredentialLookup;
  private readonly opts: ScramServerOptions;
  private state: State = 'client-first';
  private user: string | undefined;
  private credential: ScramCredential | undefined;
  private knownUser = false;
  private gs2Header = '';
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private clientNonce = '';

  constructor(m: ScramMechanism, lookup: ScramCredentialLookup, opts: ScramServerOptions = {}) {
    this.m = m;
    this.mechanism = m.name;
    this.lookup = lookup;
    this.opts = opts;
  }

  get complete(): boolean {
    return this.state === 'complete';
  }

  get authorizationId(): string | undefined {
    return this.state === 'complete' ? this.user : undefined;
  }

  get claimedUser(): string | undefined {
    return this.user;
  }

  evaluate(token: Buffer): Buffer {
    try {
      if (this.state === 'client-first') return this.clientFirst(token);
      if (this.state === 'client-final') return this.clientFinal(token);
      throw new SaslAuthenticationError(`${this.mechanism}: unexpected token after the exchange ${this.state === 'complete' ? 'completed' : 'failed'}`);
    } catch (err) {
      this.state = 'failed';
      throw err instanceof SaslAuthenticationError ? err : new SaslAuthenticationError(`${this.mechanism}: malformed message`, { cause: err });
    }
  }

  private clientFirst(token: Buffer): Buffer {
    const text = utf8(token);
    // gs2-header = gs2-cbind-flag "," [ authzid ] ","; channel binding ('p=') is not offered by Kafka.
    const m = /^([ny]),(a=[^,]*)?,(.*)$/s.exec(text);
    if (m === null) throw new SaslAuthenticationError(`${this.mechanism}: invalid client-first message`);
    this.gs2Header = text.slice(0, text.length - m[3]!.length);
    const bare = m[3]!;
    const attrs = bare.split(',');
    if (attrs[0]?.startsWith('m=')) throw new SaslAuthenticationError(`${this.mechanism}: mandatory extensions are not supported`);
    if (!attrs[0]?.startsWith('n=') || !attrs[1]?.startsWith('r=')) throw new SaslAuthenticationError(`${this.mechanism}: invalid client-first message`);
    const user = saslName(attrs[0].slice(2));
    const clientNonce = attrs[1].slice(2);
    if (user === '' || !/^[\x21-\x2b\x2d-\x7e]+$/.test(clientNonce)) throw new SaslAuthenticationError(`${this.mechanism}: invalid client-first message`);
    this.user = user;
    // Kafka's extensions (KIP-368: tokenauth=true for delegation tokens); none is supported here.
    for (const ext of attrs.slice(2)) {
      if (ext === 'tokenauth=true') throw new SaslAuthenticationError(`${this.mechanism}: delegation tokens are not supported`);
    }
    if (m[2] !== undefined && saslName(m[2].slice(2)) !== user) {
      throw new SaslAuthenticationError(`${this.mechanism}: the authorization id must be the user name`);
    }
    const found = this.lookup.credential(user, this.mechanism);
    this.knownUser = found !== undefined;
    this.credential = found ?? this.fakeCredential(user);
    this.clientFirstBare = bare;
    this.clientNonce = clientNonce;
    // Alphanumeric, as Kafka's ScramFormatter makes it.
    this.nonce = clientNonce + (this.opts.nonce?.() ?? randomBytes(24).toString('hex'));
    this.serverFirst = `r=${this.nonce},s=${this.credential.salt.toString('base64')},i=${this.credential.iterations}`;
    this.state = 'client-final';
    return Buffer.from(this.serverFirst, 'utf8');
  }

  private clientFinal(token: Buffer): Buffer {
    const text = utf8(token);
    const at = text.lastIndexOf(',p=');
    if (at < 0) throw new SaslAuthenticationError(`${this.mechanism}: invalid client-final message`);
    const withoutProof = text.slice(0, at);
    const attrs = withoutProof.split(',');
    if (attrs[0] !== `c=${Buffer.from(this.gs2Header, 'utf8').toString('base64')}`) {
      throw new SaslAuthenticationError(`${this.mechanism}: channel binding does not match the client-first message`);
    }
    // librdkafka before 2.6.1 (Debian's kcat: 2.0.2) sends its client nonce twice (librdkafka#4895);
    // Kafka 3.8.1+ accepts that too. Either way the server's fresh nonce must be there, in full.
    if (attrs[1] !== `r=${this.nonce}` && attrs[1] !== `r=${this.clientNonce}${this.nonce}`) throw new SaslAuthenticationError(`${this.mechanism}: nonce mismatch`);
    const proof = Buffer.from(text.slice(at + 3), 'base64');
    const c = this.credential!;
    if (proof.length !== this.m.keyLength) throw new SaslAuthenticationError();
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const signature = hmac(this.m, c.storedKey, authMessage);
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    const matches = timingSafeEqual(hash(this.m, clientKey), c.storedKey);
    if (!matches || !this.knownUser) throw new SaslAuthenticationError();
    this.state = 'complete';
    return Buffer.from(`v=${hmac(this.m, c.serverKey, authMessage).toString('base64')}`, 'utf8');
  }

  /** A credential no password matches, with a salt that stays the same for the same user name. */
  private fakeCredential(user: string): ScramCredential {
    const key = this.opts.fakeSaltKey ?? PROCESS_FAKE_SALT_KEY;
    const salt = createHmac('sha256', key).update(`${this.mechanism}:${user}`).digest();
    return { salt, iterations: 4096, storedKey: randomBytes(this.m.keyLength), serverKey: randomBytes(this.m.keyLength) };
  }
}

/** RFC 5802's saslname: ',' and '=' arrive as '=2C' and '=3D'; any other '=' is malformed. */
function saslName(s: string): string {
  if (/=(?!2C|3D)/.test(s)) throw new SaslAuthenticationError('invalid user name encoding');
  return s.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

function utf8(token: Buffer): string {
  const text = token.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(token)) throw new SaslAuthenticationError('SCRAM messages must be UTF-8');
  return text;
}
