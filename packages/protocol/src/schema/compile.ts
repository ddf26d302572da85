// The one generic codec: compiles a MessageSpec at one version into specialised decode/encode
// functions (generated once with `new Function`, primitives inlined, nested structs and arrays as
// calls), so no schema interpretation happens per message.
import { ProtocolDecodeError } from '../protocol-decode-error';
import { ProtocolEncodeError } from '../protocol-encode-error';
import type { Reader } from '../primitives/reader';
import { Writer } from '../primitives/writer';
import { elementType, fieldMode, isNullableIn, primitiveOrArrayDefault } from './field-plan';
import type { FieldSpec, PrimitiveType } from './types';

export interface ValueCodec {
  decode(r: Reader): unknown;
  encode(w: Writer, v: unknown): void;
  /** The default value (fresh object/array each call). */
  makeDefault(): unknown;
  isDefault(v: unknown): boolean;
}

interface Ctx {
  readonly version: number;
  readonly flexible: boolean;
}

function primRead(type: PrimitiveType, flexible: boolean, nullable: boolean): string {
  switch (type) {
    case 'string':
      return flexible ? (nullable ? 'r.compactNullableString()' : 'r.compactString()') : nullable ? 'r.nullableString()' : 'r.string()';
    case 'bytes':
      return flexible ? (nullable ? 'r.compactNullableBytes()' : 'r.compactBytes()') : nullable ? 'r.nullableBytes()' : 'r.bytes()';
    case 'records':
      return flexible ? 'r.compactNullableBytes()' : 'r.nullableBytes()';
    default:
      return `r.${type}()`;
  }
}

function primWrite(type: PrimitiveType, flexible: boolean, nullable: boolean): string {
  switch (type) {
    case 'string':
      return flexible ? (nullable ? 'w.compactNullableString(v)' : 'w.compactString(v)') : nullable ? 'w.nullableString(v)' : 'w.string(v)';
    case 'bytes':
      return flexible ? (nullable ? 'w.compactNullableBytes(v)' : 'w.compactBytes(v)') : nullable ? 'w.nullableBytes(v)' : 'w.bytes(v)';
    case 'records':
      return `w.records(v, ${flexible})`;
    default:
      return `w.${type}(v)`;
  }
}

function nullError(path: string): never {
  throw new ProtocolEncodeError(`null given for non-nullable field ${path}`);
}

function primitiveCodec(type: PrimitiveType, ctx: Ctx, nullable: boolean, dflt: unknown, path: string): ValueCodec {
  const read = primRead(type, ctx.flexible, nullable);
  const write = primWrite(type, ctx.flexible, nullable);
  const guard = nullable || type === 'records' ? '' : 'if (v === null) nullError(path);';
  const make = new Function('nullError', 'path', `return {
    decode(r) { return ${read}; },
    encode(w, v) { ${guard} ${write}; },
  };`) as (ne: typeof nullError, path: string) => Pick<ValueCodec, 'decode' | 'encode'>;
  const { decode, encode } = make(nullError, path);
  const isBuf = type === 'bytes';
  return {
    decode,
    encode,
    makeDefault: () => dflt,
    isDefault: (v) => v === dflt || (v === null && dflt === null) || (isBuf && Buffer.isBuffer(v) && v.length === 0 && Buffer.isBuffer(dflt)),
  };
}

function arrayCodec(elem: ValueCodec, ctx: Ctx, nullable: boolean, dfltNull: boolean, path: string): ValueCodec {
  const flexible = ctx.flexible;
  return {
    decode(r) {
      const n = flexible ? r.compactArrayLength() : r.arrayLength();
      if (n < 0) {
        if (nullable) return null;
        throw new ProtocolDecodeError(`null array in non-nullable field ${path}`);
      }
      const a = new Array<unknown>(n);
      for (let i = 0; i < n; i++) a[i] = elem.decode(r);
      return a;
    },
    encode(w, v) {
      if (v === null) {
        if (!nullable) nullError(path);
        if (flexible) w.uvarint(0);
        else w.int32(-1);
        return;
      }
      const a = v as readonly unknown[];
      const n = a.length;
      if (flexible) w.uvarint(n + 1);
      else w.int32(n);
      for (let i = 0; i < n; i++) elem.encode(w, a[i]);
    },
    makeDefault: () => (dfltNull ? null : []),
    isDefault: (v) => (v === null ? dfltNull : !dfltNull && Array.isArray(v) && v.length === 0),
  };
}

/** Codec for one field's value in this version (regular or tagged; caller handles absence). */
function fieldCodec(spec: FieldSpec, ctx: Ctx, path: string): ValueCodec {
  const nullable = isNullableIn(spec, ctx.version);
  const p = `${path}.${spec.name}`;
  if (spec.type === 'struct') {
    const dfltNull = spec.default === null || nullable;
    return structCodec(spec.fields ?? [], ctx, p, nullable, dfltNull);
  }
  const elem = elementType(spec.type);
  if (elem !== null) {
    const dfltNull = primitiveOrArrayDefault(spec, ctx.version).value === null;
    const elemCodec =
      elem === 'struct'
        ? structCodec(spec.fields ?? [], ctx, `${p}[]`, false, false)
        : primitiveCodec(elem, ctx, false, undefined, `${p}[]`);
    return arrayCodec(elemCodec, ctx, nullable, dfltNull, p);
  }
  const type = spec.type as PrimitiveType;
  return primitiveCodec(type, ctx, nullable, primitiveOrArrayDefault(spec, ctx.version).value, p);
}

interface Slot {
  readonly spec: FieldSpec;
  readonly mode: 'absent' | 'regular' | 'tagged';
  readonly codec: ValueCodec;
  readonly inlinePrim: PrimitiveType | null;
  readonly nullable: boolean;
}

