import fs from 'node:fs';
import type { TranscriptSource } from '@loopline/claude-code';

/** Never read more than this much transcript in one hook (a long session's file can be large). */
const MAX_READ_BYTES = 8 * 1024 * 1024;

function readRange(path: string, start: number, end: number): Buffer {
  const fd = fs.openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(end - start);
    let done = 0;
    while (done < buffer.length) {
      const n = fs.readSync(fd, buffer, done, buffer.length - done, start + done);
      if (n === 0) break;
      done += n;
    }
    return buffer.subarray(0, done);
  } finally {
    fs.closeSync(fd);
  }
}

/** Claude Code's transcript files, read from disk; every failure is "no transcript". */
export const fsTranscripts: TranscriptSource = {
  readFrom(path, offset) {
    try {
      const size = fs.statSync(path).size;
      let start = offset > size ? 0 : offset; // a shorter file was rewritten: read it again
      if (size - start > MAX_READ_BYTES) start = size - MAX_READ_BYTES;
      const bytes = readRange(path, start, size);
      const lastNewline = bytes.lastIndexOf(0x0a);
      if (lastNewline < 0) return { text: '', offset: start };
      return { text: bytes.subarray(0, lastNewline + 1).toString('utf8'), offset: start + lastNewline + 1 };
    } catch {
      return null;
    }
  },
  readAll(path) {
    try {
      const size = fs.statSync(path).size;
      return size > MAX_READ_BYTES ? null : fs.readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
  size(path) {
    try {
      return fs.statSync(path).size;
    } catch {
      return null;
    }
  },
};
