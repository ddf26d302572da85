// A LogLogger that keeps every line, for asserting what storage events were reported.
import type { LogLogger } from '../../src/index';

export interface CapturedLine {
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  msg: string;
}

export class CaptureLogger implements LogLogger {
  readonly lines: CapturedLine[] = [];
  info(obj: object, msg = ''): void {
    this.lines.push({ level: 'info', fields: obj as Record<string, unknown>, msg });
  }
  warn(obj: object, msg = ''): void {
    this.lines.push({ level: 'warn', fields: obj as Record<string, unknown>, msg });
  }
  error(obj: object, msg = ''): void {
    this.lines.push({ level: 'error', fields: obj as Record<string, unknown>, msg });
  }
  at(level: CapturedLine['level']): CapturedLine[] {
    return this.lines.filter((l) => l.level === level);
  }
}
