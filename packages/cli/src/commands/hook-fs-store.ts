import fs from 'node:fs';
import path from 'node:path';
import type { HookStore } from '@loopline/claude-code';
import { writeFileAtomic } from './hook-home.ts';

/**
 * The hook's state on disk: one folder per session, one JSON file per document, each written whole
 * (temporary file + rename) so a parallel hook never reads half a file. Removals wait for `commit()`: the
 * caller commits once the spans read from those files are sent or spooled, so a crash loses nothing.
 */
export class FsHookStore implements HookStore {
  private readonly removed = new Set<string>();
  private cleared = false;

  constructor(readonly dir: string) {}

  read<T>(name: string): T | undefined {
    if (this.cleared || this.removed.has(name)) return undefined;
    try {
      return JSON.parse(fs.readFileSync(path.join(this.dir, name), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  write(name: string, value: unknown): void {
    this.removed.delete(name);
    writeFileAtomic(path.join(this.dir, name), JSON.stringify(value));
  }

  remove(name: string): void {
    this.removed.add(name);
  }

  list(prefix: string): string[] {
    if (this.cleared) return [];
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((name) => name.startsWith(prefix) && name.endsWith('.json') && !this.removed.has(name))
      .sort();
  }

  clear(): void {
    this.cleared = true;
  }

  /** Deletes what was removed (or the whole folder after `clear()`). */
  commit(): void {
    if (this.cleared) {
      fs.rmSync(this.dir, { recursive: true, force: true });
      return;
    }
    // unlinkSync, not rmSync: Node 20's rmSync loads its rimraf module first (~4 ms of a Stop hook)
    for (const name of this.removed) {
      try {
        fs.unlinkSync(path.join(this.dir, name));
      } catch {
        // removed already (a parallel hook, or never written)
      }
    }
    this.removed.clear();
  }
}
