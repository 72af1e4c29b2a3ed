/**
 * Reads a policy file (YAML). Strict about its shape (unknown fields are errors, with a suggestion) so a
 * typo never silently turns a rule off; the hook then ignores the whole file (it fails open) and records
 * why. `yaml` is imported on first use: the hook bundle must not load it when no policy file exists.
 */
import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import {
  POLICY_ACTIONS,
  POLICY_LEVELS,
  type PolicyAction,
  type PolicyFile,
  type PolicyLevel,
  type PolicyMatchSpec,
  type PolicyProblem,
  type PolicyRule,
} from './policy-types.ts';

const TOP_FIELDS = ['version', 'rules'] as const;
const RULE_FIELDS = ['id', 'description', 'level', 'match', 'action', 'reason'] as const;
const MATCH_FIELDS = ['tool', 'command', 'path', 'mcp_server', 'mcp_tool'] as const;

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export function suggest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function unknownField(field: string, where: string, known: readonly string[]): string {
  const guess = suggest(field, known);
  return `unknown field "${field}" in ${where}${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; known: ${known.join(', ')}`;
}

type Yaml = typeof import('yaml');
let yamlModule: Yaml | undefined;

async function loadYaml(): Promise<Yaml> {
  yamlModule ??= await import('yaml');
  return yamlModule;
}

class Reader {
  readonly problems: PolicyProblem[] = [];
  constructor(
    readonly file: string,
    readonly yaml: Yaml,
    readonly lines: LineCounter,
  ) {}

  position(node: unknown): { line?: number; column?: number } {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range === undefined) return {};
    const pos = this.lines.linePos(range[0]);
    return { line: pos.line, column: pos.col };
  }

  problem(node: unknown, message: string): void {
    this.problems.push({ file: this.file, ...this.position(node), message });
  }

  /** A scalar string (numbers and booleans are refused: `id: 1` is likely a mistake, quote it). */
  string(node: unknown, what: string): string | undefined {
    if (this.yaml.isScalar(node) && typeof node.value === 'string' && node.value !== '') return node.value;
    this.problem(node, `${what} must be a non-empty string`);
    return undefined;
  }

  /** A string or a list of strings. */
  strings(node: unknown, what: string): string[] | undefined {
    if (this.yaml.isSeq(node)) {
      const out: string[] = [];
      for (const item of node.items) {
        const value = this.string(item, `each entry of ${what}`);
        if (value !== undefined) out.push(value);
      }
      if (out.length === 0 && node.items.length === 0) this.problem(node, `${what} is an empty list`);
      return out;
    }
    const one = this.string(node, `${what} (a string or a list of strings)`);
    return one === undefined ? undefined : [one];
  }
}

function readMatch(reader: Reader, node: unknown, ruleName: string): PolicyMatchSpec | undefined {
  const { yaml } = reader;
  if (!yaml.isMap(node)) {
    reader.problem(node, `${ruleName}: "match" must be a mapping with any of ${MATCH_FIELDS.join(', ')}`);
    return undefined;
  }
  const match: PolicyMatchSpec = {};
  for (const pair of node.items) {
    const key = yaml.isScalar(pair.key) ? String(pair.key.value) : '';
    if (!(MATCH_FIELDS as readonly string[]).includes(key)) {
      reader.problem(pair.key, unknownField(key, `${ruleName}.match`, MATCH_FIELDS));
      continue;
    }
    const values = reader.strings(pair.value, `${ruleName}.match.${key}`);
    if (values === undefined) continue;
    if (key === 'command') {
      for (const source of values) {
        try {
          new RegExp(source);
        } catch (error) {
          reader.problem(
            pair.value,
            `${ruleName}.match.command: bad regular expression: ${(error as Error).message}`,
          );
        }
      }
    }
    match[key as keyof PolicyMatchSpec] = values;
  }
  if (Object.keys(match).length === 0 && node.items.length === 0) {
    reader.problem(node, `${ruleName}: "match" is empty (it would match every tool call)`);
  }
  return match;
}

