// OAUTHBEARER tokens for tests, made with node:crypto: Kafka's unsecured JWS (alg none) and JWTs
// signed with HS256 / RS256 / ES256, the keys a broker verifies them with as a JWKS, and an HTTP
// server on loopback serving that JWKS (what an identity provider's jwks_uri is) and, for clients it
// knows, RS256 tokens by the OAuth client-credentials grant at /token (an identity provider's token endpoint).
import { type KeyObject, createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const b64 = (v: object | Buffer) => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');

/** A JWT's claims for `sub`, valid from now for `lifetimeSeconds` (on the given wall clock, ms). */
export function claimsFor(sub: string, lifetimeSeconds: number, nowMs = Date.now(), extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { sub, iat: Math.floor(nowMs / 1000), exp: Math.floor(nowMs / 1000) + lifetimeSeconds, ...extra };
}

export function unsecuredToken(claims: object): string {
  return `${b64({ alg: 'none' })}.${b64(claims)}.`;
}

export type SigningAlg = 'HS256' | 'RS256' | 'ES256';

/** One key pair (or secret) per algorithm, each with its kid; `jwks()` is the public side. */
export class TestSigningKeys {
  readonly rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  readonly ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  readonly secret = randomBytes(32);

  sign(alg: SigningAlg, claims: object, kid: string = alg.toLowerCase()): string {
    const input = `${b64({ alg, typ: 'JWT', kid })}.${b64(claims)}`;
    const data = Buffer.from(input);
    let sig: Buffer;
    if (alg === 'HS256') sig = createHmac('sha256', this.secret).update(data).digest();
    else if (alg === 'ES256') sig = sign('sha256', data, { key: this.ec.privateKey, dsaEncoding: 'ieee-p1363' });
    else sig = sign('sha256', data, this.rsa.privateKey);
    return `${input}.${b64(sig)}`;
  }

  /** A token signed by a key the broker does not know, under a kid it does. */
  forged(alg: 'RS256', claims: object): string {
    const other: KeyObject = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const input = `${b64({ alg, typ: 'JWT', kid: 'rs256' })}.${b64(claims)}`;
    return `${input}.${b64(sign('sha256', Buffer.from(input), other))}`;
  }

  jwks(): { keys: object[] } {
    return {
      keys: [
        { ...this.rsa.publicKey.export({ format: 'jwk' }), kid: 'rs256', alg: 'RS256', use: 'sig' },
        { ...this.ec.publicKey.export({ format: 'jwk' }), kid: 'es256', alg: 'ES256', use: 'sig' },
        { kty: 'oct', k: this.secret.toString('base64url'), kid: 'hs256', alg: 'HS256' },
      ],
    };
  }
}

/** A client of the token endpoint: its secret, and the claims of the tokens it gets. */
export interface TokenClient {
  readonly secret: string;
  claims(): object;
  /** expires_in of the answer, seconds. */
  readonly lifetimeSeconds: number;
}

/**
 * Serves `body()` as JSON at /jwks.json on 127.0.0.1; counts the fetches. With `keys` and `clients`,
 * POST /token answers the client-credentials grant (RFC 6749 §4.4: client id and secret as HTTP
 * Basic) with a token `keys` sign (RS256), 401 for anyone else; `tokens` counts what it issued.
 */
export class JwksServer {
  fetches = 0;
  tokens: string[] = [];
  private constructor(private readonly server: Server, readonly url: string) {}

  get tokenUrl(): string {
    return this.url.replace(/\/jwks\.json$/, '/token');
  }

  static async start(body: () => object, issuer?: { readonly keys: TestSigningKeys; readonly clients: ReadonlyMap<string, TokenClient> }): Promise<JwksServer> {
    let self: JwksServer | undefined;
    const server = createServer((req, res) => {
      if (req.url === '/token' && req.method === 'POST' && issuer !== undefined) {
        let form = '';
        req.on('data', (c: Buffer) => (form += c.toString()));
        req.on('end', () => {
          const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
          const [id, secret] = basic === null ? [] : Buffer.from(basic[1]!, 'base64').toString().split(':').map(decodeURIComponent);
          const client = id === undefined ? undefined : issuer.clients.get(id);
          if (new URLSearchParams(form).get('grant_type') !== 'client_credentials' || client === undefined || client.secret !== secret) {
            res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client' }));
            return;
          }
          const token = issuer.keys.sign('RS256', client.claims());
          self?.tokens.push(token);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: client.lifetimeSeconds }));
        });
        return;
      }
      if (self !== undefined) self.fetches += 1;
      if (req.url !== '/jwks.json') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new JwksServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`);
    return self;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
