import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTranscript, type TranscriptSession } from '../src/index.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export const SESSION_ID = '7c1e4b2a-3f5d-4e8a-9b6c-1d2e3f4a5b6c';
export const MAIN_PATH = path.join(FIXTURES, `${SESSION_ID}.jsonl`);
export const SUBAGENT_PATH = path.join(FIXTURES, SESSION_ID, 'subagents', 'agent-a3f9c2.jsonl');
export const INLINE_PATH = path.join(FIXTURES, 'inline-sidechain.jsonl');

export function readFixture(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

/** The login session: main file plus its one sub-agent file, as `loopline import` will read it. */
export function loginSession(): TranscriptSession {
  return parseTranscript(readFixture(MAIN_PATH), {
    path: MAIN_PATH,
    subagents: [{ text: readFixture(SUBAGENT_PATH), path: SUBAGENT_PATH }],
  });
}

export const ms = (iso: string): number => Date.parse(iso);
