// A Protobuf value as the serdes take it (what they decode to, and what JSON can say: enums by
// name, 64-bit integers as decimal strings, or bigints) turned into what protobufjs' verify()
// accepts (enum numbers, Long), so a decoded value encodes again. Anything else is left as it is
// for verify() to name; fromObject() then takes the same input.
import protobuf from 'protobufjs';

const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const DECIMAL = /^-?\d+$/;

export function verifiableValue(type: protobuf.Type, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const field of type.fieldsArray) {
    const v = out[field.name];
    if (v === undefined || v === null) continue;
    const one = (x: unknown) => fieldValue(field, x);
    if (field.map) out[field.name] = typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, one(x)])) : v;
    else if (field.repeated) out[field.name] = Array.isArray(v) ? v.map(one) : v;
    else out[field.name] = one(v);
  }
  return out;
}

function fieldValue(field: protobuf.Field, v: unknown): unknown {
  field.resolve();
  const t = field.resolvedType;
  if (t instanceof protobuf.Enum) return typeof v === 'string' && Object.hasOwn(t.values, v) ? t.values[v] : v;
  if (t instanceof protobuf.Type) return verifiableValue(t, v);
  // protobufjs types util.Long as a bare constructor; it is the `long` package's class (fromString included).
  const Long = protobuf.util.Long as unknown as { fromString(text: string, unsigned: boolean): protobuf.Long } | undefined;
  if (LONG_TYPES.has(field.type) && Long !== undefined) {
    const unsigned = field.type === 'uint64' || field.type === 'fixed64';
    if (typeof v === 'bigint') return Long.fromString(v.toString(), unsigned);
    if (typeof v === 'string' && DECIMAL.test(v)) return Long.fromString(v, unsigned);
  }
  return v;
}
