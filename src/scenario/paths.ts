/**
 * Paths inside a scenario document, as JSON pointers (what Ajv reports) and as people read them
 * in messages ("topology.racks[2].name").
 */

/** "/topology/racks/2" -> ["topology", "racks", "2"], undoing JSON-pointer escapes (~1 is "/", ~0 is "~"). */
export function pathSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** ["topology", "racks", "2", "name"] -> "topology.racks[2].name"; [] -> "(top level)". */
export function displayPath(segments: readonly string[]): string {
  if (segments.length === 0) return '(top level)';
  let out = '';
  for (const s of segments) {
    if (/^\d+$/.test(s)) out += `[${s}]`;
    else if (IDENTIFIER.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
