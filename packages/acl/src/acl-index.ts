// The authorizer's fast path: bindings indexed by resource type, then by LITERAL name (the `*`
// wildcard is one more name) and by PREFIXED prefix. A lookup for one resource costs two map gets
// plus one per distinct prefix length of that type, whatever the number of bindings.
import { PatternType, type ResourceTypeCode, WILDCARD_RESOURCE } from './acl-codes';
import type { AclBinding } from './acl-binding';

class TypeIndex {
  readonly literal = new Map<string, AclBinding[]>();
  readonly prefixed = new Map<string, AclBinding[]>();
  /** How many prefixed bindings have each prefix length; `lengths` is its keys, ascending. */
  private readonly lengthCounts = new Map<number, number>();
  lengths: readonly number[] = [];
  size = 0;

  add(b: AclBinding): void {
    const map = b.patternType === PatternType.PREFIXED ? this.prefixed : this.literal;
    const list = map.get(b.resourceName);
    if (list === undefined) map.set(b.resourceName, [b]);
    else list.push(b);
    if (b.patternType === PatternType.PREFIXED) this.countLength(b.resourceName.length, 1);
    this.size++;
  }

  remove(b: AclBinding): void {
    const map = b.patternType === PatternType.PREFIXED ? this.prefixed : this.literal;
    const list = map.get(b.resourceName);
    const i = list === undefined ? -1 : list.indexOf(b);
    if (list === undefined || i < 0) return;
    list.splice(i, 1);
    if (list.length === 0) map.delete(b.resourceName);
    if (b.patternType === PatternType.PREFIXED) this.countLength(b.resourceName.length, -1);
    this.size--;
  }

  private countLength(length: number, by: number): void {
    const n = (this.lengthCounts.get(length) ?? 0) + by;
    if (n === 0) this.lengthCounts.delete(length);
    else this.lengthCounts.set(length, n);
    this.lengths = [...this.lengthCounts.keys()].sort((a, b) => a - b);
  }
}

export class AclIndex {
  private readonly byKey = new Map<string, AclBinding>();
  private readonly byType = new Map<number, TypeIndex>();

  get size(): number {
    return this.byKey.size;
  }

  /** Adds or replaces the binding stored under `key`. */
  set(key: string, binding: AclBinding): void {
    this.delete(key);
    this.byKey.set(key, binding);
    let t = this.byType.get(binding.resourceType);
    if (t === undefined) this.byType.set(binding.resourceType, (t = new TypeIndex()));
    t.add(binding);
  }

  delete(key: string): void {
    const old = this.byKey.get(key);
    if (old === undefined) return;
    this.byKey.delete(key);
    this.byType.get(old.resourceType)?.remove(old);
  }

  clear(): void {
    this.byKey.clear();
    this.byType.clear();
  }

  entries(): IterableIterator<[string, AclBinding]> {
    return this.byKey.entries();
  }

  /** Every binding of one resource type. */
  *ofType(resourceType: ResourceTypeCode): IterableIterator<AclBinding> {
    const t = this.byType.get(resourceType);
    if (t === undefined) return;
    for (const list of t.literal.values()) yield* list;
    for (const list of t.prefixed.values()) yield* list;
  }

  /**
   * Calls `visit` with each list of bindings that applies to the resource: its LITERAL name, the
   * LITERAL wildcard, each PREFIXED prefix of the name. Stops early when `visit` returns false.
   */
  forResource(resourceType: ResourceTypeCode, name: string, visit: (bindings: readonly AclBinding[]) => boolean): void {
    const t = this.byType.get(resourceType);
    if (t === undefined || t.size === 0) return;
    const exact = t.literal.get(name);
    if (exact !== undefined && !visit(exact)) return;
    if (name !== WILDCARD_RESOURCE) {
      const wildcard = t.literal.get(WILDCARD_RESOURCE);
      if (wildcard !== undefined && !visit(wildcard)) return;
    }
    for (const length of t.lengths) {
      if (length > name.length) break;
      const list = t.prefixed.get(length === name.length ? name : name.slice(0, length));
      if (list !== undefined && !visit(list)) return;
    }
  }
}
