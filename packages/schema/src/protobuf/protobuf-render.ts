// The normal form of a .proto file (normalize=true): one layout, fields in number order inside each
// message, imports sorted, options in name order; messages keep their declaration order, because
// message indexes on the wire count it. `qualified` writes every message / enum type a field or rpc
// names by its resolved full name (`.shop.Line`), so one file given as text (`Line`) and as a
// FileDescriptorProto (protoc writes `.shop.Line`) render alike: ProtobufSchema.identity.
import protobuf from 'protobufjs';
import type { ProtobufSchema } from './protobuf-schema.js';

/** What rendering needs besides the node: the file's syntax, and where names resolve (qualified only). */
interface Ctx {
  readonly syntax: string;
  readonly resolved: protobuf.Root | undefined;
}

export function renderProto(schema: ProtobufSchema, opts: { readonly qualified?: boolean } = {}): string {
  const ctx: Ctx = { syntax: schema.syntax, resolved: opts.qualified === true ? schema.root : undefined };
  const lines: string[] = [`syntax = "${schema.syntax}";`];
  if (schema.packageName !== '') lines.push(`package ${schema.packageName};`);
  for (const imp of [...schema.imports].sort()) lines.push(`import "${imp}";`);
  const ns = schema.packageNamespace(schema.file);
  lines.push(...renderOptions(ns.options, '', 'option'));
  for (const nested of ordered(ns.nestedArray, ctx)) renderNested(nested, '', lines, ctx);
  return `${lines.join('\n')}\n`;
}

/**
 * Declarations in file order; qualified, messages before enums before services (each kind in its
 * order), as a FileDescriptorProto lists them — message indexes count messages only, so the order
 * across kinds says nothing about the schema.
 */
function ordered(nested: readonly protobuf.ReflectionObject[], ctx: Ctx): readonly protobuf.ReflectionObject[] {
  if (ctx.resolved === undefined) return nested;
  const rank = (n: protobuf.ReflectionObject) => (n instanceof protobuf.Type ? 0 : n instanceof protobuf.Enum ? 1 : n instanceof protobuf.Service ? 2 : 3);
  return [...nested].sort((a, b) => rank(a) - rank(b));
}

/** The full name of what `resolve` finds in the resolved root (qualified), else the type as spelled. */
function typeName(ctx: Ctx, spelled: string, resolve: (root: protobuf.Root) => protobuf.ReflectionObject | null | undefined): string {
  if (ctx.resolved === undefined) return spelled;
  try {
    return resolve(ctx.resolved)?.fullName ?? spelled;
  } catch {
    return spelled;
  }
}

/** The resolved counterpart of a field of the main file's (unresolved) parse. */
function fieldType(ctx: Ctx, f: protobuf.Field): string {
  return typeName(ctx, f.type, (root) => {
    const t = root.lookup(f.parent?.fullName ?? '');
    const rf = t instanceof protobuf.Type ? t.fields[f.name] : undefined;
    return rf?.resolve().resolvedType;
  });
}

function methodTypes(ctx: Ctx, m: protobuf.Method): [string, string] {
  const resolved = (root: protobuf.Root) => {
    const s = root.lookup(m.parent?.fullName ?? '');
    const method = s instanceof protobuf.Service ? s.methods[m.name] : undefined;
    method?.resolve();
    return method;
  };
  return [typeName(ctx, m.requestType, (root) => resolved(root)?.resolvedRequestType), typeName(ctx, m.responseType, (root) => resolved(root)?.resolvedResponseType)];
}

function renderNested(n: protobuf.ReflectionObject, indent: string, lines: string[], ctx: Ctx): void {
  if (n instanceof protobuf.Type) renderType(n, indent, lines, ctx);
  else if (n instanceof protobuf.Enum) renderEnum(n, indent, lines);
  else if (n instanceof protobuf.Service) {
    lines.push(`${indent}service ${n.name} {`);
    for (const m of n.methodsArray) {
      const [request, response] = methodTypes(ctx, m);
      lines.push(`${indent}  rpc ${m.name}(${m.requestStream ? 'stream ' : ''}${request}) returns (${m.responseStream ? 'stream ' : ''}${response});`);
    }
    lines.push(`${indent}}`);
  }
}

