// The one error for configuration that cannot work (bad flag, unknown key, value out of range):
// INVALID_CONFIG, raised before the broker takes its data dir or binds a socket.
import { InvalidConfigError } from '@mq/protocol';

export class ConfigError extends InvalidConfigError {
  override readonly name = 'ConfigError';
}
