// TLS for SSL and SASL_SSL listeners (node:tls): the server with its PEM material and ssl.client.auth,
// and the client certificate's subject as Kafka's principal name (RFC 2253, most specific first).
import type { X509Certificate } from 'node:crypto';
import { createServer as createTlsServerOf, type Server as TlsServer, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { TlsListenerOptions } from './listener-config';

export function createTlsServer(opts: TlsListenerOptions, logger: Logger): TlsServer {
  const clientAuth = opts.clientAuth ?? 'none';
  const server = createTlsServerOf({
    key: opts.key,
    cert: opts.cert,
    ...(opts.passphrase !== undefined ? { passphrase: opts.passphrase } : {}),
    ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
    requestCert: clientAuth !== 'none',
    // `requested`: a client without a certificate is let in (anonymous); one with a bad certificate is
    // refused below, as Kafka's SSLEngine with wantClientAuth.
    rejectUnauthorized: clientAuth === 'required',
    minVersion: 'TLSv1.2',
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    socket.setNoDelay(true);
    if (clientAuth === 'requested' && !socket.authorized && socket.getPeerX509Certificate() !== undefined) {
      logger.warn({ remote: `${socket.remoteAddress}:${socket.remotePort}`, reason: String(socket.authorizationError) }, 'client certificate not trusted: closing connection');
      socket.destroy();
    }
  });
  // A failed handshake (plaintext on a TLS port, an untrusted or missing certificate) closes that socket only.
  server.on('tlsClientError', (err, socket) => {
    logger.info({ remote: `${socket.remoteAddress}:${socket.remotePort}`, reason: err.message }, 'TLS handshake failed');
    socket.destroy();
  });
  return server;
}

/** The verified client certificate's subject as an RFC 2253 DN (`CN=alice,OU=eng,O=mq`), or null. */
export function peerCertificateSubject(socket: TLSSocket): string | null {
  if (!socket.authorized) return null;
  const cert = socket.getPeerX509Certificate();
  if (cert === undefined) return null;
  return certificateSubject(cert);
}

/** A certificate's subject DN as RFC 2253 writes it (`CN=alice,O=mq`): what a peer presenting it authenticates as. */
export function certificateSubject(cert: X509Certificate): string {
  // X509Certificate.subject lists the RDNs one per line, most significant first; RFC 2253 reverses them.
  return cert.subject
    .split('\n')
    .filter((rdn) => rdn !== '')
    .reverse()
    .map((rdn) => {
      const eq = rdn.indexOf('=');
      return `${rdn.slice(0, eq)}=${escapeDnValue(rdn.slice(eq + 1))}`;
    })
    .join(',');
}

function escapeDnValue(v: string): string {
  return v.replace(/([,+"\\<>;])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}
