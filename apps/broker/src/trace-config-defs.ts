// The broker's trace.* keys (@mq/trace: sampling, the in-memory ring, JSONL files and their
// retention, OTLP export). @mq/trace has no @mq dependency, so its keys are declared here; the
// config table composes them like every component's.
import { type ConfigDef, INT_MAX } from '@mq/config';
import { parseSamplingPolicy } from '@mq/trace';

const trace = { dynamic: false, scope: 'broker' } as const;
const LONG_MAX = Number.MAX_SAFE_INTEGER;

function samplingProblem(v: string): string | undefined {
  try {
    parseSamplingPolicy(v);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function httpUrlProblem(v: string): string | undefined {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : `not an http(s) URL: ${v}`;
  } catch {
    return `not a URL: ${v}`;
  }
}

export const TRACE_CONFIG_DEFS = {
  sampling: {
    ...trace,
    name: 'trace.sampling',
    type: 'string',
    default: 'off',
    check: samplingProblem,
    validText: 'always, off, or a ratio in [0, 1] (0.01 = 1 %)',
    importance: 'medium',
    doc:
      'Which produced records are traced: a record with a valid `traceparent` header follows its sampled flag; ' +
      'one without starts a trace with this probability. `off` traces nothing, headers or not.',
  },
  ringSize: {
    ...trace,
    name: 'trace.ring.size',
    type: 'int',
    default: '10000',
    range: { min: 1, max: 10_000_000 },
    importance: 'low',
    doc: 'Spans kept in memory for queries (and traced records whose context is remembered); the oldest go first.',
  },
  dir: {
    ...trace,
    name: 'trace.dir',
    type: 'string',
    default: undefined,
    check: (v) => (v.trim() === '' ? 'must not be empty' : undefined),
    importance: 'low',
    doc: 'Spans are also appended to rotating JSONL files `traces-<ms>.jsonl` here (queried past the ring); unset: memory only.',
  },
  fileBytes: {
    ...trace,
    name: 'trace.file.bytes',
    type: 'long',
    default: String(16 * 1024 * 1024),
    range: { min: 1024, max: INT_MAX },
    importance: 'low',
    doc: 'A JSONL trace file is closed and a new one started past this size.',
  },
  retentionBytes: {
    ...trace,
    name: 'trace.retention.bytes',
    type: 'long',
    default: String(256 * 1024 * 1024),
    range: { min: 1024, max: LONG_MAX },
    importance: 'low',
    doc: 'The oldest JSONL trace files are deleted while all of them together are larger than this.',
  },
  retentionMs: {
    ...trace,
    name: 'trace.retention.ms',
    type: 'long',
    default: String(7 * 24 * 3600 * 1000),
    range: { min: 1000, max: LONG_MAX },
    importance: 'low',
    doc: 'JSONL trace files last written longer ago than this are deleted (at each rotation).',
  },
  otlpEndpoint: {
    ...trace,
    name: 'trace.otlp.endpoint',
    type: 'string',
    default: undefined,
    check: httpUrlProblem,
    importance: 'medium',
    doc: 'An OTLP/HTTP traces endpoint (`http://collector:4318/v1/traces`): every span is exported there (JSON, batched); unset: no export.',
  },
} as const satisfies Record<string, ConfigDef>;

export type TraceConfigField = keyof typeof TRACE_CONFIG_DEFS;

/** What startBroker({ trace }) takes: the trace.* keys as values. */
export interface BrokerTraceOptions {
  /** `always`, `off` or a ratio ('0.01'); default off. */
  readonly sampling?: string;
  readonly ringSize?: number;
  readonly dir?: string;
  readonly fileBytes?: number;
  readonly retentionBytes?: number;
  readonly retentionMs?: number;
  readonly otlpEndpoint?: string;
}
