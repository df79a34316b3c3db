// A management fault's path pattern, matched against the whole request path: `*` matches within one segment, `**`
// across segments, and `{name}` is one segment, so a path copied from the OpenAPI spec works as written
// (`/v1/models/{model_id}/deployments/{deployment_id}/promote`), and `**/promote` is every promote.
export function compilePathPattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length;) {
    const closing = pattern[i] === '{' ? pattern.indexOf('}', i) : -1;
    if (pattern.startsWith('**', i)) {
      source += '.*';
      i += 2;
    } else if (pattern[i] === '*') {
      source += '[^/]*';
      i += 1;
    } else if (closing > i + 1) {
      source += '[^/]+';
      i = closing + 1;
    } else {
      source += (pattern[i] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i += 1;
    }
  }
  return new RegExp(`^${source}$`);
}
