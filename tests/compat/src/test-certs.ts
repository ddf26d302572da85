// Certificates for TLS tests, made with the openssl binary into a temp dir: a CA, a server
// certificate for 127.0.0.1 / localhost and a client certificate (CN=<client>, O=mq), all PEM.
// The server certificate is a client one too (clientAuth): brokers present it to each other's
// mTLS HTTP listeners when they forward a request (OpenSSL checks the purpose).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './child-process';

export interface TestCerts {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** Key and certificate in one file: a PEM keystore. */
  readonly serverKeystore: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A client certificate signed by a CA the broker does not trust. */
  readonly strangerCert: string;
  readonly strangerKey: string;
}

async function openssl(args: readonly string[]): Promise<void> {
  const r = await run('openssl', args, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} exited ${r.code}: ${r.stderr.toString()}`);
}

async function signed(dir: string, name: string, subject: string, ca: { cert: string; key: string }, ext?: string): Promise<{ cert: string; key: string }> {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.pem`);
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', subject, '-out', csr]);
  const extArgs: string[] = [];
  if (ext !== undefined) {
    const extFile = join(dir, `${name}.ext`);
    await writeFile(extFile, ext);
    extArgs.push('-extfile', extFile);
  }
  await openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '2', '-out', cert, ...extArgs]);
  return { cert, key };
}

async function selfSignedCa(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/O=mq/CN=${name}`]);
  return { cert, key };
}

export async function makeTestCerts(dir: string, client = 'alice-client'): Promise<TestCerts> {
  const ca = await selfSignedCa(dir, 'mq-test-ca');
  const server = await signed(dir, 'server', '/O=mq/CN=localhost', ca, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  const clientPair = await signed(dir, 'client', `/O=mq/OU=eng/CN=${client}`, ca, 'extendedKeyUsage=clientAuth\n');
  const otherCa = await selfSignedCa(dir, 'stranger-ca');
  const stranger = await signed(dir, 'stranger', '/O=evil/CN=stranger', otherCa, 'extendedKeyUsage=clientAuth\n');
  const serverKeystore = join(dir, 'server-keystore.pem');
  await writeFile(serverKeystore, `${await readFile(server.key, 'utf8')}${await readFile(server.cert, 'utf8')}`);
  return {
    dir,
    caCert: ca.cert,
    serverCert: server.cert,
    serverKey: server.key,
    serverKeystore,
    clientCert: clientPair.cert,
    clientKey: clientPair.key,
    strangerCert: stranger.cert,
    strangerKey: stranger.key,
  };
}
