// The pino-compatible logger shape the control plane logs through (as @mq/partition's PartitionLogger).
export interface ControlLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: ControlLogger = { info() {}, warn() {}, error() {} };
