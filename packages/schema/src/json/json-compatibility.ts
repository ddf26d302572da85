// JSON Schema compatibility as set inclusion, in Confluent's Difference vocabulary: a reader
// ("update") is compatible with a writer ("original") when every document the writer's schema
// accepts, the reader's accepts too. Rules, each reported where it breaks (jsonPath):
//   type: TYPE_NARROWED (a writer type the reader lacks; integer ⊂ number)
//   enum/const: ENUM_ARRAY_NARROWED
//   strings: MAX_LENGTH_ADDED|DECREASED, MIN_LENGTH_ADDED|INCREASED, PATTERN_ADDED|CHANGED
//   numbers: MAXIMUM_*, MINIMUM_*, EXCLUSIVE_MAXIMUM_*, EXCLUSIVE_MINIMUM_*, MULTIPLE_OF_ADDED|CHANGED
//   objects — content models open (additionalProperties absent/true), closed (false) or partially
//     open (a schema): PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL, PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
//     PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL, PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
//     REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL, REQUIRED_ATTRIBUTE_ADDED,
//     ADDITIONAL_PROPERTIES_REMOVED|NARROWED, MAX_PROPERTIES_*, MIN_PROPERTIES_*
//   arrays: items recursively; tuples ITEM_ADDED_TO_OPEN_CONTENT_MODEL, ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL,
//     ADDITIONAL_ITEMS_REMOVED|NARROWED; MAX_ITEMS_*, MIN_ITEMS_*, UNIQUE_ITEMS_ADDED
//   combined: SUM_TYPE_NARROWED (an anyOf/oneOf writer branch no reader branch accepts),
//     COMBINED_TYPE_CHANGED (anyOf → oneOf), PRODUCT_TYPE_EXTENDED (an allOf reader conjunct the writer does not imply)
//   $ref: resolved in the document, its $defs/definitions, or a referenced schema by name.
import type { Incompatibility } from '../schema-type.js';
import type { JsonSchema } from './json-schema.js';
import { isObject, type JsonObject, type JsonValue, sortedJson } from './json-value.js';

export function jsonIncompatibilities(reader: JsonSchema, writer: JsonSchema): Incompatibility[] {
  const out: Incompatibility[] = [];
  const ctx = new Context(writer, reader, out);
  ctx.compare({ doc: writer.root, schema: writer.root, side: writer }, { doc: reader.root, schema: reader.root, side: reader }, '#');
  return out;
}

/** A schema node and the document its local `$ref`s resolve in. */
interface Node {
  doc: JsonValue;
  schema: JsonValue;
  side: JsonSchema;
}

const SUM = ['anyOf', 'oneOf'] as const;

class Context {
  constructor(
    readonly writer: JsonSchema,
    readonly reader: JsonSchema,
    private readonly out: Incompatibility[],
    /** Schema pairs being compared (shared with probes): a recursive schema meets itself and stops. */
    private readonly inProgress = new Set<string>(),
  ) {}

  private report(type: string, location: string): void {
    this.out.push({ type, location, message: '' });
  }

  /** Would `update` accept every document `original` accepts? (A probe: reports nothing.) */
  private accepts(original: Node, update: Node, location: string): boolean {
    const probe: Incompatibility[] = [];
    new Context(this.writer, this.reader, probe, this.inProgress).compare(original, update, location);
    return probe.length === 0;
  }

  compare(originalIn: Node, updateIn: Node, location: string): void {
    const original = this.deref(originalIn);
    const update = this.deref(updateIn);
    const o = asObject(original.schema);
    const u = asObject(update.schema);
    if (o === null) return; // `false`: the writer writes nothing, anything reads it
    if (u === null) {
      this.report('TYPE_NARROWED', location); // `false` accepts nothing the writer wrote
      return;
    }
    const key = `${sortedJson(o)}|${sortedJson(u)}`;
    if (this.inProgress.has(key)) return; // a recursive schema compared against itself
    this.inProgress.add(key);
    try {
      if (this.compareCombined(original, update, o, u, location)) return;
      this.compareType(o, u, location);
      this.compareEnum(o, u, location);
      this.compareBounds(o, u, location);
      this.compareObject(original, update, o, u, location);
      this.compareArray(original, update, o, u, location);
    } finally {
      this.inProgress.delete(key);
    }
  }

