/**
 * The spool: OTLP/JSON request bodies the hook could not deliver, one file each in `$LOOPLINE_HOME/spool`,
 * resent a few at a time by later hooks and all at once by `loopline flush`. A sender claims a file by
 * renaming it, so two senders never deliver the same file twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type ResolvedTarget, writeFileAtomic } from './hook-home.ts';
import { type PostResult, postTraces } from './hook-transport.ts';

/** Oldest files are dropped beyond this many (a week offline is a few hundred turns). */
export const MAX_SPOOL_FILES = 5000;
/** A claim older than this belongs to a sender that died; the file is released. */
const STALE_CLAIM_MS = 60_000;

let counter = 0;

export function spoolWrite(dir: string, body: string): string {
  const name = `${Date.now()}-${process.pid}-${counter++}-${Math.random().toString(36).slice(2, 8)}.json`;
  const file = path.join(dir, name);
  writeFileAtomic(file, body);
  const files = spoolFiles(dir);
  for (const old of files.slice(0, Math.max(0, files.length - MAX_SPOOL_FILES))) {
    fs.rmSync(path.join(dir, old), { force: true });
  }
  return file;
}

/** Spooled files, oldest first (names start with the time they were written). */
export function spoolFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
      .sort();
  } catch {
    return [];
  }
}

/** Puts files claimed by senders that died back in the queue. */
export function releaseStaleClaims(dir: string, now = Date.now()): number {
  let released = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const match = /^(.*\.json)\.sending-\d+$/.exec(name);
    if (!match) continue;
    const file = path.join(dir, name);
    try {
      if (now - fs.statSync(file).mtimeMs < STALE_CLAIM_MS) continue;
      fs.renameSync(file, path.join(dir, match[1]!));
      released++;
    } catch {
      // another sender got there first
    }
  }
  return released;
}

/** Spans in an OTLP/JSON body (for progress lines); 0 when it cannot be read. */
export function spanCount(body: string): number {
  try {
    const request = JSON.parse(body) as { resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[] };
    let n = 0;
    for (const rs of request.resourceSpans ?? [])
      for (const ss of rs.scopeSpans ?? []) n += ss.spans?.length ?? 0;
    return n;
  } catch {
    return 0;
  }
}

export interface DrainProgress {
  file: string;
  result: PostResult;
  spans: number;
}

export interface DrainResult {
  sent: number;
  spans: number;
  /** files the server refused for good (moved to spool/rejected) */
  rejected: number;
  /** the failure that stopped the drain (the server is down), if any */
  stopped: PostResult | null;
  left: number;
}

export interface DrainOptions {
  target: ResolvedTarget;
  timeoutMs: number;
  /** at most this many files */
  max: number;
  onFile?: (progress: DrainProgress) => void;
}

/** Resends spooled files oldest first; stops at the first failure that a later try may not have. */
export async function drainSpool(dir: string, options: DrainOptions): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, spans: 0, rejected: 0, stopped: null, left: 0 };
  for (const name of spoolFiles(dir).slice(0, options.max)) {
    const file = path.join(dir, name);
    const claimed = `${file}.sending-${process.pid}`;
    try {
      fs.renameSync(file, claimed);
    } catch {
      continue; // another sender claimed it
    }
    const body = fs.readFileSync(claimed, 'utf8');
    const spans = spanCount(body);
    const posted = await postTraces(options.target, body, options.timeoutMs);
    options.onFile?.({ file: name, result: posted, spans });
    if (posted.ok) {
      fs.rmSync(claimed, { force: true });
      result.sent++;
      result.spans += spans;
    } else if (!posted.retryable) {
      fs.mkdirSync(path.join(dir, 'rejected'), { recursive: true });
      fs.renameSync(claimed, path.join(dir, 'rejected', name));
      result.rejected++;
    } else {
      fs.renameSync(claimed, file);
      result.stopped = posted;
      break;
    }
  }
  result.left = spoolFiles(dir).length;
  return result;
}
