// A readable diff between two versions of an entry's content: one line per changed value,
// with paths a person can follow (arrays of objects with an `id` are matched by id, so
// inserting a material does not show every later material as changed).

export interface DiffEntry {
  path: string;
  before?: unknown;
  after?: unknown;
}

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function keyed(list: Json[]): Map<string, Json> | null {
  if (!list.every((x) => isObject(x) && typeof x.id === 'string')) return null;
  const map = new Map<string, Json>();
  for (const x of list) map.set((x as { id: string }).id, x);
  return map.size === list.length ? map : null;
}

export function diffContent(before: Json, after: Json, path = ''): DiffEntry[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffContent(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const a = keyed(before);
    const b = keyed(after);
    if (a && b) {
      const ids = [...new Set([...a.keys(), ...b.keys()])];
      return ids.flatMap((id) => diffContent(a.get(id), b.get(id), `${path}[${id}]`));
    }
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) => diffContent(before[i], after[i], `${path}[${i}]`)).flat();
  }
  const entry: DiffEntry = { path: path || '(全部)' };
  if (before !== undefined) entry.before = before;
  if (after !== undefined) entry.after = after;
  return [entry];
}
