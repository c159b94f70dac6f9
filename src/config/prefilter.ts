// Pre-filters: decide in TypeScript, before any wasm call, that an aspect cannot match a file.
// Three-valued and sound (config.md §6): "no" only when the join point certainly cannot match;
// join points this version does not reason about answer "maybe".
export type May = 'yes' | 'no' | 'maybe';

function and(xs: May[]): May {
  if (xs.includes('no')) return 'no';
  return xs.every((x) => x === 'yes') ? 'yes' : 'maybe';
}
function or(xs: May[]): May {
  if (xs.includes('yes')) return 'yes';
  return xs.length > 0 && xs.every((x) => x === 'no') ? 'no' : 'maybe';
}
function contains(content: string, needle: unknown): May {
  // Orchestrion's substring test answers "no" for an empty needle; mirror it.
  if (typeof needle !== 'string' || needle === '') return typeof needle === 'string' ? 'no' : 'maybe';
  return content.includes(needle) ? 'yes' : 'no';
}

/** Whether the join point may match something in a file with this content. */
export function fileMayMatch(jp: unknown, content: string): May {
  if (typeof jp !== 'object' || jp === null || Array.isArray(jp)) return 'maybe';
  const keys = Object.keys(jp);
  if (keys.length !== 1) return 'maybe';
  const kind = keys[0]!;
  const arg = (jp as Record<string, unknown>)[kind];
  switch (kind) {
    case 'all-of':
      return Array.isArray(arg) ? and(arg.map((j) => fileMayMatch(j, content))) : 'maybe';
    case 'one-of':
      return Array.isArray(arg) ? or(arg.map((j) => fileMayMatch(j, content))) : 'maybe';
    case 'not': {
      const inner = fileMayMatch(arg, content);
      return inner === 'no' ? 'yes' : 'maybe';
    }
    case 'directive':
      return contains(content, typeof arg === 'string' ? `//${arg}` : arg);
    case 'function-body':
      return fileMayMatch(arg, content);
    case 'function': {
      const opts = Array.isArray(arg) ? arg : [arg];
      return and(opts.map((o) => functionOptionMay(o, content)));
    }
    default:
      return 'maybe';
  }
}

function functionOptionMay(opt: unknown, content: string): May {
  if (typeof opt !== 'object' || opt === null) return 'maybe';
  const o = opt as Record<string, unknown>;
  if ('name' in o) return contains(content, o.name);
  return 'maybe';
}