function readRule(reader: Reader, node: unknown, index: number, seen: Set<string>): PolicyRule | undefined {
  const { yaml } = reader;
  let name = `rule ${index + 1}`;
  if (!yaml.isMap(node)) {
    reader.problem(node, `${name} must be a mapping with id, match and action`);
    return undefined;
  }
  const idNode = node.items.find((pair) => yaml.isScalar(pair.key) && pair.key.value === 'id')?.value;
  if (yaml.isScalar(idNode) && typeof idNode.value === 'string') name = `rule "${idNode.value}"`;
  const fields = new Map<string, unknown>();
  for (const pair of node.items) {
    const key = yaml.isScalar(pair.key) ? String(pair.key.value) : '';
    if (!(RULE_FIELDS as readonly string[]).includes(key)) {
      reader.problem(pair.key, unknownField(key, name, RULE_FIELDS));
    } else {
      fields.set(key, pair.value);
    }
  }
  const before = reader.problems.length;
  const id = fields.has('id') ? reader.string(fields.get('id'), `${name}: "id"`) : undefined;
  if (!fields.has('id')) reader.problem(node, `${name} has no "id"`);
  if (id !== undefined) {
    name = `rule "${id}"`;
    if (!/^[A-Za-z0-9_.:-]+$/.test(id)) {
      reader.problem(fields.get('id'), `${name}: an id may only use letters, digits and _ . : -`);
    }
    if (seen.has(id)) reader.problem(fields.get('id'), `${name}: the id is used twice`);
    seen.add(id);
  }
  const description = fields.has('description')
    ? reader.string(fields.get('description'), `${name}: "description"`)
    : undefined;
  let level: PolicyLevel = 'MUST_NOT';
  if (fields.has('level')) {
    const value = reader.string(fields.get('level'), `${name}: "level"`);
    if (value !== undefined && !(POLICY_LEVELS as readonly string[]).includes(value)) {
      reader.problem(
        fields.get('level'),
        `${name}: "level" must be ${POLICY_LEVELS.join(' or ')}, not "${value}"`,
      );
    } else if (value !== undefined) {
      level = value as PolicyLevel;
    }
  }
  let action: PolicyAction | undefined;
  if (!fields.has('action')) reader.problem(node, `${name} has no "action" (${POLICY_ACTIONS.join(', ')})`);
  else {
    const value = reader.string(fields.get('action'), `${name}: "action"`);
    if (value !== undefined && !(POLICY_ACTIONS as readonly string[]).includes(value)) {
      reader.problem(
        fields.get('action'),
        `${name}: "action" must be ${POLICY_ACTIONS.join(', ')}, not "${value}"`,
      );
    } else if (value !== undefined) {
      action = value as PolicyAction;
    }
  }
  const match = fields.has('match') ? readMatch(reader, fields.get('match'), name) : undefined;
  if (!fields.has('match')) reader.problem(node, `${name} has no "match"`);
  const reason = fields.has('reason') ? reader.string(fields.get('reason'), `${name}: "reason"`) : undefined;
  if (reader.problems.length > before || id === undefined || action === undefined || match === undefined) {
    return undefined;
  }
  const rule: PolicyRule = {
    id,
    level,
    match,
    action,
    reason: reason ?? description ?? `blocked by rule ${id}`,
    file: reader.file,
    line: reader.position(node).line ?? 0,
  };
  if (description !== undefined) rule.description = description;
  return rule;
}

/**
 * Parses a policy file's text. The file is either `{version: 1, rules: [...]}` or a bare list of rules.
 * A file with any problem yields no rules (all or nothing: half a policy is worse than none).
 */
export async function parsePolicy(text: string, file: string): Promise<PolicyFile> {
  const yaml = await loadYaml();
  const lines = new yaml.LineCounter();
  const reader = new Reader(file, yaml, lines);
  const doc: Document = yaml.parseDocument(text, {
    lineCounter: lines,
    prettyErrors: true,
    uniqueKeys: true,
  });
  for (const error of doc.errors) {
    const pos = error.linePos?.[0];
    reader.problems.push({
      file,
      ...(pos === undefined ? {} : { line: pos.line, column: pos.col }),
      message: `YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
    });
  }
  if (reader.problems.length > 0) return { file, rules: [], problems: reader.problems };
  let list: YamlNode | null | undefined = doc.contents as YamlNode | null;
  if (list === null || (yaml.isScalar(list) && list.value === null)) {
    return { file, rules: [], problems: [] }; // an empty file: no rules
  }
  if (yaml.isMap(list)) {
    const map = list;
    list = undefined;
    for (const pair of map.items) {
      const key = yaml.isScalar(pair.key) ? String(pair.key.value) : '';
      if (key === 'rules') list = pair.value as YamlNode | null;
      else if (key === 'version') {
        const version = yaml.isScalar(pair.value) ? pair.value.value : undefined;
        if (version !== 1)
          reader.problem(pair.value, `unsupported version ${String(version)}; this Loopline reads version 1`);
      } else reader.problem(pair.key, unknownField(key, 'the policy file', TOP_FIELDS));
    }
    if (list === undefined) reader.problem(map, 'the policy file has no "rules" list');
  }
  const rules: PolicyRule[] = [];
  if (list !== undefined && list !== null && !yaml.isSeq(list)) {
    reader.problem(list, '"rules" must be a list of rules');
  } else if (yaml.isSeq(list)) {
    const seen = new Set<string>();
    list.items.forEach((item, index) => {
      const rule = readRule(reader, item, index, seen);
      if (rule !== undefined) rules.push(rule);
    });
  }
  return reader.problems.length > 0
    ? { file, rules: [], problems: reader.problems }
    : { file, rules, problems: [] };
}
