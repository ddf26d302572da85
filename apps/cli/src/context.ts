// What every command gets: the global options, the process streams, a client factory that always
// closes its connections, and print() in the chosen output format.
import { MqClient, SchemaRegistryClient } from '@mq/client';
import { UsageError } from './cli-error';
import { type OutputFormat, type Rendered, render } from './output';
import { checkBearerToken } from './http-credentials';
import type { KafkaSecurity } from './kafka-security';
import { type Profile, configPath, loadProfiles, pickProfile } from './profiles';

export interface CliIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
}

export interface GlobalOptions {
  bootstrapServer: string;
  /** --profile or $MQ_PROFILE (undefined: the file's current profile, if any). */
  profileName?: string;
  output: OutputFormat;
  clientId: string;
  requestTimeout: number;
  /** --bearer-token (the env and the profile are read when an HTTP command asks: bearerToken()). */
  bearerToken?: string;
  /** TLS and SASL towards the Kafka listener (kafka-security.ts). */
  security: KafkaSecurity;
}

export class CliContext {
  constructor(
    readonly io: CliIO,
    readonly global: GlobalOptions,
  ) {}

  /** Runs `fn` with a connected client and closes it afterwards, whatever happens. */
  async withClient<T>(fn: (client: MqClient) => Promise<T>): Promise<T> {
    const client = new MqClient({
      bootstrapServers: this.global.bootstrapServer,
      clientId: this.global.clientId,
      requestTimeoutMs: this.global.requestTimeout,
      connectTimeoutMs: Math.min(this.global.requestTimeout, 10_000),
      // A CLI should fail fast when the broker is down: ~1.5 s of retries, not minutes.
      retry: { retries: 3, initialBackoffMs: 100, maxBackoffMs: 800 },
      ...(this.global.security.sasl !== undefined ? { sasl: this.global.security.sasl } : {}),
      ...(this.global.security.ssl !== undefined ? { ssl: this.global.security.ssl } : {}),
    });
    try {
      return await fn(client);
    } finally {
      await client.close();
    }
  }

  /**
   * The schema registry client: `flag` (a --schema-registry URL), else $MQ_SCHEMA_REGISTRY, else
   * the profile's `schema-registry`. The profile is read only when the first two are absent.
   */
  async schemaRegistry(flag: string | undefined): Promise<SchemaRegistryClient> {
    let url = flag ?? (this.io.env.MQ_SCHEMA_REGISTRY || undefined);
    if (url === undefined) url = (await this.profile())['schema-registry'];
    if (url === undefined) {
      throw new UsageError("no schema registry: give --schema-registry <url> (mq serves it on the broker's HTTP listener), set MQ_SCHEMA_REGISTRY or a profile's schema-registry");
    }
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) throw new UsageError(`not an http(s) URL for the schema registry: ${url}`);
    const bearerToken = await this.bearerToken();
    if (bearerToken !== undefined && (parsed.username !== '' || parsed.password !== '')) throw new UsageError('give Basic credentials in the schema registry URL or a bearer token, not both');
    return new SchemaRegistryClient({ url, timeoutMs: this.global.requestTimeout, ...(bearerToken === undefined ? {} : { bearerToken }) });
  }

  /**
   * The token for `Authorization: Bearer` on the broker's HTTP API: --bearer-token, else
   * $MQ_BEARER_TOKEN, else the profile's bearer-token (read only when the first two are absent).
   */
  async bearerToken(): Promise<string | undefined> {
    if (this.global.bearerToken !== undefined) return checkBearerToken(this.global.bearerToken, '--bearer-token');
    const env = this.io.env.MQ_BEARER_TOKEN;
    if (env) return checkBearerToken(env, 'MQ_BEARER_TOKEN');
    return (await this.profile())['bearer-token'];
  }

  private async profile(): Promise<Profile> {
    const path = configPath(this.io.env);
    return pickProfile(await loadProfiles(path), path, this.global.profileName);
  }

  print(result: Rendered): void {
    this.io.stdout.write(render(result, this.global.output));
  }

  /** A line on stderr (status, not data). */
  note(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }
}
