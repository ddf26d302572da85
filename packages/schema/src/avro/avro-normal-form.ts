// The normal form of an Avro schema (normalize=true): full names everywhere, a named type written
// out once then referred to by name, attributes in one fixed order, no docs, no whitespace — so two
// spellings of the same schema (namespace vs dotted name, key order, docs) normalise alike.
import type avsc from 'avsc';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function avroNormalForm(type: avsc.Type): string {
  return JSON.stringify(toJson(type, new Set()));
}

interface NamedLike {
  name?: string;
  aliases?: string[];
}

function toJson(type: avsc.Type, written: Set<string>): Json {
  const t = type as unknown as Record<string, unknown> & NamedLike;
  const typeName = type.typeName;
  if (typeName.startsWith('union')) return (t.types as avsc.Type[]).map((b) => toJson(b, written));
  if (typeName === 'array') return { type: 'array', items: toJson(t.itemsType as avsc.Type, written) };
  if (typeName === 'map') return { type: 'map', values: toJson(t.valuesType as avsc.Type, written) };
  if (typeName === 'record' || typeName === 'error' || typeName === 'enum' || typeName === 'fixed') {
    const name = t.name!;
    if (written.has(name)) return name;
    written.add(name);
    const out: { [key: string]: Json } = { type: typeName, name };
    if (typeName === 'enum') {
      out.symbols = [...(t.symbols as string[])];
      if (t.default !== undefined) out.default = t.default as string;
    } else if (typeName === 'fixed') {
      out.size = t.size as number;
    } else {
      out.fields = (t.fields as object[]).map((f) => {
        const field = f as unknown as { name: string; type: avsc.Type; aliases: string[]; defaultValue(): unknown; order?: string };
        const fo: { [key: string]: Json } = { name: field.name, type: toJson(field.type, written) };
        const dflt = field.defaultValue();
        if (dflt !== undefined) fo.default = defaultJson(field.type, dflt);
        if (field.order && field.order !== 'ascending') fo.order = field.order;
        if (field.aliases.length > 0) fo.aliases = [...field.aliases].sort();
        return fo;
      });
    }
    if (t.aliases && t.aliases.length > 0) out.aliases = [...t.aliases].sort();
    return out;
  }
  return typeName;
}

/** A default as the JSON Avro writes it (bytes as a latin-1 string, as in the spec). */
function defaultJson(type: avsc.Type, value: unknown): Json {
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (type.typeName.startsWith('union')) {
    const first = (type as unknown as { types: avsc.Type[] }).types[0]!;
    return defaultJson(first, value);
  }
  return JSON.parse(JSON.stringify(value, (_k, v) => (Buffer.isBuffer(v) ? v.toString('latin1') : v))) as Json;
}
