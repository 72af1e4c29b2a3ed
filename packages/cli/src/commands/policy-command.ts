/**
 * `loopline policy test <payload.json>` dry-runs the policy rules against a PreToolUse payload and shows
 * exactly what the hook would print; `loopline policy check [file]` validates policy files and lists
 * their rules. Both find the files as the hook does (see hook-policy.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  decisionOutput,
  evaluatePolicy,
  formatProblem,
  type PolicyFile,
  type PolicyRule,
  parsePolicy,
  type ResolvedPolicy,
  toolCallOf,
} from '@loopline/claude-code';
import { AppError } from '@loopline/model';
import type { Command } from 'commander';
import { looplinePaths } from './hook-home.ts';
import { locatePolicy } from './hook-policy.ts';

interface TestFlags {
  policy?: string;
  cwd?: string;
  json?: boolean;
}

interface CheckFlags {
  cwd?: string;
  json?: boolean;
}

const FORMAT_HELP = `
Policy files: .loopline/policy.yaml in the repository (the nearest one from the session's folder up to the
git root), then $LOOPLINE_HOME/policy.yaml (default ~/.loopline/policy.yaml) for rules of your own. The
first matching rule decides (repository rules first). A file with an error is ignored by the hook (it
fails open: Claude Code decides as usual). See docs/stations/ide.md, "Policy rules".`;

const out = (line: string): void => void process.stdout.write(`${line}\n`);

function readFileOrFail(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('NOT_FOUND', `${what} ${file} does not exist`);
    if (code === 'EISDIR') throw new AppError('BAD_REQUEST', `${what} ${file} is a folder, not a file`);
    throw new AppError('BAD_REQUEST', `cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}

/** The policy files to use: `--policy FILE`, else the ones the hook would find from `cwd`. */
async function loadFiles(
  cwd: string,
  only: string | undefined,
): Promise<{ files: PolicyFile[]; root: string; looked: string[] }> {
  const location = locatePolicy(cwd, looplinePaths().home);
  const paths = only !== undefined ? [path.resolve(only)] : location.files.map((f) => f.path);
  const files: PolicyFile[] = [];
  for (const file of paths) files.push(await parsePolicy(readFileOrFail(file, 'the policy file'), file));
  const looked =
    only !== undefined
      ? [path.resolve(only)]
      : [location.repo ?? path.join(location.root, '.loopline/policy.yaml'), location.user];
  return { files, root: location.root, looked };
}

function matchSummary(rule: PolicyRule): string {
  return Object.entries(rule.match)
    .map(([key, values]) => `${key}: ${(values as string[]).join(' | ')}`)
    .join('; ');
}

