/**
 * `loopline hook claude-code`: one Claude Code hook event in, state updated, finished spans sent. It is
 * never in the assistant's way: it prints nothing but a policy rule's PreToolUse decision, always exits 0,
 * logs its own failures to `$LOOPLINE_HOME/claude-code/hook.log`, sends with a short deadline and
 * spools what it could not send. The hook bundle (dist/hook.mjs) and the main CLI both run this.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  ASSISTANT_IDS,
  type AssistantProfile,
  assistantProfile,
  type HookContext,
  type HookInput,
  HookInputError,
  handleAssistantHookEvent,
  nativeTracesToLoopline,
  parseHookInput,
  resolvePolicy,
  safeName,
  spansToOtlpJson,
} from '@loopline/claude-code';
import { claudeCodeEnv } from './hook-claude-env.ts';
import { FsHookStore } from './hook-fs-store.ts';
import { gitInfo, gitVcs } from './hook-git.ts';
import {
  captureContentOn,
  type LooplinePaths,
  looplinePaths,
  type ResolvedTarget,
  readConfig,
  resolveTarget,
} from './hook-home.ts';
import { locatePolicy, readText } from './hook-policy.ts';
import { drainSpool, releaseStaleClaims, spoolFiles, spoolWrite } from './hook-spool.ts';
import { fsTranscripts } from './hook-transcripts.ts';
import { postTraces } from './hook-transport.ts';

/** The send deadline of a hook: Loopline runs on loopback or the LAN, and the assistant must not wait. */
export const HOOK_SEND_TIMEOUT_MS = 500;
/** Spooled files a hook resends after a successful send. */
export const HOOK_DRAIN_FILES = 3;
/** Session folders untouched this long belong to sessions that ended without SessionEnd. */
const STALE_SESSION_MS = 7 * 24 * 3600 * 1000;
const MAX_LOG_BYTES = 1024 * 1024;

export const SUPPORTED_ASSISTANTS = ASSISTANT_IDS;

