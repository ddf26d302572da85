// The serialized form of a Protobuf schema, as Confluent's registry also takes and gives it: a
// FileDescriptorProto in base64. Confluent's own serializers (Java, and the Node client
// @confluentinc/schemaregistry over @bufbuild/protobuf) register schemas in it and fetch them with
// `?format=serialized`. A registered descriptor is stored as .proto text (rendered as the normal
// form is), so every other reader sees the text; the serialized form is made from the text on request,
// with every type name fully qualified, as protoc writes them (what @bufbuild's registry resolves).
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import type { IDescriptorProto, IEnumDescriptorProto, IFieldDescriptorProto, IFileDescriptorProto, IServiceDescriptorProto } from 'protobufjs/ext/descriptor.js';
import { RegistryError, RegistryErrorCode } from '../registry-error.js';
import type { ProtobufSchema } from './protobuf-schema.js';
import { renderProto } from './protobuf-render.js';

interface DescriptorCodec {
  readonly FileDescriptorProto: {
    decode(bytes: Uint8Array): IFileDescriptorProto;
    encode(message: IFileDescriptorProto): { finish(): Uint8Array };
    fromObject(object: Record<string, unknown>): IFileDescriptorProto;
  };
}

// The extension is CommonJS that patches protobufjs' Root / Type with toDescriptor / fromDescriptor
// and exports the descriptor messages; loaded where it is used.
const descriptors = createRequire(import.meta.url)('protobufjs/ext/descriptor') as DescriptorCodec;

/** FieldDescriptorProto.Type values this module writes. */
const TYPE_MESSAGE = 11;
const TYPE_ENUM = 14;
const LABEL_REPEATED = 3;

