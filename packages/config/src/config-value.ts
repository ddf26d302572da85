// From what a user wrote to a typed value, by the key's ConfigDef: parseConfigValue() takes the raw
// text of a properties file, env var or flag (or a JSON scalar); checkConfigValue() checks a value
// that is already typed (an embedding program's option). Both throw ConfigValueError naming the key.
import { type ConfigDef, validValuesText } from './config-def';
import { ConfigValueError } from './config-value-error';

export type ConfigValue = number | boolean | string;

const NUMERIC = new Set(['int', 'short', 'long', 'double']);

/** Java's Long.MAX_VALUE: JSON numbers at or past 2^63 arrive rounded and still mean it. */
const LONG_MAX_TEXT = '9223372036854775807';

function allowed(def: ConfigDef): string {
  const text = validValuesText(def);
  return text === '' ? '' : ` (allowed: ${text})`;
}

/** Parses the raw value of `def` (label: the name the user wrote, default def.name). */
export function parseConfigValue(def: ConfigDef, raw: unknown, label = def.name): ConfigValue {
  if (raw === null || (typeof raw === 'object' && raw !== undefined) || raw === undefined) {
    throw new ConfigValueError(label, `${label}: ${JSON.stringify(raw) ?? 'undefined'} is not a ${def.type}${allowed(def)}`);
  }
  if (NUMERIC.has(def.type)) {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    if (!Number.isFinite(n)) {
      const problem = def.check?.(String(raw));
      throw new ConfigValueError(label, `${label}: ${problem ?? `not a number: ${String(raw)}${allowed(def)}`}`);
    }
    return checkConfigValue(def, n, label);
  }
  if (def.type === 'boolean') {
    const v = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    throw new ConfigValueError(label, `${label}: not a boolean: ${String(raw)}`);
  }
  const text = typeof raw === 'number' && raw >= 2 ** 63 ? LONG_MAX_TEXT : String(raw);
  return checkConfigValue(def, text, label);
}

/** Checks a typed value against `def`; returns it unchanged. */
export function checkConfigValue(def: ConfigDef, value: unknown, label = def.name): ConfigValue {
  if (NUMERIC.has(def.type)) {
    const integral = def.type !== 'double';
    if (typeof value !== 'number' || !Number.isFinite(value) || (integral && !Number.isInteger(value))) {
      throw new ConfigValueError(label, `${label}: ${JSON.stringify(value)} is not ${integral ? 'an integer' : 'a number'}${allowed(def)}`);
    }
    const problem = def.check?.(String(value));
    if (problem !== undefined) throw new ConfigValueError(label, `${label}: ${problem}`);
    const r = def.range;
    if (r !== undefined && value !== r.orElse && (value < r.min || value > r.max)) {
      throw new ConfigValueError(label, `${label}: ${value} is outside [${r.min}, ${r.max}]${r.orElse === undefined ? '' : ` or ${r.orElse}`}`);
    }
    return value;
  }
  if (def.type === 'boolean') {
    if (typeof value !== 'boolean') throw new ConfigValueError(label, `${label}: ${JSON.stringify(value)} is not true or false`);
    return value;
  }
  if (typeof value !== 'string') throw new ConfigValueError(label, `${label}: ${JSON.stringify(value)} is not a string`);
  if (def.validValues !== undefined) {
    const items = def.type === 'list' ? value.split(',').map((s) => s.trim()) : [value];
    if (items.some((i) => !def.validValues!.includes(i))) {
      throw new ConfigValueError(label, `${label}: "${value}" is not ${def.type === 'list' ? 'a list of' : 'one of'} ${def.validValues.join(', ')}`);
    }
  }
  const problem = def.check?.(value);
  if (problem !== undefined) throw new ConfigValueError(label, `${label}: ${problem}`);
  return value;
}

/** The typed default of `def`, or undefined when it has none. */
export function defaultConfigValue(def: ConfigDef): ConfigValue | undefined {
  return def.default === undefined ? undefined : parseConfigValue(def, def.default);
}

/** Typed defaults of a table keyed by config field (what a component's DEFAULT_*_CONFIG is made of). */
export function defaultsOf<F extends string>(defs: { readonly [K in F]: ConfigDef }): { [K in F]?: ConfigValue } {
  const out: { [K in F]?: ConfigValue } = {};
  for (const field of Object.keys(defs) as F[]) {
    const value = defaultConfigValue(defs[field]);
    if (value !== undefined) out[field] = value;
  }
  return out;
}