export interface HookRunOptions {
  assistant: string;
  endpoint?: string | undefined;
  /** the event JSON; read from stdin when absent */
  stdin?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Whether stdin is a terminal (a person, never Claude Code). Asked of fstat rather than process.stdin,
 * whose stream would load half of Node's networking code on every hook run.
 */
function stdinIsTerminal(): boolean {
  try {
    return fs.fstatSync(0).isCharacterDevice();
  } catch {
    return false;
  }
}

function readStdin(): string {
  if (stdinIsTerminal()) return '';
  try {
    return fs.readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

/** Appends one line to the hook log (rotated at 1 MiB). Never throws. */
export function logLine(paths: LooplinePaths, line: string): void {
  try {
    fs.mkdirSync(path.dirname(paths.log), { recursive: true });
    try {
      if (fs.statSync(paths.log).size > MAX_LOG_BYTES) fs.renameSync(paths.log, `${paths.log}.1`);
    } catch {
      // no log yet
    }
    fs.appendFileSync(paths.log, `${new Date().toISOString()} ${line.replace(/\s+/g, ' ').slice(0, 2000)}\n`);
  } catch {
    // nowhere to log: stay silent rather than disturb the assistant
  }
}

const OS_TYPE = process.platform === 'win32' ? 'windows' : process.platform;

/** The OTLP resource of an assistant's spans: its `service.name` is the dataset they land in. */
const resourceOf = (profile: AssistantProfile) => ({
  'service.name': profile.serviceName,
  'os.type': OS_TYPE,
});

let uniqueCounter = 0;

/** Where the hook loader (hook-loader.cjs) collects the code paths a run takes, for its code cache. */
const CODE_PATHS = Symbol.for('loopline.hook.codePaths');

/** Notes a code path of this run (an event, chat spans, sent or spooled…); a no-op outside the loader. */
function tookPath(name: string): void {
  (globalThis as { [CODE_PATHS]?: Set<string> })[CODE_PATHS]?.add(name);
}

/** Runs one hook event. Resolves to the exit code, which is always 0. */
export async function runHook(options: HookRunOptions): Promise<number> {
  const env = options.env ?? process.env;
  const profile = assistantProfile(options.assistant);
  const paths = looplinePaths(env, profile?.id);
  let input: HookInput | undefined;
  try {
    if (profile === undefined) {
      throw new HookInputError(
        `unknown assistant "${options.assistant}"; supported: ${SUPPORTED_ASSISTANTS.join(', ')}`,
      );
    }
    // Claude Code hands its hooks the turn's trace context (TRACEPARENT) when it propagates it
    input = parseHookInput(options.stdin ?? readStdin(), profile.id === 'claude-code' ? env : {});
    tookPath(`${profile.id} ${input.event}`);
    const config = readConfig(paths);
    const target = resolveTarget({ endpoint: options.endpoint }, env, config);
    const store = new FsHookStore(path.join(paths.sessions, safeName(input.sessionId)));
    let nativeTraces: boolean | undefined;
    const hookInput = input;
    const ctx: HookContext = {
      store,
      nowUs: Date.now() * 1000, // not the global performance object: it loads perf_hooks (~2 ms a run)
      captureContent: captureContentOn(env, config),
      git: gitInfo,
      vcs: gitVcs,
      unique: () => `${process.pid}-${uniqueCounter++}`,
      transcripts: fsTranscripts,
      // one source of model calls per session: Claude Code's own llm_request spans when its beta traces
      // reach this Loopline, else the transcript's (docs/stations/ide.md, "Native OTel correlation").
      // Asked only at a turn's end; Claude Code hides its OTEL_* variables from hooks, so they are read
      // from its settings and its process (hook-claude-env.ts).
      get nativeTraces() {
        nativeTraces ??= nativeTracesToLoopline(claudeCodeEnv(env, hookInput.cwd), target.endpoint);
        return nativeTraces;
      },
    };
    // Gemini CLI's PreToolUse is BeforeTool
    if (input.event === 'PreToolUse' || input.event === 'BeforeTool')
      await addPolicy(ctx, input, paths, store);
    const outcome = handleAssistantHookEvent(profile, ctx, input);
    let delivered = true;
    if (outcome.spans.length > 0) {
      if (outcome.spans.some((span) => span.name.startsWith('chat '))) tookPath('chat spans');
      delivered = await deliver(
        paths,
        target,
        JSON.stringify(spansToOtlpJson(outcome.spans, resourceOf(profile))),
        input,
      );
    }
    store.commit();
    if (outcome.drainSpool && delivered) await resendSome(paths, target, input);
    if (input.event === 'SessionStart') removeStaleSessions(paths);
    if (outcome.output !== null) fs.writeSync(1, outcome.output);
  } catch (error) {
    tookPath('error');
    const where = input === undefined ? 'input' : `${input.event} ${input.sessionId}`;
    const known = error instanceof HookInputError ? error : undefined;
    logLine(paths, `error ${where}: ${known?.message ?? (error as Error)?.stack ?? String(error)}`);
    // A person at a terminal (never Claude Code, which pipes the event in) gets told what this is.
    if (known !== undefined && options.stdin === undefined && stdinIsTerminal()) {
      process.stderr.write(
        `loopline hook: ${known.message}. The assistant runs this with a hook event (JSON) on stdin; set it up with "loopline install ${profile?.id ?? 'claude-code'}".\n`,
      );
    }
  }
  return 0;
}

/**
 * The policy rules for a PreToolUse hook, when a policy file exists (parsed only when it changed). It
 * never throws: a policy that cannot be used leaves the call to Claude Code (the hook fails open).
 */
async function addPolicy(
  ctx: HookContext,
  input: HookInput,
  paths: LooplinePaths,
  store: FsHookStore,
): Promise<void> {
  try {
    const cwd = input.cwd ?? store.read<{ cwd?: string }>('session.json')?.cwd;
    if (cwd === undefined) return;
    const location = locatePolicy(cwd, paths.home);
    const policy = await resolvePolicy(location.files, readText, { store, root: location.root });
    // problems are recorded on the turn span (`loopline.policy.error`); "loopline policy check" shows them
    if (policy !== null) {
      ctx.policy = policy;
      tookPath('policy');
    }
  } catch (error) {
    logLine(paths, `policy error ${input.sessionId}: ${(error as Error)?.stack ?? String(error)}`);
  }
}

/** Sends one OTLP body; keeps it in the spool when Loopline cannot take it now. True when delivered. */
async function deliver(
  paths: LooplinePaths,
  target: ResolvedTarget,
  body: string,
  input: HookInput,
): Promise<boolean> {
  const result = await postTraces(target, body, HOOK_SEND_TIMEOUT_MS);
  tookPath(result.ok ? 'sent' : result.retryable ? 'spooled' : 'dropped');
  if (result.ok) return true;
  const why = `${result.status ?? 'no answer'}: ${result.detail}`;
  if (!result.retryable) {
    logLine(paths, `rejected ${input.event} ${input.sessionId} by ${target.endpoint} (${why}); dropped`);
    return false;
  }
  const file = spoolWrite(paths.spool, body);
  logLine(
    paths,
    `spooled ${input.event} ${input.sessionId} to ${file}: ${target.endpoint} unreachable (${why})`,
  );
  return false;
}

async function resendSome(paths: LooplinePaths, target: ResolvedTarget, input: HookInput): Promise<void> {
  if (spoolFiles(paths.spool).length === 0) return;
  releaseStaleClaims(paths.spool);
  const result = await drainSpool(paths.spool, {
    target,
    timeoutMs: HOOK_SEND_TIMEOUT_MS,
    max: HOOK_DRAIN_FILES,
  });
  if (result.sent > 0 || result.rejected > 0) {
    tookPath('resent');
    logLine(paths, `resent ${result.sent} spooled file(s) at ${input.event}; ${result.left} left`);
  }
}

function removeStaleSessions(paths: LooplinePaths): void {
  let names: string[];
  try {
    names = fs.readdirSync(paths.sessions);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    const dir = path.join(paths.sessions, name);
    try {
      if (now - fs.statSync(dir).mtimeMs > STALE_SESSION_MS) fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // gone already
    }
  }
}