/** Base64 and nothing else (a .proto file always has spaces, braces or semicolons). */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A base64 FileDescriptorProto, decoded (42201 when it is not one). */
function decodeDescriptor(text: string, what: string): IFileDescriptorProto {
  try {
    const file = descriptors.FileDescriptorProto.decode(Buffer.from(text, 'base64'));
    // protobufjs reads a file without `syntax` as proto3 unless told: protoc leaves it out for proto2.
    return { ...file, syntax: file.syntax || 'proto2' };
  } catch (err) {
    throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `Invalid schema${what}: not a serialized FileDescriptorProto: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The .proto text of a schema given as a base64 FileDescriptorProto, or undefined when it is not
 * one. A descriptor importing other files resolves its types against `dependencies()`: the
 * schema's references as base64 FileDescriptorProtos (asked only when it has imports), each named
 * by its import path. Only the file's own declarations are rendered; its imports stay imports.
 */
export function protoTextOfDescriptor(schema: string, dependencies: (imports: readonly string[]) => readonly string[] = () => []): string | undefined {
  const text = schema.trim();
  if (text.length % 4 !== 0 || !BASE64.test(text)) return undefined;
  const withSyntax = decodeDescriptor(text, '');
  const imports = withSyntax.dependency ?? [];
  const deps = imports.length === 0 ? [] : dependencies(imports).map((d) => decodeDescriptor(d, ' reference'));
  let root: protobuf.Root;
  try {
    root = (protobuf.Root as unknown as { fromDescriptor(set: { file: IFileDescriptorProto[] }, o: { keepCase: boolean }): protobuf.Root }).fromDescriptor({ file: [...deps, withSyntax] }, { keepCase: true });
  } catch (err) {
    // protobufjs resolves every type name: one from an imported file needs that file among the references.
    const named = imports.length > 0 ? ` (it imports ${imports.join(', ')}: each needs a reference of that name)` : '';
    throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `Invalid schema: the serialized FileDescriptorProto does not resolve: ${(err as Error).message}${named}`, { cause: err });
  }
  const packageName = withSyntax.package ?? '';
  // The root holds the imported files' declarations too: the file's own are those it lists.
  const own = new Set([...(withSyntax.messageType ?? []), ...(withSyntax.enumType ?? []), ...(withSyntax.service ?? [])].map((d) => d.name ?? ''));
  const view = {
    syntax: withSyntax.syntax!,
    packageName,
    imports,
    file: root,
    packageNamespace: (r: protobuf.Root) => {
      const ns = packageName === '' ? r : (r.lookup(packageName) as protobuf.Namespace);
      return deps.length === 0 ? ns : { options: ns.options, nestedArray: ns.nestedArray.filter((n) => own.has(n.name)) };
    },
  };
  return renderProto(view as unknown as ProtobufSchema);
}

/** The schema as a base64 FileDescriptorProto named `fileName` (its imports as its dependencies). */
export function serializedDescriptor(schema: ProtobufSchema, fileName: string): string {
  const edition = schema.syntax === 'proto3' ? 'proto3' : 'proto2';
  const messageType: IDescriptorProto[] = [];
  const enumType: IEnumDescriptorProto[] = [];
  const service: IServiceDescriptorProto[] = [];
  // The main file's own declarations, in its order, described from their resolved types.
  for (const declared of schema.packageNamespace(schema.file).nestedArray) {
    const t = schema.root.lookup(declared.fullName);
    if (t instanceof protobuf.Type) messageType.push(qualified(schema, describe<IDescriptorProto>(t, edition), t.fullName));
    else if (t instanceof protobuf.Enum) enumType.push(describe<IEnumDescriptorProto>(t));
    else if (t instanceof protobuf.Service) service.push(qualifiedService(t, describe<IServiceDescriptorProto>(t)));
  }
  const file: IFileDescriptorProto = {
    name: fileName,
    dependency: [...schema.imports],
    messageType,
    enumType,
    service,
    ...(schema.packageName === '' ? {} : { package: schema.packageName }),
    ...(edition === 'proto3' ? { syntax: 'proto3' } : {}),
  };
  return Buffer.from(descriptors.FileDescriptorProto.encode(descriptors.FileDescriptorProto.fromObject(file as Record<string, unknown>)).finish()).toString('base64');
}

/** A bundled well-known file (google/protobuf/timestamp.proto, …) as a base64 FileDescriptorProto named `fileName`. */
export function wellKnownDescriptor(bundled: protobuf.INamespace, fileName: string): string {
  const set = (protobuf.Root.fromJSON(bundled) as unknown as { toDescriptor(e: string): { file: IFileDescriptorProto[] } }).toDescriptor('proto3');
  const file = { ...set.file[0]!, name: fileName };
  return Buffer.from(descriptors.FileDescriptorProto.encode(descriptors.FileDescriptorProto.fromObject(file as Record<string, unknown>)).finish()).toString('base64');
}

/** protobufjs' own descriptor of a reflection object (the extension patches toDescriptor in). */
function describe<D>(object: protobuf.ReflectionObject, edition?: string): D {
  return (object as unknown as { toDescriptor(e?: string): D }).toDescriptor(edition);
}

function qualifiedService(service: protobuf.Service, d: IServiceDescriptorProto): IServiceDescriptorProto {
  return {
    ...d,
    method: (d.method ?? []).map((m) => {
      const method = service.methods[m.name ?? ''];
      method?.resolve();
      return method === undefined ? m : { ...m, inputType: method.resolvedRequestType?.fullName ?? m.inputType, outputType: method.resolvedResponseType?.fullName ?? m.outputType };
    }),
  };
}

/**
 * A message descriptor with each field's type name resolved against the schema's resolved types
 * (`.shop.Line`, not `Line`) and its type set to what it names (message or enum) — protobufjs writes
 * the names as the file spells them — and `packed` left only on repeated fields.
 */
function qualified(schema: ProtobufSchema, message: IDescriptorProto, fullName: string): IDescriptorProto {
  const type = schema.root.lookup(fullName);
  const resolved = type instanceof protobuf.Type ? type : undefined;
  const mapValues = new Map<string, protobuf.MapField>();
  const fields = (message.field ?? []).map((fd): IFieldDescriptorProto => {
    const out: IFieldDescriptorProto = { ...fd };
    const f = resolved?.fields[fd.name ?? ''];
    if (f !== undefined) {
      f.resolve();
      if (f.resolvedType !== null) {
        out.typeName = f.resolvedType.fullName;
        out.type = f.resolvedType instanceof protobuf.Enum ? TYPE_ENUM : TYPE_MESSAGE;
      }
      if (f instanceof protobuf.MapField) {
        mapValues.set(entryName(fd), f);
        out.typeName = `${fullName}.${entryName(fd)}`;
        out.type = TYPE_MESSAGE;
      }
    }
    if (out.label !== LABEL_REPEATED && out.options?.packed !== undefined) {
      const { packed: _packed, ...options } = out.options;
      if (Object.keys(options).length > 0) out.options = options;
      else delete out.options;
    }
    return out;
  });
  const nested = (message.nestedType ?? []).map((n) => {
    const map = n.options?.mapEntry === true ? mapValues.get(n.name ?? '') : undefined;
    return map === undefined ? qualified(schema, n, `${fullName}.${n.name}`) : mapEntry(n, map);
  });
  return { ...message, field: fields, nestedType: nested };
}

function entryName(fd: IFieldDescriptorProto): string {
  const t = fd.typeName ?? '';
  return t.slice(t.lastIndexOf('.') + 1);
}

/** A map field's generated `XEntry` type: its value names the map's resolved value type. */
function mapEntry(entry: IDescriptorProto, map: protobuf.MapField): IDescriptorProto {
  map.resolve();
  const field = (entry.field ?? []).map((fd): IFieldDescriptorProto => {
    if (fd.name !== 'value' || map.resolvedType === null) return fd;
    return { ...fd, typeName: map.resolvedType.fullName, type: map.resolvedType instanceof protobuf.Enum ? TYPE_ENUM : TYPE_MESSAGE };
  });
  return { ...entry, field };
}
