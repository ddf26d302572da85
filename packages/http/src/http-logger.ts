// The logger the listener takes: pino-compatible, so the broker passes a pino child.

export interface HttpLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const SILENT_LOGGER: HttpLogger = { debug() {}, info() {}, warn() {}, error() {} };
