// What every command gets: the global options, the process streams, a client factory that always
// closes its connections, and print() in the chosen output format.
import { MqClient, SchemaRegistryClient } from '@mq/client';
import { UsageError } from './cli-error';
import { type OutputFormat, type Rendered, render } from './output';
import { configPath, loadProfiles, pickProfile } from './profiles';

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
    if (url === undefined) {
      const path = configPath(this.io.env);
      url = pickProfile(await loadProfiles(path), path, this.global.profileName)['schema-registry'];
    }
    if (url === undefined) {
      throw new UsageError("no schema registry: give --schema-registry <url> (mq serves it on the broker's HTTP listener), set MQ_SCHEMA_REGISTRY or a profile's schema-registry");
    }
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) throw new UsageError(`not an http(s) URL for the schema registry: ${url}`);
    return new SchemaRegistryClient({ url, timeoutMs: this.global.requestTimeout });
  }

  print(result: Rendered): void {
    this.io.stdout.write(render(result, this.global.output));
  }

  /** A line on stderr (status, not data). */
  note(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }
}
