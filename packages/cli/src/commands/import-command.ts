/**
 * `loopline import claude-code [dir]`: backfills past Claude Code sessions from their transcripts, as the
 * spans the live hook makes (same parser, same span builder, same deterministic ids). Before sending a
 * session it asks the server which of its span ids are already there and sends only the others, so
 * importing twice, or importing a session the hook captured live, counts nothing twice.
 */
import fs from 'node:fs';
import {
  parseTranscript,
  type SessionTotals,
  type SpanRecord,
  sessionTotals,
  type TranscriptSession,
  transcriptResource,
  transcriptToSpans,
} from '@loopline/claude-code';
import { GEN_AI_ATTRIBUTES } from '@loopline/conventions';
import type { Command } from 'commander';
import { usageError } from '../cli-errors.ts';
import { DEFAULT_URL } from '../http-client.ts';
import { defaultProjectDirs, discoverSessions, expandHome, type SessionFiles } from './import-discovery.ts';
import { ImportProgress } from './import-progress.ts';
import { batches, checkServer, existingSpanIds, sendBatch } from './import-server.ts';

interface ImportFlags {
  url: string;
  captureContent?: boolean;
  since?: string;
  dryRun?: boolean;
}

/** Everything the summary reports, summed over the imported sessions. */
interface ImportTotals {
  sessions: number;
  emptySessions: number;
  olderSessions: number;
  unreadableFiles: number;
  turns: number;
  llmCalls: number;
  toolCalls: number;
  subagents: number;
  inputTokens: number;
  uncachedInputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheWriteSplitUnknownTokens: number;
  spans: number;
  spansSent: number;
  spansPresent: number;
  spansRejected: number;
  badLines: number;
}

const HELP = `
Reads every main session transcript (<project>/<session>.jsonl) and its sub-agent transcripts
(<project>/<session>/subagents/agent-<id>.jsonl) and sends them to Loopline as OpenTelemetry spans: one
trace per prompt, "chat" spans with token usage, "execute_tool" spans, sub-agents under the tool call that
launched them. These are the spans the live hook (loopline install claude-code) makes, with the same ids.

[dir] is a projects folder, one project's folder or one .jsonl transcript. Without it: the "projects"
folder of $CLAUDE_CONFIG_DIR when set, else ~/.claude/projects (and ~/.config/claude/projects).

Importing is idempotent: before sending a session, the importer asks the server which of its span ids it
already holds and sends only the others. Import twice, or import sessions the hook already captured, and
nothing is counted twice. Lines that are not JSON are counted and skipped.

Examples:
  loopline import claude-code                          # everything under ~/.claude/projects
  loopline import claude-code --since 30d --dry-run    # what the last 30 days would add
  loopline import claude-code ~/.claude/projects/-home-me-shop --url http://loopline.lan:4318
`;

export function importCommand(program: Command): void {
  const command = program
    .command('import')
    .description('backfill past sessions of an AI coding assistant into Loopline');
  command
    .command('claude-code')
    .description('import past Claude Code sessions from their transcripts (~/.claude/projects)')
    .argument(
      '[dir]',
      'a projects folder, one project folder or one .jsonl transcript (default ~/.claude/projects)',
    )
    .option('--url <url>', 'the Loopline server', DEFAULT_URL)
    .option('--capture-content', 'include prompts, responses, tool arguments and results (off by default)')
    .option('--since <date>', 'only sessions active on or after this date (ISO date, or 7d / 24h / 2w ago)')
    .option('--dry-run', 'read and count everything, print what would be sent, send nothing')
    .addHelpText('after', HELP)
    .action(async (dir: string | undefined, flags: ImportFlags) => {
      await runImport(dir, flags);
    });
}

