// What every command gets: the global options, the process streams, a client factory that always
// closes its connections, and print() in the chosen output format.
import { MqClient } from '@mq/client';
import { type OutputFormat, type Rendered, render } from './output';

export interface CliIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
}

export interface GlobalOptions {
  bootstrapServer: string;
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

  print(result: Rendered): void {
    this.io.stdout.write(render(result, this.global.output));
  }

  /** A line on stderr (status, not data). */
  note(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }
}