function readPayload(file: string): Record<string, unknown> {
  const text = file === '-' ? fs.readFileSync(0, 'utf8') : readFileOrFail(file, 'the payload file');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError('BAD_REQUEST', `the payload ${file} is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppError('BAD_REQUEST', `the payload ${file} is not a JSON object`);
  }
  const payload = value as Record<string, unknown>;
  const event = payload.hook_event_name;
  if (event !== undefined && event !== 'PreToolUse') {
    throw new AppError(
      'BAD_REQUEST',
      `the payload is a ${String(event)} event; policy rules apply to PreToolUse`,
    );
  }
  if (typeof payload.tool_name !== 'string' || payload.tool_name === '') {
    throw new AppError('BAD_REQUEST', 'the payload has no tool_name (expected a PreToolUse hook input)');
  }
  return payload;
}

async function testAction(payloadFile: string, flags: TestFlags): Promise<void> {
  const payload = readPayload(payloadFile);
  const cwd = path.resolve(flags.cwd ?? (typeof payload.cwd === 'string' ? payload.cwd : process.cwd()));
  const call = toolCallOf({ ...payload, cwd })!;
  const { files, root, looked } = await loadFiles(cwd, flags.policy);
  const policy: ResolvedPolicy = {
    rules: files.flatMap((f) => f.rules),
    problems: files.flatMap((f) => f.problems),
    root,
  };
  const match = evaluatePolicy(policy, call);
  const output = match === null ? null : decisionOutput(match);
  if (policy.problems.length > 0) process.exitCode = 1;
  if (flags.json) {
    out(
      JSON.stringify({
        files: files.map((f) => ({ file: f.file, rules: f.rules.length, problems: f.problems })),
        root,
        match:
          match === null
            ? null
            : {
                rule_id: match.rule.id,
                level: match.rule.level,
                action: match.action,
                outcome: match.outcome,
                reason: match.reason,
                file: match.rule.file,
                line: match.rule.line,
              },
        output: output?.trimEnd() ?? null,
      }),
    );
    return;
  }
  if (files.length === 0) out(`policy: no policy file (looked for ${looked.join(' and ')})`);
  for (const file of files) {
    out(
      file.problems.length === 0
        ? `policy: ${file.file} (${file.rules.length} rule(s))`
        : `policy: ${file.file} is invalid; the hook ignores it (fails open):`,
    );
    for (const problem of file.problems) out(`  ${formatProblem(problem)}`);
  }
  const command = call.toolInput.command;
  const target = ['file_path', 'path', 'notebook_path']
    .map((k) => call.toolInput[k])
    .find((v) => typeof v === 'string');
  out(
    `call:   ${call.toolName}${typeof command === 'string' ? ` ${command}` : typeof target === 'string' ? ` ${target}` : ''}`,
  );
  if (match === null) {
    out('result: no rule matched; the hook prints nothing and Claude Code decides as usual');
    return;
  }
  out(`rule:   ${match.rule.id} (${match.rule.level}) at ${match.rule.file}:${match.rule.line}`);
  out(`action: ${match.action}`);
  out('hook output:');
  out(output!.trimEnd());
}

async function checkAction(file: string | undefined, flags: CheckFlags): Promise<void> {
  const cwd = path.resolve(flags.cwd ?? process.cwd());
  const { files, looked } = await loadFiles(cwd, file);
  const problems = files.flatMap((f) => f.problems);
  if (problems.length > 0) process.exitCode = 1;
  if (flags.json) {
    out(
      JSON.stringify({ files: files.map((f) => ({ file: f.file, rules: f.rules, problems: f.problems })) }),
    );
    return;
  }
  if (files.length === 0) {
    out(`policy: no policy file (looked for ${looked.join(' and ')})`);
    return;
  }
  for (const policy of files) {
    if (policy.problems.length > 0) {
      out(`${policy.file}: invalid; the hook ignores this file (fails open)`);
      for (const problem of policy.problems) out(`  ${formatProblem(problem)}`);
      continue;
    }
    out(`${policy.file}: ${policy.rules.length} rule(s), valid`);
    for (const rule of policy.rules) {
      out(`  ${rule.id.padEnd(24)} ${rule.level.padEnd(8)} ${rule.action.padEnd(5)} ${matchSummary(rule)}`);
    }
  }
}

export function policyCommand(program: Command): void {
  const policy = program
    .command('policy')
    .description('test and check the policy rules the Claude Code hook enforces (.loopline/policy.yaml)')
    .addHelpText('after', FORMAT_HELP);
  policy
    .command('test')
    .description(
      'dry-run the policy rules against a PreToolUse hook input and show what the hook would print',
    )
    .argument('<payload.json>', 'the PreToolUse input as Claude Code sends it on stdin ("-" reads stdin)')
    .option('--policy <file>', 'use only this policy file (default: the files the hook would find)')
    .option('--cwd <dir>', "the session's folder (default: the payload's cwd, else the current folder)")
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Exits 0 whatever the rules decide, 1 when a policy file is invalid (the hook would ignore it) or the
payload cannot be read.${FORMAT_HELP}`,
    )
    .action(testAction);
  policy
    .command('check')
    .description('validate policy files and list their rules')
    .argument('[file]', 'the policy file (default: the files the hook would find from --cwd)')
    .option('--cwd <dir>', 'where the hook would run (default: the current folder)')
    .option('--json', 'print the rules and problems as JSON')
    .addHelpText('after', `\nExits 1 when a file is invalid, with every problem and its line.${FORMAT_HELP}`)
    .action(checkAction);
}