  private deref(node: Node): Node {
    let current = node;
    for (let hops = 0; hops < 64; hops++) {
      const s = current.schema;
      if (!isObject(s) || typeof s.$ref !== 'string') return current;
      const resolved = this.resolve(current, s.$ref);
      if (resolved === null) return current;
      // Sibling keywords of a $ref (allowed from 2019-09) apply as well; merge them in.
      const { $ref: _ref, ...siblings } = s;
      const target = resolved.schema;
      current = { ...resolved, schema: isObject(target) && Object.keys(siblings).length > 0 ? { ...target, ...siblings } : target };
    }
    return current;
  }

  private resolve(node: Node, ref: string): Node | null {
    const hash = ref.indexOf('#');
    const base = hash < 0 ? ref : ref.slice(0, hash);
    const pointer = hash < 0 ? '' : ref.slice(hash + 1);
    let doc = node.doc;
    if (base !== '') {
      const named = node.side.documents.get(base);
      if (named === undefined) return null;
      doc = named;
    }
    const target = pointerGet(doc, pointer);
    return target === undefined ? null : { doc, schema: target, side: node.side };
  }

  private sub(node: Node, schema: JsonValue): Node {
    return { doc: node.doc, schema, side: node.side };
  }

  /** True when the combinators decided the comparison (nothing else to compare at this level). */
  private compareCombined(original: Node, update: Node, o: JsonObject, u: JsonObject, location: string): boolean {
    const uSum = SUM.find((k) => Array.isArray(u[k]));
    const oSum = SUM.find((k) => Array.isArray(o[k]));
    if (uSum !== undefined || oSum !== undefined) {
      const oBranches = oSum ? (o[oSum] as JsonValue[]).map((b) => this.sub(original, b)) : [{ ...original, schema: o }];
      const uBranches = uSum ? (u[uSum] as JsonValue[]).map((b) => this.sub(update, b)) : [{ ...update, schema: u }];
      if (oSum === 'anyOf' && uSum === 'oneOf') this.report('COMBINED_TYPE_CHANGED', location);
      oBranches.forEach((ob, i) => {
        const where = oSum ? `${location}/${oSum}/${i}` : location;
        const strip = (n: Node): Node => ({ ...n, schema: withoutSum(n.schema) });
        if (!uBranches.some((ub) => this.accepts(strip(ob), strip(ub), where))) this.report('SUM_TYPE_NARROWED', where);
      });
      return true;
    }
    if (Array.isArray(u.allOf)) {
      // Every reader conjunct must hold for every writer document.
      (u.allOf as JsonValue[]).forEach((conjunct, i) => {
        const where = `${location}/allOf/${i}`;
        const writerParts = Array.isArray(o.allOf) ? (o.allOf as JsonValue[]).map((p) => this.sub(original, p)) : [{ ...original, schema: o }];
        if (!writerParts.some((p) => this.accepts(p, this.sub(update, conjunct), where))) this.report('PRODUCT_TYPE_EXTENDED', where);
      });
      const { allOf: _a, ...rest } = u;
      if (Object.keys(rest).length > 0) this.compare({ ...original, schema: withoutAllOf(o) }, { ...update, schema: rest }, location);
      return true;
    }
    if (Array.isArray(o.allOf)) {
      // The writer's documents satisfy every conjunct; the reader accepts them if one conjunct (with the rest of the writer) implies it.
      const parts = (o.allOf as JsonValue[]).map((p) => this.sub(original, p));
      const rest = withoutAllOf(o);
      if (!parts.some((p) => this.accepts(p, update, location)) && !this.accepts({ ...original, schema: rest }, update, location)) {
        this.compare({ ...original, schema: rest }, update, location);
      }
      return true;
    }
    return false;
  }

  private compareType(o: JsonObject, u: JsonObject, location: string): void {
    const ut = typesOf(u);
    if (ut === null) return;
    const ot = typesOf(o);
    if (ot === null) {
      this.report('TYPE_NARROWED', location);
      return;
    }
    for (const t of ot) {
      if (ut.has(t) || (t === 'integer' && ut.has('number'))) continue;
      this.report('TYPE_NARROWED', location);
      return;
    }
  }

