import { codexLogSpans } from './codex-log-spans.ts';
import type { LogSpanDeriver } from './derive-spans-from-logs.ts';
import { geminiLogSpans } from './gemini-log-spans.ts';

/** The assistants whose log events become spans (see `derive-spans-from-logs.ts`), one module each. */
export const LOG_SPAN_DERIVERS: readonly LogSpanDeriver[] = [codexLogSpans, geminiLogSpans];