async function runImport(dir: string | undefined, flags: ImportFlags): Promise<void> {
  const url = flags.url.replace(/\/+$/, '');
  const sinceMs = flags.since === undefined ? null : parseSince(flags.since);
  const roots = dir === undefined ? defaultProjectDirs() : [expandHome(dir)];
  const sessions = discoverSessions(roots);
  const dryRun = flags.dryRun === true;
  if (!dryRun) await checkServer(url);

  const totals = emptyTotals();
  const progress = new ImportProgress(
    sessions.length,
    process.stderr,
    dryRun ? 'read' : 'imported',
    dryRun ? 'to send' : 'sent',
  );
  const warn = (line: string): void => {
    progress.finish();
    process.stderr.write(`${line}\n`);
  };
  for (const [index, files] of sessions.entries()) {
    const read = readSession(files, warn, totals);
    if (read !== null) {
      if (sinceMs !== null && read.newestMtimeMs < sinceMs) totals.olderSessions++;
      else await importSession(read.text, files, { url, dryRun, sinceMs, flags, totals, warn });
    }
    progress.update(index + 1, dryRun ? totals.spans : totals.spansSent);
  }
  progress.finish();
  process.stdout.write(summary(totals, sessions.length, dryRun));
}

interface ReadSession {
  text: { main: string; subagents: Array<{ text: string; path: string }> };
  newestMtimeMs: number;
}

function readSession(
  files: SessionFiles,
  warn: (line: string) => void,
  totals: ImportTotals,
): ReadSession | null {
  let newestMtimeMs = 0;
  const read = (file: string): string | null => {
    try {
      newestMtimeMs = Math.max(newestMtimeMs, fs.statSync(file).mtimeMs);
      return fs.readFileSync(file, 'utf8');
    } catch (error) {
      totals.unreadableFiles++;
      warn(`loopline: cannot read ${file}: ${(error as Error).message}; skipped`);
      return null;
    }
  };
  const main = files.main === null ? '' : read(files.main);
  if (main === null) return null;
  const subagents: Array<{ text: string; path: string }> = [];
  for (const file of files.subagents) {
    const text = read(file);
    if (text !== null) subagents.push({ text, path: file });
  }
  return { text: { main, subagents }, newestMtimeMs };
}

interface SessionContext {
  url: string;
  dryRun: boolean;
  sinceMs: number | null;
  flags: ImportFlags;
  totals: ImportTotals;
  warn: (line: string) => void;
}

async function importSession(
  text: ReadSession['text'],
  files: SessionFiles,
  ctx: SessionContext,
): Promise<void> {
  const { totals } = ctx;
  const label = files.main ?? files.subagents[0] ?? files.name;
  const session = parseTranscript(text.main, { path: label, subagents: text.subagents });
  totals.badLines += session.stats.badLines;
  for (const problem of session.stats.problems) ctx.warn(`loopline: skipped a bad line: ${problem}`);
  if (session.stats.badLines > session.stats.problems.length) {
    ctx.warn(`loopline: … and ${session.stats.badLines - session.stats.problems.length} more in ${label}`);
  }
  if (ctx.sinceMs !== null && (lastActivityMs(session) ?? 0) < ctx.sinceMs) {
    totals.olderSessions++;
    return;
  }
  const spans = transcriptToSpans(session, { captureContent: ctx.flags.captureContent === true });
  if (spans.length === 0) {
    totals.emptySessions++;
    return;
  }
  const sums = sessionTotals(session);
  const turns = spans.filter(
    (s) => s.parentSpanId === null && s.attributes[GEN_AI_ATTRIBUTES.AGENT_ID] === undefined,
  ).length;
  addTotals(totals, sums, turns, spans.length);
  if (ctx.dryRun) {
    process.stdout.write(`${sessionLine(session, files, sums, turns, spans)}\n`);
    return;
  }
  const present = await existingSpanIds(ctx.url, spans);
  const missing = spans.filter((s) => !present.has(s.spanId));
  totals.spansPresent += spans.length - missing.length;
  for (const body of batches(missing, transcriptResource(session))) {
    const rejected = await sendBatch(ctx.url, body);
    totals.spansRejected += rejected;
  }
  totals.spansSent += missing.length;
}

function lastActivityMs(session: TranscriptSession): number | null {
  let last: number | null = null;
  for (const agent of [session.main, ...session.subagents]) {
    if (agent.lastTimestampMs !== null && (last === null || agent.lastTimestampMs > last))
      last = agent.lastTimestampMs;
  }
  return last;
}

/** `2026-03-01`, any date `Date.parse` reads, or `30d` / `12h` / `2w` before now. */
export function parseSince(text: string, now: number = Date.now()): number {
  const relative = /^(\d+)\s*([hdw])$/i.exec(text.trim());
  if (relative) {
    const unitMs = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }[
      relative[2]?.toLowerCase() as 'h' | 'd' | 'w'
    ];
    return now - Number(relative[1]) * unitMs;
  }
  const value = Date.parse(text);
  if (Number.isNaN(value)) {
    throw usageError(`--since "${text}" is not a date; use an ISO date (2026-03-01) or 30d / 12h / 2w`);
  }
  return value;
}

