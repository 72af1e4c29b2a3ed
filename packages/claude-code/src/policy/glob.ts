/**
 * A small glob matcher for policy rules (no dependency): `**` any number of folders (zero included), `*`
 * any characters but `/`, `?` one character but `/`, `{a,b}` alternatives (nestable). Every other
 * character is literal; `*` also matches names starting with a dot (a deny rule should not miss `.env`).
 */
const cache = new Map<string, RegExp>();

function escapeChar(char: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
}

/** The body of the regular expression for `pattern` from `start` up to an unmatched `}` or `,` (in braces). */
function translate(pattern: string, start: number, inBraces: boolean): { source: string; end: number } {
  let source = '';
  let i = start;
  while (i < pattern.length) {
    const char = pattern[i]!;
    if (inBraces && (char === ',' || char === '}')) return { source, end: i };
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        const atSegmentStart = i === 0 || pattern[i - 1] === '/';
        if (pattern[i + 2] === '/' && atSegmentStart) {
          source += '(?:.*/)?';
          i += 3;
        } else {
          source += '.*';
          i += 2;
        }
      } else {
        source += '[^/]*';
        i += 1;
      }
    } else if (char === '?') {
      source += '[^/]';
      i += 1;
    } else if (char === '{') {
      const options: string[] = [];
      let j = i + 1;
      let closed = false;
      while (j <= pattern.length) {
        const part = translate(pattern, j, true);
        options.push(part.source);
        if (pattern[part.end] === ',') {
          j = part.end + 1;
          continue;
        }
        closed = pattern[part.end] === '}';
        j = part.end + 1;
        break;
      }
      if (!closed) {
        source += '\\{'; // no closing brace: the `{` is literal
        i += 1;
      } else {
        source += `(?:${options.join('|')})`;
        i = j;
      }
    } else if (char === '\\' && i + 1 < pattern.length) {
      source += escapeChar(pattern[i + 1]!);
      i += 2;
    } else {
      source += escapeChar(char);
      i += 1;
    }
  }
  return { source, end: i };
}

/** The anchored regular expression of a glob (cached). */
export function globToRegExp(pattern: string): RegExp {
  let regexp = cache.get(pattern);
  if (regexp === undefined) {
    regexp = new RegExp(`^${translate(pattern, 0, false).source}$`, 's');
    cache.set(pattern, regexp);
  }
  return regexp;
}

export function globMatch(pattern: string, value: string): boolean {
  return globToRegExp(pattern).test(value);
}

/** Whether `pattern` has glob characters (else it is compared as is). */
export function isGlob(pattern: string): boolean {
  return /[*?{]/.test(pattern);
}
