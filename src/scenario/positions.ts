/**
 * Finds where in the YAML text a value (or its key) is, from its path in the parsed data, so
 * that problems found on the plain JS value can be reported as file:line:col.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';

export interface Position {
  /** 1-based, like editors and compilers print them. */
  readonly line: number;
  readonly col: number;
}

function keyText(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return String(k.value);
  if (k === null || k === undefined) return undefined;
  return String(k);
}

/** Offset where a node's text starts; an empty value ("key:" and nothing) has no text of its own. */
function startOf(node: unknown): number | undefined {
  if (!node || typeof node !== 'object' || !('range' in node)) return undefined;
  const range = (node as Node).range;
  if (!range) return undefined;
  if (isScalar(node) && node.value === null && range[0] === range[1]) return undefined;
  return range[0];
}

/**
 * The position of the node at `path` (or of its key, with at = 'key'). When the path goes past
 * what the document has (a missing key, say), the deepest node found is used; an empty value is
 * located by its key. An empty document gives 1:1.
 */
export function locate(doc: Document, lines: LineCounter, path: readonly string[], at: 'key' | 'value'): Position {
  let node: unknown = doc.contents;
  let best = startOf(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let keyStart: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p) === path[i]);
      if (!pair) break;
      keyStart = startOf(pair.key);
      if (i === path.length - 1 && at === 'key' && keyStart !== undefined) return lines.linePos(keyStart);
      next = pair.value;
    } else if (isSeq(node)) {
      next = node.items[Number(path[i])];
    } else {
      break;
    }
    const start = startOf(next) ?? keyStart;
    if (start === undefined) break;
    best = start;
    node = next;
  }
  const pos = lines.linePos(best);
  return pos.line === 0 ? { line: 1, col: best + 1 } : pos;
}
