/**
 * The policy in force for a hook run, cached in the session's state folder (`policy.json`) keyed by each
 * file's path, mtime and size: a PreToolUse hook parses YAML only when a policy file changed.
 */
import type { HookStore } from '../hooks/hook-store.ts';
import { parsePolicy } from './policy-parse.ts';
import type { PolicyFile, PolicyFileRef, ResolvedPolicy } from './policy-types.ts';

export const POLICY_CACHE_FILE = 'policy.json';

interface PolicyCache {
  key: string;
  files: PolicyFile[];
}

const keyOf = (refs: readonly PolicyFileRef[]): string =>
  refs.map((ref) => `${ref.path}\u0000${ref.mtimeMs}\u0000${ref.size}`).join('\u0001');

/** Reads (or parses and caches) the files; unreadable files count as problems, never as errors. */
export async function resolvePolicy(
  refs: readonly PolicyFileRef[],
  read: (path: string) => string | null,
  options: { store?: HookStore; root?: string } = {},
): Promise<ResolvedPolicy | null> {
  if (refs.length === 0) return null;
  const key = keyOf(refs);
  const cached = options.store?.read<PolicyCache>(POLICY_CACHE_FILE);
  let files: PolicyFile[];
  if (cached !== undefined && cached.key === key && Array.isArray(cached.files)) {
    files = cached.files;
  } else {
    files = [];
    for (const ref of refs) {
      const text = read(ref.path);
      files.push(
        text === null
          ? { file: ref.path, rules: [], problems: [{ file: ref.path, message: 'cannot read the file' }] }
          : await parsePolicy(text, ref.path),
      );
    }
    options.store?.write(POLICY_CACHE_FILE, { key, files } satisfies PolicyCache);
  }
  const policy: ResolvedPolicy = {
    rules: files.flatMap((file) => file.rules),
    problems: files.flatMap((file) => file.problems),
  };
  if (options.root !== undefined) policy.root = options.root;
  return policy;
}
