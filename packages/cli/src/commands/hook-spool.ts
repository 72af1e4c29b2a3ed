/**
 * The spool: OTLP/JSON request bodies the hook could not deliver, one file each in `$LOOPLINE_HOME/spool`,
 * resent a few at a time by later hooks and all at once by `loopline flush`. A sender claims a file by
 * renaming it to `<file>.sending-<pid>-<claim time>`, so two senders never deliver the same file twice; a
 * claim is released when its sender has died or it is older than a minute (judged by the time in its name:
 * a rename keeps the file's own modification time, which is when the body was spooled). The folder is
 * private to the user (0700, files 0600): the bodies can hold prompts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type ResolvedTarget, writeFileAtomic } from './hook-home.ts';
import { type PostResult, postTraces } from './hook-transport.ts';

/** Oldest files are dropped beyond this many (a week offline is a few hundred turns). */
export const MAX_SPOOL_FILES = 5000;
/** A claim older than this belongs to a sender that died or hangs; the file is released. */
const STALE_CLAIM_MS = 60_000;
/** `<name>.json.sending-<pid>-<claim time in ms>` (claims of older versions have no time). */
const CLAIM = /^(.*\.json)\.sending-(\d+)(?:-(\d+))?$/;

let counter = 0;

export function spoolWrite(dir: string, body: string): string {
  privateDir(dir);
  const name = `${Date.now()}-${process.pid}-${counter++}-${Math.random().toString(36).slice(2, 8)}.json`;
  const file = path.join(dir, name);
  writeFileAtomic(file, body, 0o600);
  const files = spoolFiles(dir);
  for (const old of files.slice(0, Math.max(0, files.length - MAX_SPOOL_FILES))) {
    fs.rmSync(path.join(dir, old), { force: true });
  }
  return file;
}

/** Makes `dir` (0700), and tightens it when an older version made it readable by others. */
function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
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

/** Puts files claimed by senders that died (or hold a claim past a minute) back in the queue. */
export function releaseStaleClaims(dir: string, now = Date.now()): number {
  let released = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const match = CLAIM.exec(name);
    if (!match) continue;
    const file = path.join(dir, name);
    try {
      const claimedAt = match[3] === undefined ? fs.statSync(file).mtimeMs : Number(match[3]);
      if (now - claimedAt < STALE_CLAIM_MS && alive(Number(match[2]))) continue;
      fs.renameSync(file, path.join(dir, match[1]!));
      released++;
    } catch {
      // another sender got there first
    }
  }
  return released;
}

/** Whether process `pid` runs (EPERM: it does, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Renames a claimed file; false when it is gone (its claim was judged stale and released). */
function moveClaimed(from: string, to: string): boolean {
  try {
    fs.renameSync(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The body of a claimed file, or null when its claim was released and someone else has it. */
function readClaimed(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
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
    const claimed = `${file}.sending-${process.pid}-${Date.now()}`;
    if (!moveClaimed(file, claimed)) continue; // another sender claimed it
    const body = readClaimed(claimed);
    if (body === null) continue;
    const spans = spanCount(body);
    const posted = await postTraces(options.target, body, options.timeoutMs);
    options.onFile?.({ file: name, result: posted, spans });
    if (posted.ok) {
      fs.rmSync(claimed, { force: true });
      result.sent++;
      result.spans += spans;
    } else if (!posted.retryable) {
      privateDir(path.join(dir, 'rejected'));
      if (moveClaimed(claimed, path.join(dir, 'rejected', name))) result.rejected++;
    } else {
      moveClaimed(claimed, file);
      result.stopped = posted;
      break;
    }
  }
  result.left = spoolFiles(dir).length;
  return result;
}
