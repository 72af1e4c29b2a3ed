import { describe, expect, it } from 'vitest';
import { globMatch } from './glob.ts';

describe('globMatch', () => {
  it.each([
    ['**/.env*', '.env', true],
    ['**/.env*', 'config/.env.local', true],
    ['**/.env*', 'config/env', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/a/b/c.ts', true],
    ['src/**/*.ts', 'lib/a.ts', false],
    ['src/*.ts', 'src/a/b.ts', false],
    ['*.{ts,tsx}', 'page.tsx', true],
    ['*.{ts,tsx}', 'page.js', false],
    ['{src,test}/{a,b{1,2}}.ts', 'test/b2.ts', true],
    ['file?.md', 'file1.md', true],
    ['file?.md', 'file10.md', false],
    ['mcp__*', 'mcp__github__create_pr', true],
    ['mcp__*', 'Bash', false],
    ['a.b', 'axb', false],
    ['docs/**', 'docs/a/b.md', true],
    ['{unclosed', '{unclosed', true],
  ])('%s vs %s → %s', (pattern, value, expected) => {
    expect(globMatch(pattern, value)).toBe(expected);
  });
});