function renderOptions(options: Record<string, unknown> | undefined, indent: string, keyword: string): string[] {
  if (!options) return [];
  return Object.keys(options)
    .sort()
    .map((k) => `${indent}${keyword} ${k} = ${literal(options[k])};`);
}

function literal(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function fieldOptions(f: protobuf.Field): string {
  const opts = { ...(f.options ?? {}) };
  delete opts.proto3_optional;
  const keys = Object.keys(opts).sort();
  return keys.length === 0 ? '' : ` [${keys.map((k) => `${k} = ${literal(opts[k])}`).join(', ')}]`;
}

function fieldLine(f: protobuf.Field, ctx: Ctx, inOneof: boolean): string {
  const syntax = ctx.syntax;
  let label = '';
  if (f.map) {
    const m = f as unknown as protobuf.MapField;
    return `map<${m.keyType}, ${fieldType(ctx, f)}> ${f.name} = ${f.id}${fieldOptions(f)};`;
  }
  if (f.repeated) label = 'repeated ';
  else if (f.required) label = 'required ';
  else if (!inOneof && (syntax === 'proto2' || f.options?.proto3_optional)) label = 'optional ';
  return `${label}${fieldType(ctx, f)} ${f.name} = ${f.id}${fieldOptions(f)};`;
}

function renderType(t: protobuf.Type, indent: string, lines: string[], ctx: Ctx): void {
  const inner = `${indent}  `;
  lines.push(`${indent}message ${t.name} {`);
  lines.push(...renderOptions(t.options, inner, 'option'));
  const numbers: number[] = [];
  const names: string[] = [];
  for (const r of t.reserved ?? []) {
    if (typeof r === 'string') names.push(JSON.stringify(r));
    else numbers.push(...(r[0] === r[1] ? [r[0]!] : []));
  }
  const ranges = (t.reserved ?? []).filter((r): r is number[] => Array.isArray(r) && r[0] !== r[1]).map((r) => `${r[0]} to ${r[1] === 536870911 ? 'max' : r[1]}`);
  const reservedNumbers = [...numbers.sort((a, b) => a - b).map(String), ...ranges];
  if (reservedNumbers.length > 0) lines.push(`${inner}reserved ${reservedNumbers.join(', ')};`);
  if (names.length > 0) lines.push(`${inner}reserved ${names.sort().join(', ')};`);
  const oneofOf = (f: protobuf.Field) => {
    const o = f.partOf;
    return o !== null && !(o.fieldsArray.length === 1 && o.name === `_${f.name}`) ? o : null;
  };
  const done = new Set<string>();
  for (const f of [...t.fieldsArray].sort((a, b) => a.id - b.id)) {
    const o = oneofOf(f);
    if (o === null) {
      lines.push(`${inner}${fieldLine(f, ctx, false)}`);
      continue;
    }
    if (done.has(o.name)) continue;
    done.add(o.name);
    lines.push(`${inner}oneof ${o.name} {`);
    for (const of of [...o.fieldsArray].sort((a, b) => a.id - b.id)) lines.push(`${inner}  ${fieldLine(of, ctx, true)}`);
    lines.push(`${inner}}`);
  }
  for (const nested of ordered(t.nestedArray, ctx)) renderNested(nested, inner, lines, ctx);
  lines.push(`${indent}}`);
}

function renderEnum(e: protobuf.Enum, indent: string, lines: string[]): void {
  lines.push(`${indent}enum ${e.name} {`);
  lines.push(...renderOptions(e.options, `${indent}  `, 'option'));
  for (const [name, value] of Object.entries(e.values).sort((a, b) => a[1] - b[1])) lines.push(`${indent}  ${name} = ${value};`);
  lines.push(`${indent}}`);
}
