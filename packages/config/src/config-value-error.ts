// ConfigValueError: a value that does not fit its ConfigDef. Layer 0 knows no Kafka error codes:
// the component that reads the value rethrows it as its INVALID_CONFIG error (the broker's ConfigError).
export class ConfigValueError extends Error {
  override readonly name = 'ConfigValueError';
  /** The key as the user wrote it (or the label given, e.g. "groups.offsetsRetentionMs"). */
  readonly key: string;

  constructor(key: string, message: string) {
    super(message);
    this.key = key;
  }
}