function structCodec(fields: readonly FieldSpec[], ctx: Ctx, path: string, nullable: boolean, dfltNull: boolean): ValueCodec {
  const slots: Slot[] = fields.map((spec) => {
    const mode = fieldMode(spec, ctx.version);
    const codec = fieldCodec(spec, ctx, path);
    const prim = spec.type !== 'struct' && elementType(spec.type) === null ? (spec.type as PrimitiveType) : null;
    return { spec, mode, codec, inlinePrim: mode === 'regular' ? prim : null, nullable: isNullableIn(spec, ctx.version) };
  });
  const tagged = slots
    .filter((s) => s.mode === 'tagged')
    .sort((a, b) => (a.spec.tag ?? 0) - (b.spec.tag ?? 0));
  for (const s of tagged) {
    if (s.spec.tag === undefined) throw new Error(`${path}.${s.spec.name}: tagged field without a tag`);
  }
  const byTag = new Map(tagged.map((s) => [s.spec.tag!, s]));
  const flexible = ctx.flexible;

  const readTags = (r: Reader, o: Record<string, unknown>): void => {
    const count = r.uvarint();
    for (let i = 0; i < count; i++) {
      const tag = r.uvarint();
      const size = r.uvarint();
      r.need(size);
      const slot = byTag.get(tag);
      if (slot === undefined) {
        r.offset += size; // unknown tag: skip (forward compatibility)
        continue;
      }
      const end = r.offset + size;
      const savedEnd = r.end;
      r.end = end;
      o[slot.spec.name] = slot.codec.decode(r);
      r.end = savedEnd;
      r.offset = end;
    }
  };

  const writeTags = (w: Writer, o: Record<string, unknown>): void => {
    let count = 0;
    for (const s of tagged) {
      const v = o[s.spec.name];
      if (v !== undefined && !s.codec.isDefault(v)) count++;
    }
    w.uvarint(count);
    if (count === 0) return;
    for (const s of tagged) {
      const v = o[s.spec.name];
      if (v === undefined || s.codec.isDefault(v)) continue;
      const sub = new Writer(64);
      s.codec.encode(sub, v);
      w.uvarint(s.spec.tag!);
      w.uvarint(sub.length);
      w.rawChunks(sub.finish());
    }
  };

  const key = (s: Slot) => JSON.stringify(s.spec.name);
  const dec: string[] = [];
  const enc: string[] = [];
  slots.forEach((s, i) => {
    if (s.mode === 'regular') {
      dec.push(`${key(s)}: ${s.inlinePrim ? primRead(s.inlinePrim, flexible, s.nullable) : `c[${i}].decode(r)`}`);
      const guard = s.nullable || s.inlinePrim === 'records' ? '' : ` else if (v === null) nullError(p[${i}]);`;
      enc.push(`v = o[${key(s)}]; if (v === undefined) v = c[${i}].makeDefault();${guard}`);
      enc.push(s.inlinePrim ? `${primWrite(s.inlinePrim, flexible, s.nullable)};` : `c[${i}].encode(w, v);`);
    } else {
      dec.push(`${key(s)}: c[${i}].makeDefault()`);
    }
  });
  const src = `return {
    decode(r) {
      const o = { ${dec.join(',\n')} };
      ${flexible ? 'readTags(r, o);' : ''}
      return o;
    },
    encode(w, o) {
      let v;
      ${enc.join('\n')}
      ${flexible ? (tagged.length > 0 ? 'writeTags(w, o);' : 'w.uvarint(0);') : ''}
    },
  };`;
  const make = new Function('c', 'p', 'nullError', 'readTags', 'writeTags', src) as (
    c: ValueCodec[],
    p: string[],
    ne: typeof nullError,
    rt: typeof readTags,
    wt: typeof writeTags,
  ) => Pick<ValueCodec, 'decode' | 'encode'>;
  const inner = make(
    slots.map((s) => s.codec),
    slots.map((s) => `${path}.${s.spec.name}`),
    nullError,
    readTags,
    writeTags,
  );

  const makeObject = (): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (const s of slots) o[s.spec.name] = s.codec.makeDefault();
    return o;
  };
  const isDefaultObject = (v: unknown): boolean => {
    if (v === null || typeof v !== 'object') return false;
    const o = v as Record<string, unknown>;
    for (const s of slots) {
      if (s.mode === 'absent') continue;
      const x = o[s.spec.name];
      if (x !== undefined && !s.codec.isDefault(x)) return false;
    }
    return true;
  };

  if (!nullable) {
    return {
      decode: inner.decode,
      encode(w, v) {
        if (v === null || typeof v !== 'object') nullError(path);
        inner.encode(w, v);
      },
      makeDefault: () => (dfltNull ? null : makeObject()),
      isDefault: (v) => (v === null ? dfltNull : !dfltNull && isDefaultObject(v)),
    };
  }
  // A nullable struct is prefixed by an int8 presence marker: -1 null, 1 present.
  return {
    decode(r) {
      return r.int8() < 0 ? null : inner.decode(r);
    },
    encode(w, v) {
      if (v === null) {
        w.int8(-1);
        return;
      }
      w.int8(1);
      inner.encode(w, v);
    },
    makeDefault: () => (dfltNull ? null : makeObject()),
    isDefault: (v) => (v === null ? dfltNull : !dfltNull && isDefaultObject(v)),
  };
}

/** Compile the top-level fields of a message (request or response body) at one version. */
export function compileMessage(fields: readonly FieldSpec[], version: number, flexible: boolean, label: string): ValueCodec {
  return structCodec(fields, { version, flexible }, label, false, false);
}
