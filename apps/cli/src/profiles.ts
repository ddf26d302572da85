// Connection profiles, like `rpk profile`: named settings in one YAML file, one of them current.
// File: $MQ_CLI_CONFIG, else $XDG_CONFIG_HOME/mq/config.yaml, else ~/.config/mq/config.yaml.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { UsageError } from './cli-error';

export interface Profile {
  'bootstrap-server'?: string;
  'client-id'?: string;
  'request-timeout'?: number;
  /** The schema registry's URL (mq's: the broker's HTTP listener) for `mq schemas` and --schema-registry. */
  'schema-registry'?: string;
  /** Sent as `Authorization: Bearer` to the broker's HTTP API (schemas, delayed, trace), and OAUTHBEARER's token. */
  'bearer-token'?: string;
  /** SASL for the Kafka-protocol commands (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER). */
  'sasl-mechanism'?: string;
  'sasl-username'?: string;
  'sasl-password'?: string;
  /** TLS to the brokers: on with the system CAs, or with these PEM files. */
  tls?: boolean;
  'tls-ca'?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
}

/** Keys holding secrets: `profile show` / `list` print them as REDACTED. */
export const SECRET_PROFILE_KEYS = ['bearer-token', 'sasl-password'] as const;

export interface ProfileFile {
  current?: string;
  profiles: Record<string, Profile>;
}

const PROFILE_KEYS = ['bootstrap-server', 'client-id', 'request-timeout', 'schema-registry', 'bearer-token', 'sasl-mechanism', 'sasl-username', 'sasl-password', 'tls', 'tls-ca', 'tls-cert', 'tls-key'] as const;
const STRING_KEYS = ['sasl-mechanism', 'sasl-username', 'sasl-password', 'tls-ca', 'tls-cert', 'tls-key'] as const;

export function configPath(env: NodeJS.ProcessEnv): string {
  if (env.MQ_CLI_CONFIG) return env.MQ_CLI_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'mq', 'config.yaml');
}

export async function loadProfiles(path: string): Promise<ProfileFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw new UsageError(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new UsageError(`config file ${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return { profiles: {} };
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`config file ${path}: expected a mapping with "profiles"`);
  const d = doc as { current?: unknown; profiles?: unknown };
  const profiles: Record<string, Profile> = {};
  if (d.profiles !== undefined) {
    if (typeof d.profiles !== 'object' || d.profiles === null || Array.isArray(d.profiles)) throw new UsageError(`config file ${path}: "profiles" must be a mapping`);
    for (const [name, p] of Object.entries(d.profiles as Record<string, unknown>)) profiles[name] = checkProfile(path, name, p);
  }
  if (d.current !== undefined && typeof d.current !== 'string') throw new UsageError(`config file ${path}: "current" must be a profile name`);
  return { current: d.current as string | undefined, profiles };
}

function checkProfile(path: string, name: string, p: unknown): Profile {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new UsageError(`config file ${path}: profile "${name}" must be a mapping`);
  for (const k of Object.keys(p)) {
    if (!(PROFILE_KEYS as readonly string[]).includes(k)) throw new UsageError(`config file ${path}: profile "${name}" has unknown key "${k}" (known: ${PROFILE_KEYS.join(', ')})`);
  }
  const q = p as Record<string, unknown>;
  if (q['bootstrap-server'] !== undefined && typeof q['bootstrap-server'] !== 'string') throw new UsageError(`config file ${path}: profile "${name}": bootstrap-server must be a string`);
  if (q['client-id'] !== undefined && typeof q['client-id'] !== 'string') throw new UsageError(`config file ${path}: profile "${name}": client-id must be a string`);
  if (q['schema-registry'] !== undefined && typeof q['schema-registry'] !== 'string') throw new UsageError(`config file ${path}: profile "${name}": schema-registry must be a URL string`);
  const token = q['bearer-token'];
  if (token !== undefined && !(typeof token === 'string' && /^[\x21-\x7e]+$/.test(token))) throw new UsageError(`config file ${path}: profile "${name}": bearer-token must be a token string (printable ASCII, no spaces)`);
  for (const k of STRING_KEYS) {
    if (q[k] !== undefined && typeof q[k] !== 'string') throw new UsageError(`config file ${path}: profile "${name}": ${k} must be a string`);
  }
  if (q.tls !== undefined && typeof q.tls !== 'boolean') throw new UsageError(`config file ${path}: profile "${name}": tls must be true or false`);
  const t = q['request-timeout'];
  if (t !== undefined && !(typeof t === 'number' && Number.isInteger(t) && t >= 1)) throw new UsageError(`config file ${path}: profile "${name}": request-timeout must be a positive integer (ms)`);
  return p as Profile;
}

export async function saveProfiles(path: string, file: ProfileFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Write-then-rename: a crash never leaves half a config file.
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, toYaml(file), { mode: 0o600 });
  await rename(tmp, path);
}

/** The profile to use: --profile, then $MQ_PROFILE, then the file's current one (none is fine). */
export function pickProfile(file: ProfileFile, path: string, wanted: string | undefined): Profile {
  const name = wanted ?? file.current;
  if (name === undefined) return {};
  const p = file.profiles[name];
  if (!p) {
    if (wanted === undefined) return {};
    const known = Object.keys(file.profiles);
    throw new UsageError(`no profile "${name}" in ${path}${known.length ? ` (have ${known.join(', ')})` : ''}`);
  }
  return p;
}
