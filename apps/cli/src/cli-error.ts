// The CLI's error contract: one line on stderr; exit 2 for bad usage, 1 for broker/Kafka/network errors.
import { CommanderError } from 'commander';
import { KafkaError, ListenerClosedError, MqClientError } from '@mq/client';

/** Bad arguments the user can fix (exit 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Ends the command with this exit code and (optional) stderr line, e.g. 130 after Ctrl-C. */
export class CliExit extends Error {
  override readonly name = 'CliExit';
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ExitInfo {
  code: number;
  /** The line for stderr; empty when commander already printed it. */
  message: string;
}

export function describeError(err: unknown): ExitInfo {
  if (err instanceof CommanderError) {
    // Commander printed its own one-line message already (or help, exit 0).
    // Help and --version exit 0; a missing subcommand prints help with exitCode 1: a usage error.
    // Commander printed its message already, except for errors thrown from inside an action.
    if (err.exitCode === 0) return { code: 0, message: '' };
    return { code: 2, message: err.code === 'commander.invalidArgument' && !err.message.startsWith('error:') ? `error: ${err.message}` : '' };
  }
  if (err instanceof UsageError) return { code: 2, message: `error: ${err.message}` };
  if (err instanceof CliExit) return { code: err.exitCode, message: err.message };
  if (err instanceof KafkaError) return { code: 1, message: `error: ${err.errorName} (code ${err.errorCode}): ${err.message}` };
  if (err instanceof ListenerClosedError) {
    // The client names its option; the user needs the flags.
    return { code: 1, message: `error: ${err.message.replace(' (the sasl option)', '')}; if so, give --sasl-mechanism with --sasl-username / --sasl-password or --bearer-token` };
  }
  // A user reads the message, not our class names.
  if (err instanceof MqClientError) return { code: 1, message: `error: ${err.message}` };
  const msg = err instanceof Error ? err.message : String(err);
  return { code: 1, message: `error: ${msg}` };
}
