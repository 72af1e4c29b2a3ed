/**
 * The per-session state folder as the hook logic sees it: small JSON documents, each written whole (the
 * CLI writes a temporary file and renames it). Hooks are separate processes that may run in parallel, so
 * there is no shared mutable document: every open span and every pending event is a file of its own.
 */
export interface HookStore {
  read<T>(name: string): T | undefined;
  write(name: string, value: unknown): void;
  /** forget a document (the CLI's store deletes it once what was read from it is safely sent or spooled) */
  remove(name: string): void;
  /** names starting with `prefix`, sorted */
  list(prefix: string): string[];
  /** forget the whole session (at SessionEnd) */
  clear(): void;
}

/** A store in memory, for tests and for callers that keep no state. */
export class MemoryHookStore implements HookStore {
  readonly files = new Map<string, string>();

  read<T>(name: string): T | undefined {
    const text = this.files.get(name);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  write(name: string, value: unknown): void {
    this.files.set(name, JSON.stringify(value));
  }

  remove(name: string): void {
    this.files.delete(name);
  }

  list(prefix: string): string[] {
    return [...this.files.keys()].filter((name) => name.startsWith(prefix)).sort();
  }

  clear(): void {
    this.files.clear();
  }
}

/**
 * A file-name-safe form of an id from the input (tool_use_id, agent_id, a path): kept as is when it is
 * already safe, else the safe characters plus a short hash so two ids never share a name.
 */
export function safeName(id: string): string {
  if (/^[A-Za-z0-9_.-]{1,80}$/.test(id) && !id.startsWith('.')) return id;
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  const kept = id.replace(/[^A-Za-z0-9_-]+/g, '_').slice(-40);
  return `${kept}~${(h >>> 0).toString(16).padStart(8, '0')}`;
}
