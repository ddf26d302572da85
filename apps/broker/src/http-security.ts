// The HTTP listener's security from the http.* keys: HTTPS with the broker's ssl.* material
// (http.ssl.enabled, http.ssl.client.auth), authentication (http.authentication.methods: HTTP Basic
// against the SCRAM / PLAIN users the Kafka listeners use, bearer tokens checked by the OAUTHBEARER
// validator, TLS client certificates) and, with an
// authorizer configured, the same ACLs as the Kafka side. All off by default.
import { X509Certificate } from 'node:crypto';
import type { AclStore } from '@mq/acl';
import { type OAuthBearerValidator, PasswordVerifier, type ScramCredentialStore } from '@mq/auth';
import { BasicAuthenticator, type HttpAuthenticationMethod, type HttpAuthenticator, type HttpAuthorizer, type HttpTlsOptions } from '@mq/http';
import { type SslClientAuth, certificateSubject, peerCertificateSubject } from '@mq/server';
import type { Clock } from '@mq/timerwheel';
import type { Logger } from 'pino';
import { isLoopback } from './banner';
import { type BrokerSecurityOptions, plainUsers, tlsOptions } from './broker-security';
import { ConfigError } from './config-error';
import { HttpAclAuthorizer } from './http-acl-authorizer';
import { FORWARDED_PRINCIPAL_HEADER } from './schema-registry-forwarder';
import type { HttpAclRule } from './http-acl-rules';

export const HTTP_AUTHENTICATION_METHODS: readonly HttpAuthenticationMethod[] = ['basic', 'bearer', 'mtls'];

export interface BrokerHttpSecurityOptions {
  /** http.authentication.methods: `basic`, `bearer` and / or `mtls`; empty (default): none, everyone is User:ANONYMOUS. */
  readonly authentication?: readonly HttpAuthenticationMethod[];
  /** http.ssl.enabled: HTTPS with the ssl.* key material; clientAuth is http.ssl.client.auth (default none). */
  readonly ssl?: { readonly clientAuth?: SslClientAuth };
}

export interface HttpSecurityInputs {
  readonly http: BrokerHttpSecurityOptions;
  /** httpTls()'s answer, read before anything was bound. */
  readonly tls: HttpTlsOptions | undefined;
  readonly host: string;
  readonly security: BrokerSecurityOptions | undefined;
  readonly scram: ScramCredentialStore;
  /** The OAUTHBEARER validator (the Kafka listeners' or one set up for HTTP alone); needed for `bearer`. */
  readonly bearer: OAuthBearerValidator | undefined;
  readonly acls: AclStore | undefined;
  /** Rules of the schema registry's routes (by `METHOD path`). */
  readonly extraRules: ReadonlyMap<string, HttpAclRule>;
  /** connection.failed.authentication.delay.ms. */
  readonly failureDelayMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface HttpSecurity {
  readonly tls?: HttpTlsOptions;
  readonly authenticator?: HttpAuthenticator;
  readonly authorizer?: HttpAuthorizer;
}

/** Checked before anything is bound: mTLS without HTTPS asking for certificates cannot authenticate anyone. */
export function checkHttpSecurity(http: BrokerHttpSecurityOptions): void {
  const methods = http.authentication ?? [];
  for (const m of methods) {
    if (!HTTP_AUTHENTICATION_METHODS.includes(m)) throw new ConfigError(`http.authentication.methods: ${String(m)} is not one of none, ${HTTP_AUTHENTICATION_METHODS.join(', ')}`);
  }
  if (methods.includes('mtls') && (http.ssl === undefined || (http.ssl.clientAuth ?? 'none') === 'none')) {
    throw new ConfigError('http.authentication.methods=mtls needs http.ssl.enabled=true and http.ssl.client.auth=requested or required');
  }
}

/** The HTTPS key material (the ssl.* files), or undefined for plain HTTP; a missing or unreadable file is a ConfigError. */
export async function httpTls(http: BrokerHttpSecurityOptions, security: BrokerSecurityOptions | undefined): Promise<HttpTlsOptions | undefined> {
  checkHttpSecurity(http);
  if (http.ssl === undefined) return undefined;
  const tls = await tlsOptions({ ...security?.ssl, clientAuth: http.ssl.clientAuth ?? 'none' });
  return { key: tls.key, cert: tls.cert, passphrase: tls.passphrase, ca: tls.ca, clientAuth: tls.clientAuth ?? 'none' };
}

export async function httpSecurity(i: HttpSecurityInputs): Promise<HttpSecurity> {
  const methods = i.http.authentication ?? [];
  const tls = i.tls;
  let authenticator: HttpAuthenticator | undefined;
  if (methods.length > 0) {
    const verifier = new PasswordVerifier({ scramCredentials: i.scram, plainUsers: await plainUsers(i.security), now: () => i.clock.monotonic() });
    const bearer = i.bearer;
    const brokers = methods.includes('mtls') && tls !== undefined ? brokerPrincipals(tls) : new Set<string>();
    authenticator = new BasicAuthenticator({
      methods,
      verifyPassword: (user, password) => verifier.verify(user, password),
      ...(bearer === undefined ? {} : { verifyBearer: (token: string) => bearer.validate(token).principalName }),
      certificateSubject: peerCertificateSubject,
      ...(brokers.size === 0 ? {} : { forwardedPrincipal: { header: FORWARDED_PRINCIPAL_HEADER, trusted: (p: string) => brokers.has(p) } }),
      failureDelayMs: i.failureDelayMs,
      sleep: (ms) => new Promise((resolve) => i.clock.schedule(ms, resolve)),
      logger: i.logger,
    });
  } else if (!isLoopback(i.host)) {
    i.logger.warn({ host: i.host }, 'the HTTP listener is bound beyond loopback without authentication: set http.authentication.methods=basic');
  }
  return {
    ...(tls === undefined ? {} : { tls }),
    ...(authenticator === undefined ? {} : { authenticator }),
    ...(i.acls === undefined ? {} : { authorizer: new HttpAclAuthorizer(i.acls, i.extraRules) }),
  };
}

/**
 * The principals another broker's forwarded request (the schema registry's, to its leader) comes
 * with over mTLS: the subject of the certificate this broker presents — every broker of a cluster
 * forwards with its ssl.* certificate, so those sharing this one's subject are brokers. Only they
 * may name the user a request is made for (FORWARDED_PRINCIPAL_HEADER).
 */
export function brokerPrincipals(tls: HttpTlsOptions): Set<string> {
  try {
    return new Set([`User:${certificateSubject(new X509Certificate(tls.cert))}`]);
  } catch {
    return new Set();
  }
}
