// Avro's schema-resolution rules (the spec's "Schema Resolution", as Avro's Java
// SchemaCompatibility checks them): can data written with `writer` be read with `reader`?
//   - same primitive type; promotions int→long|float|double, long→float|double, float→double,
//     string↔bytes (TYPE_MISMATCH otherwise)
//   - named types (record, enum, fixed) match by simple name or a reader alias of the writer's full
//     name (NAME_MISMATCH); fixed sizes equal (FIXED_SIZE_MISMATCH)
//   - enum: every writer symbol is a reader symbol, unless the reader has a default (MISSING_ENUM_SYMBOLS)
//   - record: each reader field is found in the writer by name or a reader alias and resolves, or has
//     a default (READER_FIELD_MISSING_DEFAULT_VALUE); writer fields the reader lacks are skipped
//   - array items / map values resolve recursively
//   - writer union: every branch resolves against the reader; reader union (writer not): some
//     branch resolves (MISSING_UNION_BRANCH)
import type avsc from 'avsc';
import type { Incompatibility } from '../schema-type.js';

interface AnyType {
  typeName: string;
  name?: string;
  aliases?: string[];
  types?: AnyType[];
  itemsType?: AnyType;
  valuesType?: AnyType;
  symbols?: string[];
  default?: unknown;
  size?: number;
  fields?: { name: string; aliases: string[]; type: AnyType; defaultValue(): unknown }[];
  schema(): unknown;
}

const PROMOTIONS: Record<string, readonly string[]> = {
  long: ['int'],
  float: ['int', 'long'],
  double: ['int', 'long', 'float'],
  string: ['bytes'],
  bytes: ['string'],
};

const NAMED = new Set(['record', 'error', 'enum', 'fixed']);

export function avroIncompatibilities(reader: avsc.Type, writer: avsc.Type): Incompatibility[] {
  const out: Incompatibility[] = [];
  new Checker(out).check(reader as unknown as AnyType, writer as unknown as AnyType, '');
  return out;
}

function kind(t: AnyType): string {
  if (t.typeName.startsWith('union')) return 'union';
  return t.typeName === 'error' ? 'record' : t.typeName;
}

function simpleName(fullName: string | undefined): string {
  const s = fullName ?? '';
  return s.slice(s.lastIndexOf('.') + 1);
}

class Checker {
  constructor(
    private readonly out: Incompatibility[],
    /** Named pairs: 'pending' while being checked (a recursive type reads itself), then the result. Shared with probes. */
    private readonly memo = new Map<string, boolean | 'pending'>(),
  ) {}

  private probe(reader: AnyType, writer: AnyType, location: string): boolean {
    return new Checker([], this.memo).check(reader, writer, location);
  }

  private report(type: string, location: string, message: string, reader: AnyType, writer: AnyType): void {
    this.out.push({
      type,
      location: location || '/',
      message: `${message}, reader:${JSON.stringify(reader.schema())}, writer:${JSON.stringify(writer.schema())}`,
    });
  }

  /** True when compatible (reports otherwise). */
  check(reader: AnyType, writer: AnyType, location: string): boolean {
    const rk = kind(reader);
    const wk = kind(writer);
    if (rk === wk) {
      if (NAMED.has(rk)) {
        const key = `${reader.name}\u0000${writer.name}`;
        const known = this.memo.get(key);
        if (known !== undefined) return known !== false;
        this.memo.set(key, 'pending');
        const ok = this.namesMatch(reader, writer, location) && this.checkSame(rk, reader, writer, location);
        this.memo.set(key, ok);
        return ok;
      }
      return this.checkSame(rk, reader, writer, location);
    }
    return this.checkDifferent(rk, wk, reader, writer, location);
  }

  private checkSame(rk: string, reader: AnyType, writer: AnyType, location: string): boolean {
      switch (rk) {
        case 'array':
          return this.check(reader.itemsType!, writer.itemsType!, `${location}/items`);
        case 'map':
          return this.check(reader.valuesType!, writer.valuesType!, `${location}/values`);
        case 'fixed':
          if (reader.size !== writer.size) {
            this.report('FIXED_SIZE_MISMATCH', `${location}/size`, `expected: ${writer.size}, found: ${reader.size}`, reader, writer);
            return false;
          }
          return true;
        case 'enum':
          return this.checkEnum(reader, writer, location);
        case 'record':
          return this.checkRecord(reader, writer, location);
        case 'union':
          return this.checkWriterUnion(reader, writer, location);
        default:
          return true;
      }
  }

  private checkDifferent(rk: string, wk: string, reader: AnyType, writer: AnyType, location: string): boolean {
    if (wk === 'union') return this.checkWriterUnion(reader, writer, location);
    if (rk === 'union') {
      // Avro picks the first reader branch that matches the writer's type exactly, else one it promotes to.
      const branches = reader.types!;
      const exact = branches.find((b) => kind(b) === wk && (!NAMED.has(wk) || simpleName(b.name) === simpleName(writer.name)));
      const candidates = exact ? [exact] : branches.filter((b) => kind(b) === wk || (PROMOTIONS[kind(b)] ?? []).includes(wk));
      for (const b of candidates) {
        if (this.probe(b, writer, location)) return true;
      }
      this.report('MISSING_UNION_BRANCH', location, `reader union lacking writer type: ${wk.toUpperCase()}`, reader, writer);
      return false;
    }
    if ((PROMOTIONS[rk] ?? []).includes(wk)) return true;
    this.report('TYPE_MISMATCH', location, `reader type: ${rk.toUpperCase()} not compatible with writer type: ${wk.toUpperCase()}`, reader, writer);
    return false;
  }

  private namesMatch(reader: AnyType, writer: AnyType, location: string): boolean {
    if (simpleName(reader.name) === simpleName(writer.name)) return true;
    if ((reader.aliases ?? []).includes(writer.name ?? '')) return true;
    this.report('NAME_MISMATCH', `${location}/name`, `expected: ${writer.name}`, reader, writer);
    return false;
  }

  private checkEnum(reader: AnyType, writer: AnyType, location: string): boolean {
    if (reader.default !== undefined) return true;
    const readerSymbols = new Set(reader.symbols);
    const missing = writer.symbols!.filter((s) => !readerSymbols.has(s));
    if (missing.length === 0) return true;
    this.report('MISSING_ENUM_SYMBOLS', `${location}/symbols`, `[${missing.join(', ')}]`, reader, writer);
    return false;
  }

  private checkRecord(reader: AnyType, writer: AnyType, location: string): boolean {
    let ok = true;
    const writerFields = writer.fields!;
    reader.fields!.forEach((field, i) => {
      const match =
        writerFields.find((w) => w.name === field.name) ?? writerFields.find((w) => field.aliases.includes(w.name));
      if (match === undefined) {
        if (field.defaultValue() === undefined) {
          this.report('READER_FIELD_MISSING_DEFAULT_VALUE', `${location}/fields/${i}`, field.name, reader, writer);
          ok = false;
        }
        return;
      }
      if (!this.check(field.type, match.type, `${location}/fields/${i}/type`)) ok = false;
    });
    return ok;
  }

  private checkWriterUnion(reader: AnyType, writer: AnyType, location: string): boolean {
    let ok = true;
    writer.types!.forEach((branch, i) => {
      if (!this.probe(reader, branch, `${location}/${i}`)) {
        ok = false;
        this.report('MISSING_UNION_BRANCH', `${location}/${i}`, `reader union lacking writer type: ${kind(branch).toUpperCase()}`, reader, branch);
      }
    });
    return ok;
  }
}
