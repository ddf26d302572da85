// The client side of SCRAM (RFC 5802 §3, SHA-256 / SHA-512 as Kafka): client-first → (server-first)
// client-final with the proof → (server-final) the server's signature checked, so a server that
// does not hold the user's credential cannot pass for the broker.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { SaslAuthenticationFailedError as SaslAuthenticationError } from '@mq/errors';
import { type ScramMechanism, hash, hmac, saltedPassword } from './scram-mechanism';
import type { SaslClient } from './sasl-client';

const GS2_HEADER = 'n,,';

export class ScramClient implements SaslClient {
  readonly mechanism: string;
  private readonly clientNonce: string;
  private clientFirstBare = '';
  private serverSignature: Buffer | undefined;
  private done = false;

  constructor(
    private readonly m: ScramMechanism,
    private readonly username: string,
    private readonly password: string,
    nonce: () => string = () => randomBytes(24).toString('base64url'),
  ) {
    this.mechanism = m.name;
    this.clientNonce = nonce();
  }

  initial(): Buffer {
    this.clientFirstBare = `n=${saslName(this.username)},r=${this.clientNonce}`;
    return Buffer.from(GS2_HEADER + this.clientFirstBare, 'utf8');
  }

  evaluate(challenge: Buffer): Buffer | undefined {
    if (this.done) throw new SaslAuthenticationError(`${this.mechanism}: unexpected message after the exchange`);
    if (this.serverSignature === undefined) return this.clientFinal(challenge.toString('utf8'));
    this.done = true;
    const text = challenge.toString('utf8');
    if (text.startsWith('e=')) throw new SaslAuthenticationError(`${this.mechanism}: the server refused: ${text.slice(2)}`);
    const v = text.startsWith('v=') ? Buffer.from(text.slice(2), 'base64') : Buffer.alloc(0);
    if (v.length !== this.serverSignature.length || !timingSafeEqual(v, this.serverSignature)) {
      throw new SaslAuthenticationError(`${this.mechanism}: the server's signature does not match (it does not hold this user's credential)`);
    }
    return undefined;
  }

  private clientFinal(serverFirst: string): Buffer {
    const attrs = new Map(serverFirst.split(',').map((a) => [a.slice(0, 1), a.slice(2)] as const));
    const nonce = attrs.get('r');
    const salt = attrs.get('s');
    const iterations = Number(attrs.get('i'));
    if (nonce === undefined || salt === undefined || !Number.isInteger(iterations) || iterations < 1) {
      throw new SaslAuthenticationError(`${this.mechanism}: invalid server-first message`);
    }
    if (!nonce.startsWith(this.clientNonce) || nonce.length === this.clientNonce.length) throw new SaslAuthenticationError(`${this.mechanism}: the server's nonce does not extend ours`);
    if (iterations < this.m.minIterations || iterations > this.m.maxIterations) throw new SaslAuthenticationError(`${this.mechanism}: ${iterations} iterations is outside ${this.m.minIterations}..${this.m.maxIterations}`);
    const salted = saltedPassword(this.m, this.password, Buffer.from(salt, 'base64'), iterations);
    const clientKey = hmac(this.m, salted, 'Client Key');
    const storedKey = hash(this.m, clientKey);
    const withoutProof = `c=${Buffer.from(GS2_HEADER, 'utf8').toString('base64')},r=${nonce}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = hmac(this.m, storedKey, authMessage);
    const proof = Buffer.alloc(clientKey.length);
    for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i]! ^ signature[i]!;
    this.serverSignature = hmac(this.m, hmac(this.m, salted, 'Server Key'), authMessage);
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`, 'utf8');
  }
}

/** RFC 5802's saslname: ',' and '=' are sent as '=2C' and '=3D'. */
function saslName(s: string): string {
  return s.replace(/=/g, '=3D').replace(/,/g, '=2C');
}