  private compareEnum(o: JsonObject, u: JsonObject, location: string): void {
    const allowed = valuesOf(u);
    if (allowed === null) return;
    const written = valuesOf(o);
    if (written === null || written.some((v) => !allowed.includes(v))) this.report('ENUM_ARRAY_NARROWED', location);
  }

  private compareBounds(o: JsonObject, u: JsonObject, location: string): void {
    // [keyword, reader bound is narrower when it is ... than the writer's]
    const upper = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxProperties', 'maxItems'] as const;
    const lower = ['minLength', 'minimum', 'exclusiveMinimum', 'minProperties', 'minItems'] as const;
    const name = (k: string) => k.replace(/([A-Z])/g, '_$1').toUpperCase();
    for (const k of upper) {
      const uv = u[k];
      if (typeof uv !== 'number') continue;
      const ov = o[k];
      if (typeof ov !== 'number') this.report(`${name(k)}_ADDED`, location);
      else if (uv < ov) this.report(`${name(k)}_DECREASED`, location);
    }
    for (const k of lower) {
      const uv = u[k];
      if (typeof uv !== 'number') continue;
      const ov = o[k];
      if (typeof ov !== 'number') this.report(`${name(k)}_ADDED`, location);
      else if (uv > ov) this.report(`${name(k)}_INCREASED`, location);
    }
    if (typeof u.pattern === 'string' && u.pattern !== o.pattern) this.report(o.pattern === undefined ? 'PATTERN_ADDED' : 'PATTERN_CHANGED', location);
    if (typeof u.multipleOf === 'number') {
      const ov = o.multipleOf;
      if (typeof ov !== 'number') this.report('MULTIPLE_OF_ADDED', location);
      else if (!isMultiple(ov, u.multipleOf)) this.report('MULTIPLE_OF_CHANGED', location);
    }
    if (u.uniqueItems === true && o.uniqueItems !== true) this.report('UNIQUE_ITEMS_ADDED', location);
  }

  private compareObject(original: Node, update: Node, o: JsonObject, u: JsonObject, location: string): void {
    const oProps = isObject(o.properties) ? o.properties : {};
    const uProps = isObject(u.properties) ? u.properties : {};
    const oModel = contentModel(o, 'additionalProperties');
    const uModel = contentModel(u, 'additionalProperties');
    const oRequired = new Set(Array.isArray(o.required) ? o.required : []);
    const uRequired = Array.isArray(u.required) ? (u.required as JsonValue[]) : [];
    for (const [name, os] of Object.entries(oProps)) {
      const where = `${location}/properties/${name}`;
      const us = uProps[name];
      if (us !== undefined) {
        this.compare(this.sub(original, os), this.sub(update, us), where);
      } else if (uModel === 'closed') {
        this.report('PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', where);
      } else if (uModel !== 'open' && !this.accepts(this.sub(original, os), this.sub(update, uModel), where)) {
        this.report('PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', where);
      }
    }
    for (const [name, us] of Object.entries(uProps)) {
      if (name in oProps) continue;
      const where = `${location}/properties/${name}`;
      if (uRequired.includes(name)) this.report('REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', where);
      if (oModel === 'closed') continue; // no writer document has it
      if (oModel === 'open') {
        if (!isEmptySchema(us)) this.report('PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', where);
      } else if (!this.accepts(this.sub(original, oModel), this.sub(update, us), where)) {
        this.report('PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', where);
      }
    }
    for (const name of uRequired) {
      if (typeof name === 'string' && name in oProps && !oRequired.has(name)) this.report('REQUIRED_ATTRIBUTE_ADDED', `${location}/required/${name}`);
    }
    this.compareModels(original, update, oModel, uModel, `${location}/additionalProperties`, 'ADDITIONAL_PROPERTIES');
  }

  private compareModels(original: Node, update: Node, oModel: Model, uModel: Model, where: string, prefix: string): void {
    if (oModel === 'closed' || uModel === 'open') return;
    if (uModel === 'closed') this.report(`${prefix}_REMOVED`, where);
    else if (oModel === 'open') this.report(`${prefix}_NARROWED`, where);
    else this.compare(this.sub(original, oModel), this.sub(update, uModel), where);
  }

