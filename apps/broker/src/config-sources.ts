// Where settings come from, lowest precedence first: the config file (Kafka's server.properties
// format, or a JSON object), MQ_* env vars, command-line flags (named, or `--override key=value`).
// Each yields Settings: the key as written, its raw value and where it came from.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigValueError, parseProperties } from '@mq/config';
import { ConfigError } from './config-error';
import { CONFIG_TABLE, keyOfEnv } from './config-table';

export type SettingSource = 'file' | 'env' | 'flag';

/** Higher wins. */
export const SOURCE_RANK: Readonly<Record<SettingSource, number>> = { file: 1, env: 2, flag: 3 };

export interface Setting {
  /** The key as written (a synonym stays a synonym: broker.id, log.retention.hours). */
  readonly key: string;
  readonly raw: unknown;
  readonly source: SettingSource;
}

export interface BrokerArgs {
  readonly help: boolean;
  readonly version: boolean;
  readonly configFile: string | undefined;
  readonly settings: readonly Setting[];
}

const APP_FLAGS = CONFIG_TABLE.flatMap((r) => (r.flag === undefined ? [] : [[r.flag, r.def.name] as const]));

/** The binary's own flags (not settings). */
export const COMMAND_FLAGS = {
  config: { type: 'string', short: 'c' },
  override: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

function parseError(err: unknown): ConfigError {
  const e = err as { code?: string; message?: string };
  const flag = /'(-[^ ']*)/.exec(e.message ?? '')?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new ConfigError(`unknown flag ${flag ?? ''} (mq-broker --help lists them)`);
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return new ConfigError(`flag ${flag ?? ''} needs a value`);
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new ConfigError(`unexpected argument ${/'([^']*)'/.exec(e.message ?? '')?.[1] ?? ''} (flags take --name value)`);
  return new ConfigError(e.message ?? String(err));
}

/**
 * parseArgs refuses `--advertised-port -1` as ambiguous; a value that starts with `-` but is no
 * flag of ours is a value (`--flag=value`), so the range check can name it instead.
 */
function joinDashValues(argv: readonly string[], options: Record<string, { type: string; short?: string }>): string[] {
  const flags = new Set(Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short === undefined ? [] : [`-${o.short}`])]));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next?.startsWith('-') === true && !flags.has(next.split('=')[0]!)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** Parses argv with util.parseArgs: unknown flags and missing values are ConfigErrors. */
export function parseBrokerArgs(argv: readonly string[]): BrokerArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = { ...COMMAND_FLAGS };
  for (const [flag] of APP_FLAGS) options[flag] = { type: 'string' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: joinDashValues(argv, options), options, strict: true, allowPositionals: false });
  } catch (err) {
    throw parseError(err);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const settings: Setting[] = [];
  for (const [flag, key] of APP_FLAGS) {
    const v = values[flag];
    if (typeof v === 'string') settings.push({ key, raw: v, source: 'flag' });
  }
  for (const o of (values.override as string[] | undefined) ?? []) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--override ${o}: expected key=value`);
    settings.push({ key: o.slice(0, eq).trim(), raw: o.slice(eq + 1), source: 'flag' });
  }
  return {
    help: values.help === true,
    version: values.version === true,
    configFile: values.config as string | undefined,
    settings,
  };
}

/** MQ_* env vars that name a key (MQ_CONFIG names the file; other MQ_* are not ours and are skipped). */
export function envSettings(env: NodeJS.ProcessEnv): Setting[] {
  const out: Setting[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('MQ_') || value === undefined) continue;
    const key = keyOfEnv(name);
    if (key !== undefined) out.push({ key, raw: value, source: 'env' });
  }
  return out;
}

/** Reads a config file: a JSON object (`.json`, or text starting with `{`), else Kafka's .properties format. */
export async function fileSettings(path: string): Promise<Setting[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError(`config file ${path}: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' '), { cause: err });
  }
  let props: Record<string, unknown>;
  // A JSON object either way its file is named: server.properties lines never start with `{`.
  if (extname(path).toLowerCase() === '.json' || text.trimStart().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(`${path}: not valid JSON: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`${path}: expected a JSON object`);
    props = parsed as Record<string, unknown>;
  } else {
    try {
      props = parseProperties(text, path);
    } catch (err) {
      if (err instanceof ConfigValueError) throw new ConfigError(err.message, { cause: err });
      throw err;
    }
  }
  return Object.entries(props).map(([key, raw]) => ({ key, raw, source: 'file' as const }));
}
