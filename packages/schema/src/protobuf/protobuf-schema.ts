// Protobuf schemas: .proto text parsed with protobufjs. Referenced files (imports) are parsed into
// the same Root so types resolve; the main file's own declarations (its package, its messages in
// declaration order — what message indexes count) come from a parse of the main text alone.
import protobuf from 'protobufjs';
import { RegistryError, RegistryErrorCode } from '../registry-error.js';
import type { ParsedSchema, ResolvedReference, SchemaProvider } from '../schema-type.js';
import { protobufIncompatibilities } from './protobuf-compatibility.js';
import { protoTextOfDescriptor, serializedDescriptor, wellKnownDescriptor } from './protobuf-descriptor.js';
import { renderProto } from './protobuf-render.js';

export class ProtobufSchema implements ParsedSchema {
  readonly schemaType = 'PROTOBUF' as const;
  readonly canonical: string;
  /** Every type, the main file's and its references'. */
  readonly root: protobuf.Root;
  /** The main file alone (unresolved): declaration order and package. */
  readonly file: protobuf.Root;
  readonly packageName: string;
  readonly syntax: string;
  readonly imports: readonly string[];
  constructor(text: string, root: protobuf.Root, file: protobuf.Root, parsed: protobuf.IParserResult) {
    this.canonical = canonicalProtoText(text);
    this.root = root;
    this.file = file;
    this.packageName = parsed.package ?? '';
    this.syntax = (parsed as { syntax?: string }).syntax ?? syntaxOf(text);
    this.imports = parsed.imports ?? [];
  }
  normalized(): string {
    return renderProto(this);
  }
  /** The file with every type resolved to its full name: the same for its .proto text and its FileDescriptorProto. */
  identity(): string {
    this.identityText ??= renderProto(this, { qualified: true });
    return this.identityText;
  }
  private identityText: string | undefined;
  /** The main file's messages, top-level first then nested, as [full name without leading dot, indexes]. */
  messageIndexes(): readonly [string, number[]][] {
    // Computed once: serdes and broker-side validation ask per record.
    this.indexes ??= this.computeMessageIndexes();
    return this.indexes;
  }
  private indexes: [string, number[]][] | undefined;
  private computeMessageIndexes(): [string, number[]][] {
    const out: [string, number[]][] = [];
    const walk = (ns: protobuf.NamespaceBase, prefix: number[]) => {
      typesOf(ns).forEach((t, i) => {
        const indexes = [...prefix, i];
        out.push([t.fullName.replace(/^\./, ''), indexes]);
        walk(t, indexes);
      });
    };
    walk(this.packageNamespace(this.file), []);
    return out;
  }
  /** The resolved type for a main-file message named by full name. */
  lookupType(fullName: string): protobuf.Type {
    return this.root.lookupType(fullName);
  }
  packageNamespace(root: protobuf.Root): protobuf.NamespaceBase {
    return this.packageName === '' ? root : (root.lookup(this.packageName) as protobuf.Namespace);
  }
}

/** protobufjs 8 does not report `syntax`; read it from the text (absent means proto2). */
function syntaxOf(text: string): string {
  const m = /\bsyntax\s*=\s*["'](proto[23])["']/.exec(text);
  const e = /\bedition\s*=\s*["']([^"']+)["']/.exec(text);
  return m ? m[1]! : e ? `edition ${e[1]}` : 'proto2';
}

/** Message types directly inside a namespace, in declaration order. */
export function typesOf(ns: protobuf.NamespaceBase): protobuf.Type[] {
  return ns.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
}

/** Comments dropped and whitespace collapsed: two layouts of one file are one schema. */
function canonicalProtoText(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};=,[\]()<>])\s*/g, '$1')
    .trim();
}

function parseInto(text: string, root: protobuf.Root, what: string): protobuf.IParserResult {
  try {
    return protobuf.parse(text, root, { keepCase: true, alternateCommentMode: true });
  } catch (err) {
    throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `Invalid schema ${what}: ${(err as Error).message}`, { cause: err });
  }
}

function addReferences(references: readonly ResolvedReference[], root: protobuf.Root, seen: Set<string>): void {
  for (const ref of references) {
    if (seen.has(ref.name)) continue;
    seen.add(ref.name);
    if (ref.schemaType !== 'PROTOBUF') throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `Invalid schema: reference ${ref.name} is ${ref.schemaType}, not PROTOBUF`);
    addReferences(ref.references, root, seen);
    parseInto(ref.schema, root, `reference ${ref.name}`);
  }
}

/**
 * Every reference (transitively, once each by name) as a base64 FileDescriptorProto named by its
 * import path, and the well-known files among `imports` that no reference names (protobufjs bundles them).
 */
function referenceDescriptors(references: readonly ResolvedReference[], imports: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (refs: readonly ResolvedReference[]) => {
    for (const ref of refs) {
      if (seen.has(ref.name) || ref.schemaType !== 'PROTOBUF') continue;
      seen.add(ref.name);
      visit(ref.references);
      out.push(serializedDescriptor(protobufProvider.parse(ref.schema, ref.references), ref.name));
    }
  };
  visit(references);
  for (const imp of imports) {
    const bundled = !seen.has(imp) && WELL_KNOWN.test(imp) ? (protobuf.common.get(imp) as protobuf.INamespace | null) : null;
    if (bundled !== null) out.push(wellKnownDescriptor(bundled, imp));
  }
  return out;
}

/** Imports protobufjs would resolve from its bundled descriptors; they need no reference. */
const WELL_KNOWN = /^google\/protobuf\/(any|duration|empty|field_mask|struct|timestamp|wrappers|descriptor)\.proto$/;

export const protobufProvider: SchemaProvider<ProtobufSchema> = {
  schemaType: 'PROTOBUF',
  parse(given, references) {
    // A base64 FileDescriptorProto (Confluent's serialized form) is taken as the .proto text it
    // describes; its imports resolve against the references, as descriptors too.
    const schema = protoTextOfDescriptor(given, (imports) => referenceDescriptors(references, imports)) ?? given;
    const file = new protobuf.Root();
    const parsed = parseInto(schema, file, '');
    const root = new protobuf.Root();
    addReferences(references, root, new Set());
    const names = new Set(references.map((r) => r.name));
    for (const imp of parsed.imports ?? []) {
      if (names.has(imp)) continue;
      const common = WELL_KNOWN.exec(imp);
      const bundled = common ? (protobuf.common.get(imp) as protobuf.INamespace | null) : null;
      if (bundled === null) throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `Invalid schema: import "${imp}" has no reference`);
      if (!root.lookup('google.protobuf')) protobuf.Root.fromJSON(bundled, root);
    }
    parseInto(schema, root, '');
    try {
      root.resolveAll();
    } catch (err) {
      throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `Invalid schema: ${(err as Error).message}`, { cause: err });
    }
    return new ProtobufSchema(schema, root, file, parsed);
  },
  incompatibilities(reader, writer, newer = 'reader') {
    return protobufIncompatibilities(reader, writer, newer);
  },
};
