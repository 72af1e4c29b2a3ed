import type { AttrValue } from '@loopline/model';

/**
 * Sets `map[key] = value`, defining '__proto__' as an own property instead of changing the prototype,
 * since keys come from untrusted bodies. A repeated key keeps its last value, as in a protobuf map.
 */
export function setAttribute(map: Record<string, AttrValue>, key: string, value: AttrValue): void {
  if (key === '__proto__') {
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    map[key] = value;
  }
}