  private compareArray(original: Node, update: Node, o: JsonObject, u: JsonObject, location: string): void {
    const oTuple = tupleOf(o);
    const uTuple = tupleOf(u);
    if (oTuple === null && uTuple === null) {
      const oi = o.items;
      const ui = u.items;
      if (ui !== undefined && !isEmptySchema(ui)) this.compare(this.sub(original, oi ?? true), this.sub(update, ui), `${location}/items`);
      return;
    }
    const oItems = oTuple ?? [];
    const uItems = uTuple ?? [];
    const oRest = tupleRest(o, oTuple !== null);
    const uRest = tupleRest(u, uTuple !== null);
    const n = Math.max(oItems.length, uItems.length);
    for (let i = 0; i < n; i++) {
      const where = `${location}/items/${i}`;
      const os = oItems[i];
      const us = uItems[i];
      if (os !== undefined && us !== undefined) this.compare(this.sub(original, os), this.sub(update, us), where);
      else if (os !== undefined) {
        if (uRest === 'closed') this.report('ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL', where);
        else if (uRest !== 'open' && !this.accepts(this.sub(original, os), this.sub(update, uRest), where)) this.report('ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', where);
      } else if (us !== undefined) {
        if (oRest === 'open' && !isEmptySchema(us)) this.report('ITEM_ADDED_TO_OPEN_CONTENT_MODEL', where);
        else if (oRest !== 'open' && oRest !== 'closed' && !this.accepts(this.sub(original, oRest), this.sub(update, us), where)) this.report('ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', where);
      }
    }
    this.compareModels(original, update, oRest, uRest, `${location}/additionalItems`, 'ADDITIONAL_ITEMS');
  }
}

type Model = 'open' | 'closed' | JsonObject;

function contentModel(s: JsonObject, keyword: string): Model {
  const v = s[keyword] ?? (keyword === 'additionalProperties' ? s.unevaluatedProperties : undefined);
  if (v === undefined || v === true) return 'open';
  if (v === false) return 'closed';
  return isObject(v) ? (Object.keys(v).length === 0 ? 'open' : v) : 'open';
}

/** Positional item schemas: draft-07 `items: [...]` or 2020-12 `prefixItems`. */
function tupleOf(s: JsonObject): JsonValue[] | null {
  if (Array.isArray(s.prefixItems)) return s.prefixItems;
  if (Array.isArray(s.items)) return s.items;
  return null;
}

/** What a tuple allows past its positions: `additionalItems`, or `items` beside `prefixItems`. */
function tupleRest(s: JsonObject, isTuple: boolean): Model {
  if (!isTuple) return 'open';
  if (Array.isArray(s.prefixItems)) {
    const items = s.items;
    return items === undefined || items === true ? 'open' : items === false ? 'closed' : isObject(items) ? items : 'open';
  }
  return contentModel(s, 'additionalItems');
}

function asObject(s: JsonValue): JsonObject | null {
  if (s === true) return {};
  if (s === false) return null;
  return isObject(s) ? s : {};
}

function isEmptySchema(s: JsonValue): boolean {
  return s === true || (isObject(s) && Object.keys(s).length === 0);
}

function typesOf(s: JsonObject): Set<string> | null {
  if (typeof s.type === 'string') return new Set([s.type]);
  if (Array.isArray(s.type)) return new Set(s.type.filter((t): t is string => typeof t === 'string'));
  return null;
}

/** The allowed values, as sorted JSON texts so objects compare by value. */
function valuesOf(s: JsonObject): string[] | null {
  if (s.const !== undefined) return [sortedJson(s.const)];
  if (Array.isArray(s.enum)) return s.enum.map(sortedJson);
  return null;
}

function isMultiple(writer: number, reader: number): boolean {
  const q = writer / reader;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

function withoutSum(s: JsonValue): JsonValue {
  if (!isObject(s)) return s;
  const { anyOf: _a, oneOf: _o, ...rest } = s;
  return rest;
}

function withoutAllOf(s: JsonObject): JsonObject {
  const { allOf: _a, ...rest } = s;
  return rest;
}

function pointerGet(doc: JsonValue, pointer: string): JsonValue | undefined {
  if (pointer === '' || pointer === '/') return doc;
  let cur: JsonValue | undefined = doc;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (isObject(cur)) cur = cur[part];
    else return undefined;
  }
  return cur;
}
