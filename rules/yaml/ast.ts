/**
 * Read-only navigation over the `yaml` package's AST, keeping source ranges. Aliases are followed one
 * step at a time through a per-document anchor table, so an alias bomb costs no more than its text.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  visit,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { OffsetRange } from '../types.ts';

export type YamlDocument = Document.Parsed;

/** One YAML document with what navigation needs: its anchors, and the file it came from. */
export class DocContext {
  private anchors: Map<string, { offset: number; node: Node }[]> | undefined;

  constructor(
    readonly doc: YamlDocument,
    readonly path: string,
    readonly text: string,
    readonly index: number,
  ) {}

  /** Follows an alias to the anchored node it names (the nearest anchor of that name before it). */
  deref(node: unknown): Node | null {
    if (!isAlias(node)) return (node as Node | null | undefined) ?? null;
    const candidates = this.anchorTable().get(node.source) ?? [];
    const at = node.range?.[0] ?? Number.MAX_SAFE_INTEGER;
    let found: Node | null = null;
    for (const candidate of candidates) {
      if (candidate.offset < at) found = candidate.node;
    }
    // An alias to an alias cannot be written in YAML, so one step is enough.
    return isAlias(found) ? null : found;
  }

  private anchorTable(): Map<string, { offset: number; node: Node }[]> {
    if (!this.anchors) {
      const table = new Map<string, { offset: number; node: Node }[]>();
      visit(this.doc, (_key, node) => {
        const anchored = node as { anchor?: string; range?: [number, number, number] };
        if (typeof anchored.anchor === 'string' && anchored.range) {
          const list = table.get(anchored.anchor) ?? [];
          list.push({ offset: anchored.range[0], node: node as Node });
          table.set(anchored.anchor, list);
        }
      });
      this.anchors = table;
    }
    return this.anchors;
  }

  map(node: unknown): YAMLMap<unknown, unknown> | undefined {
    const target = this.deref(node);
    return isMap(target) ? target : undefined;
  }

  seq(node: unknown): YAMLSeq<unknown> | undefined {
    const target = this.deref(node);
    return isSeq(target) ? target : undefined;
  }

  /** The pair whose key is the plain string `key`. Merge keys (`<<`) are not expanded. */
  pair(map: YAMLMap<unknown, unknown> | undefined, key: string): Pair<Scalar, unknown> | undefined {
    if (!map) return undefined;
    for (const item of map.items) {
      if (isScalar(item.key) && String(item.key.value) === key) return item as Pair<Scalar, unknown>;
    }
    return undefined;
  }

  get(map: YAMLMap<unknown, unknown> | undefined, key: string): Node | null {
    const found = this.pair(map, key);
    return found ? this.deref(found.value) : null;
  }

  getMap(map: YAMLMap<unknown, unknown> | undefined, key: string): YAMLMap<unknown, unknown> | undefined {
    return this.map(this.get(map, key));
  }

  getSeq(map: YAMLMap<unknown, unknown> | undefined, key: string): YAMLSeq<unknown> | undefined {
    return this.seq(this.get(map, key));
  }

  /** A scalar's value as text (numbers and booleans as YAML wrote them), or undefined for collections. */
  string(node: unknown): string | undefined {
    const target = this.deref(node);
    if (!isScalar(target)) return undefined;
    const value = target.value;
    if (value === null || value === undefined) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
      return target.source ?? String(value);
    }
    return undefined;
  }

  getString(map: YAMLMap<unknown, unknown> | undefined, key: string): string | undefined {
    return this.string(this.get(map, key));
  }

  scalar(node: unknown): Scalar | undefined {
    const target = this.deref(node);
    return isScalar(target) ? target : undefined;
  }

  items(seq: YAMLSeq<unknown> | undefined): Node[] {
    if (!seq) return [];
    const out: Node[] = [];
    for (const item of seq.items) {
      const target = this.deref(item);
      if (target) out.push(target);
    }
    return out;
  }

  /** Entries of a string map (labels, annotations, ConfigMap data). */
  stringEntries(map: YAMLMap<unknown, unknown> | undefined): { key: string; value: string; keyNode: Scalar; valueNode: Node | null }[] {
    if (!map) return [];
    const out: { key: string; value: string; keyNode: Scalar; valueNode: Node | null }[] = [];
    for (const item of map.items) {
      if (!isScalar(item.key)) continue;
      const valueNode = this.deref(item.value);
      const value = this.string(valueNode);
      if (value !== undefined) out.push({ key: String(item.key.value), value, keyNode: item.key, valueNode });
    }
    return out;
  }
}

export function nodeRange(node: unknown): OffsetRange | undefined {
  const range = (node as { range?: [number, number, number] | null } | null | undefined)?.range;
  return range ? { start: range[0], end: range[1] } : undefined;
}

/** From the start of the key to the end of the value: a whole `name: x` entry. */
export function pairRange(pair: Pair<unknown, unknown>): OffsetRange | undefined {
  const key = nodeRange(pair.key);
  const value = nodeRange(pair.value);
  if (!key) return value;
  return { start: key.start, end: value && value.end > key.end ? value.end : key.end };
}
