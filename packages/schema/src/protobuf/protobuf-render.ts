// The normal form of a .proto file (normalize=true): one layout, fields in number order inside each
// message, imports sorted, options in name order; messages keep their declaration order, because
// message indexes on the wire count it.
import protobuf from 'protobufjs';
import type { ProtobufSchema } from './protobuf-schema.js';

export function renderProto(schema: ProtobufSchema): string {
  const lines: string[] = [`syntax = "${schema.syntax}";`];
  if (schema.packageName !== '') lines.push(`package ${schema.packageName};`);
  for (const imp of [...schema.imports].sort()) lines.push(`import "${imp}";`);
  const ns = schema.packageNamespace(schema.file);
  lines.push(...renderOptions(ns.options, '', 'option'));
  for (const nested of ns.nestedArray) renderNested(nested, '', lines, schema.syntax);
  return `${lines.join('\n')}\n`;
}

function renderNested(n: protobuf.ReflectionObject, indent: string, lines: string[], syntax: string): void {
  if (n instanceof protobuf.Type) renderType(n, indent, lines, syntax);
  else if (n instanceof protobuf.Enum) renderEnum(n, indent, lines);
  else if (n instanceof protobuf.Service) {
    lines.push(`${indent}service ${n.name} {`);
    for (const m of n.methodsArray) {
      lines.push(`${indent}  rpc ${m.name}(${m.requestStream ? 'stream ' : ''}${m.requestType}) returns (${m.responseStream ? 'stream ' : ''}${m.responseType});`);
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

function fieldLine(f: protobuf.Field, syntax: string, inOneof: boolean): string {
  let label = '';
  if (f.map) {
    const m = f as unknown as protobuf.MapField;
    return `map<${m.keyType}, ${f.type}> ${f.name} = ${f.id}${fieldOptions(f)};`;
  }
  if (f.repeated) label = 'repeated ';
  else if (f.required) label = 'required ';
  else if (!inOneof && (syntax === 'proto2' || f.options?.proto3_optional)) label = 'optional ';
  return `${label}${f.type} ${f.name} = ${f.id}${fieldOptions(f)};`;
}

function renderType(t: protobuf.Type, indent: string, lines: string[], syntax: string): void {
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
      lines.push(`${inner}${fieldLine(f, syntax, false)}`);
      continue;
    }
    if (done.has(o.name)) continue;
    done.add(o.name);
    lines.push(`${inner}oneof ${o.name} {`);
    for (const of of [...o.fieldsArray].sort((a, b) => a.id - b.id)) lines.push(`${inner}  ${fieldLine(of, syntax, true)}`);
    lines.push(`${inner}}`);
  }
  for (const nested of t.nestedArray) renderNested(nested, inner, lines, syntax);
  lines.push(`${indent}}`);
}

function renderEnum(e: protobuf.Enum, indent: string, lines: string[]): void {
  lines.push(`${indent}enum ${e.name} {`);
  lines.push(...renderOptions(e.options, `${indent}  `, 'option'));
  for (const [name, value] of Object.entries(e.values).sort((a, b) => a[1] - b[1])) lines.push(`${indent}  ${name} = ${value};`);
  lines.push(`${indent}}`);
}