function emptyTotals(): ImportTotals {
  return {
    sessions: 0,
    emptySessions: 0,
    olderSessions: 0,
    unreadableFiles: 0,
    turns: 0,
    llmCalls: 0,
    toolCalls: 0,
    subagents: 0,
    inputTokens: 0,
    uncachedInputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheWriteSplitUnknownTokens: 0,
    spans: 0,
    spansSent: 0,
    spansPresent: 0,
    spansRejected: 0,
    badLines: 0,
  };
}

function addTotals(totals: ImportTotals, sums: SessionTotals, turns: number, spans: number): void {
  totals.sessions++;
  totals.turns += turns;
  totals.llmCalls += sums.calls;
  totals.toolCalls += sums.toolCalls;
  totals.subagents += sums.subagents;
  totals.inputTokens += sums.inputTokens;
  totals.uncachedInputTokens += sums.uncachedInputTokens;
  totals.outputTokens += sums.outputTokens;
  totals.cacheReadTokens += sums.cacheReadTokens;
  totals.cacheWrite5mTokens += sums.cacheWrite5mTokens;
  totals.cacheWrite1hTokens += sums.cacheWrite1hTokens;
  totals.cacheWriteSplitUnknownTokens += sums.cacheWriteSplitUnknownTokens;
  totals.spans += spans;
}

const n = (value: number): string => value.toLocaleString('en-US');
const plural = (count: number, word: string): string => `${n(count)} ${word}${count === 1 ? '' : 's'}`;

function sessionLine(
  session: TranscriptSession,
  files: SessionFiles,
  sums: SessionTotals,
  turns: number,
  spans: readonly SpanRecord[],
): string {
  const when = lastActivityMs(session);
  return [
    `${session.sessionId ?? files.name}`,
    when === null ? '' : ` (${new Date(when).toISOString().slice(0, 16).replace('T', ' ')})`,
    `: ${plural(turns, 'turn')}, ${plural(sums.calls, 'LLM call')}, ${plural(sums.toolCalls, 'tool call')}`,
    sums.subagents > 0 ? `, ${plural(sums.subagents, 'sub-agent')}` : '',
    `, ${n(sums.inputTokens)} input / ${n(sums.outputTokens)} output tokens, ${plural(spans.length, 'span')}`,
  ].join('');
}

function summary(t: ImportTotals, found: number, dryRun: boolean): string {
  const lines = [
    `${dryRun ? 'dry run, nothing sent: ' : ''}${plural(t.sessions, 'session')} imported of ${n(found)} found` +
      (t.olderSessions > 0 ? ` (${n(t.olderSessions)} older than --since)` : '') +
      (t.emptySessions > 0 ? ` (${n(t.emptySessions)} with nothing to import)` : ''),
    `  ${plural(t.turns, 'turn')}, ${plural(t.llmCalls, 'LLM call')}, ${plural(t.toolCalls, 'tool call')}, ${plural(t.subagents, 'sub-agent')}`,
    `  tokens: ${n(t.inputTokens)} input (${n(t.uncachedInputTokens)} uncached, ${n(t.cacheReadTokens)} cache read, ` +
      `${n(t.cacheWrite5mTokens)} cache write 5m, ${n(t.cacheWrite1hTokens)} cache write 1h` +
      (t.cacheWriteSplitUnknownTokens > 0
        ? `, ${n(t.cacheWriteSplitUnknownTokens)} cache write split unknown`
        : '') +
      `), ${n(t.outputTokens)} output`,
    dryRun
      ? `  spans: ${n(t.spans)} would be sent (less any the server already holds)`
      : `  spans: ${n(t.spansSent)} sent, ${n(t.spansPresent)} already present` +
        (t.spansRejected > 0 ? `, ${n(t.spansRejected)} rejected by the server` : ''),
    `  bad lines skipped: ${n(t.badLines)}` +
      (t.unreadableFiles > 0 ? `; unreadable files skipped: ${n(t.unreadableFiles)}` : ''),
  ];
  return `${lines.join('\n')}\n`;
}
