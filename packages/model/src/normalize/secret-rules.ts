import { secretKeyKind } from './secret-keys.ts';

/**
 * Secret detectors for string values, written for Loopline after reading gitleaks' default rules and
 * detect-secrets' plugins. Each rule is a kept part (a key name, `Bearer `, a URL's `user:`) and the
 * secret that follows; the secret becomes `[REDACTED:<kind>]`. The rules are joined into two regular
 * expressions, so a string is scanned once per pass however many rules there are:
 *   1. provider tokens with a recognisable shape (`sk-ant-…`, `AKIA…`, `ghp_…`, JWTs, PEM blocks);
 *   2. secrets recognised by their context (`password=…`, `"api_key": "…"`, `Authorization: …`,
 *      `https://user:pass@host`, `?token=…`), case-insensitive, skipping what pass 1 already masked.
 */

interface SecretRule {
  /** `[REDACTED:<kind>]`, or a function of the kept part (e.g. the key name) */
  kind: string | ((kept: string) => string);
  /** regex source of the part kept in clear before the secret; no capturing groups */
  keep?: string;
  /** regex source of the secret; no capturing groups */
  secret: string;
}

/** An optional quote, or a JSON-escaped one (`\"`), around a key or value. */
const Q = String.raw`\\?["']?`;
/** Not something already masked, a `${VAR}` / `<placeholder>`, or a bare number (`1.5e-5`). */
const NOT_PLACEHOLDER = String.raw`(?![{[(<]|\$\{|[-+]?[\d.]+(?:e[-+]?\d+)?(?![^\s"'\\,;&<>]))`;
const UNQUOTED = String.raw`[^\s"'\\,;&<>{}[\]()]`;

/** Pass 1, case-sensitive. Order matters where shapes overlap: `sk-ant-` before `sk-`. */
export const PROVIDER_RULES: readonly SecretRule[] = [
  {
    kind: 'private_key',
    secret: String.raw`-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----|$)`,
  },
  { kind: 'anthropic_api_key', secret: String.raw`\bsk-ant-[A-Za-z0-9_-]{16,}` },
  { kind: 'langfuse_secret_key', secret: String.raw`\bsk-lf-[A-Za-z0-9-]{16,}` },
  { kind: 'openrouter_api_key', secret: String.raw`\bsk-or-v1-[a-f0-9]{32,}` },
  {
    kind: 'openai_api_key',
    secret: String.raw`\bsk-(?:proj-|svcacct-|admin-)?(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{20,}`,
  },
  {
    kind: 'stripe_api_key',
    secret: String.raw`\b(?:[rs]k_(?:live|test|prod)_[A-Za-z0-9]{10,}|whsec_[A-Za-z0-9]{20,})`,
  },
  { kind: 'aws_access_key_id', secret: String.raw`\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b` },
  { kind: 'github_token', secret: String.raw`\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})` },
  {
    kind: 'gitlab_token',
    secret: String.raw`\bgl(?:pat|dt|ptt|rt|cbt|oas|ft|soat|imt|agent)-[A-Za-z0-9_-]{20,}`,
  },
  { kind: 'slack_token', secret: String.raw`\b(?:xox[abposre]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,})` },
  {
    kind: 'slack_webhook',
    keep: String.raw`\bhooks\.slack\.com/(?:services|workflows|triggers)/`,
    secret: '[A-Za-z0-9_/+-]{20,}',
  },
  { kind: 'google_api_key', secret: String.raw`\bAIza[0-9A-Za-z_-]{35}` },
  { kind: 'npm_token', secret: String.raw`\bnpm_[A-Za-z0-9]{36}\b` },
  {
    kind: 'huggingface_token',
    secret: String.raw`\bhf_(?=[A-Za-z0-9]*[A-Z])(?=[A-Za-z0-9]*[a-z])[A-Za-z0-9]{30,40}\b`,
  },
  { kind: 'twilio_api_key', secret: String.raw`\bSK[0-9a-fA-F]{32}\b` },
  { kind: 'sendgrid_api_key', secret: String.raw`\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}` },
  { kind: 'groq_api_key', secret: String.raw`\bgsk_[A-Za-z0-9]{40,}` },
  { kind: 'xai_api_key', secret: String.raw`\bxai-[A-Za-z0-9]{60,}` },
  { kind: 'perplexity_api_key', secret: String.raw`\bpplx-[A-Za-z0-9]{40,}` },
  { kind: 'replicate_api_token', secret: String.raw`\br8_[A-Za-z0-9]{30,}` },
  { kind: 'langsmith_api_key', secret: String.raw`\blsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}\b` },
  { kind: 'pypi_token', secret: String.raw`\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}` },
  { kind: 'databricks_token', secret: String.raw`\bdapi[a-f0-9]{32}(?:-\d)?\b` },
  { kind: 'digitalocean_token', secret: String.raw`\bdo[opr]_v1_[a-f0-9]{64}\b` },
  { kind: 'shopify_token', secret: String.raw`\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b` },
  { kind: 'jwt', secret: String.raw`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*` },
  {
    kind: 'azure_client_secret',
    secret: String.raw`(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`,
  },
];

/** Key names in text (`DB_PASSWORD=`, `"apiKey":`); the kind comes from the name (`secret-keys.ts`). */
const NAME = `(?:pass(?:word|wd|phrase)|secret|token|api[_-]?key|(?:access|secret|private|auth|account|client|signing|encryption|master|session)[_-]?key|credentials?)`;
const kindOfName = (kept: string): string =>
  secretKeyKind(/^-*([A-Za-z_-]+)/.exec(kept)?.[1] ?? '') ?? 'secret';
const NOT_MASKED = String.raw`(?!\[REDACTED:)`;
const AUTHORIZATION = String.raw`\b(?:proxy-)?authorization${Q}\s*[:=]\s*${Q}`;

/** Pass 2, case-insensitive. */
export const CONTEXT_RULES: readonly SecretRule[] = [
  {
    kind: 'aws_secret_access_key',
    keep: String.raw`\b(?:aws_?secret_?(?:access_?)?key|secret_?access_?key)${Q}\s*(?:=>|[:=])\s*${Q}`,
    secret: `${NOT_MASKED}[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])`,
  },
  {
    kind: 'azure_storage_key',
    keep: String.raw`\b(?:AccountKey|SharedAccessKey)=`,
    secret: '[A-Za-z0-9+/]{20,}={0,2}',
  },
  {
    kind: 'url_password',
    keep: String.raw`://[^\s/:@?#[\]]*:`,
    secret: String.raw`${NOT_MASKED}[^\s/@?#]+(?=@)`,
  },
  {
    kind: 'url_secret',
    keep: `[?&](?:access_token|refresh_token|id_token|auth_token|token|api_key|apikey|api-key|client_secret|password|passwd|pwd|secret|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|auth)=`,
    secret: String.raw`${NOT_MASKED}[^&#\s"'<>]+`,
  },
  {
    kind: 'authorization',
    keep: String.raw`${AUTHORIZATION}(?:Basic|Token)\s+`,
    secret: `${NOT_MASKED}[A-Za-z0-9._~+/=-]{6,}`,
  },
  {
    kind: 'authorization',
    keep: String.raw`${AUTHORIZATION}(?!(?:Bearer|Basic|Token)\s)`,
    secret: String.raw`${NOT_MASKED}(?=[^\s"'\\,;]*\d)[^\s"'\\,;]{8,}`,
  },
  {
    kind: 'bearer_token',
    keep: String.raw`\bBearer\s+`,
    secret: String.raw`${NOT_MASKED}(?:(?=[A-Za-z0-9._~+/-]*\d)[A-Za-z0-9._~+/-]{8,}|[A-Za-z0-9._~+/-]{16,})=*`,
  },
  {
    kind: 'cookie',
    keep: String.raw`\b(?:set-)?cookie${Q}\s*:\s*${Q}`,
    secret: String.raw`${NOT_MASKED}(?=[^\n"\\]*\d)[^\n"\\]{6,}`,
  },
  // quoted value, spaces and all: `"password": "correct horse"`, `api_key='…'`, `{\"token\":\"…\"}`
  {
    kind: kindOfName,
    keep: String.raw`${NAME}${Q}\s*(?:=>|:=|[:=])\s*\\?["']`,
    secret: String.raw`${NOT_MASKED}(?!\$\{|<)[^"'\\\n]{1,200}(?=\\?["'])`,
  },
  // unquoted after `=`: `DB_PASSWORD=hunter2`, `token=abc123`
  {
    kind: kindOfName,
    keep: String.raw`${NAME}${Q}\s*(?:=>|:=|=)\s*`,
    secret: `${NOT_PLACEHOLDER}${UNQUOTED}{3,}`,
  },
  // unquoted after `:` (prose-like, so only a value with a digit): `password: hunter2`
  {
    kind: kindOfName,
    keep: String.raw`${NAME}${Q}\s*:\s*`,
    secret: String.raw`${NOT_PLACEHOLDER}(?=${UNQUOTED}*\d)${UNQUOTED}{6,}`,
  },
  {
    kind: kindOfName,
    keep: String.raw`--(?:password|passwd|token|secret|api-key|apikey|access-token|auth-token|client-secret)\s+`,
    secret: String.raw`(?![-<$])[^\s"']{3,}`,
  },
  // ODBC / ADO connection strings (`…;Uid=app;Pwd=…;`); a shell's `PWD=/home/…` is not one
  { kind: 'password', keep: String.raw`;\s*pwd\s*=\s*`, secret: String.raw`(?![/~])[^;\s]+` },
  {
    kind: 'password',
    keep: String.raw`\bcurl\b[^\n]{0,200}?\s(?:-u|--user)[=\s]\s*["']?[^\s:"']+:`,
    secret: String.raw`${NOT_MASKED}[^\s"']+`,
  },
];

/**
 * Cheap pre-checks: what every rule of a pass starts with or needs (a provider prefix; a key word
 * before `:` or `=`, a URL's `user:…@`, `Bearer `). The joined rules cost several times more per
 * character, so they run only on the rare string that passes. Short alternations and `includes` are
 * much cheaper per character than one long alternation, hence the split.
 */
const PROVIDER_PREFIX =
  /\b(?:sk[-_]|rk_|whsec_|gh[pousr]_|github_pat_|gl[a-z]{2,5}-|xox|xapp-|npm_|hf_|gsk_|xai-|pplx-|r8_|lsv2_|pypi-|dapi|do[opr]_v1|shp[a-z]{2}_)/;
const PROVIDER_UPPER_PREFIX = /\b(?:A(?:KIA|SIA|BIA|CCA|3T|Iza)|S[KG]|eyJ)/;

function mayHoldProviderSecret(text: string): boolean {
  return (
    PROVIDER_PREFIX.test(text) ||
    PROVIDER_UPPER_PREFIX.test(text) ||
    text.includes('-----BEGIN') ||
    text.includes('Q~') ||
    text.includes('hooks.slack')
  );
}

const CONTEXT_KEY_WORD = /(?:token|key|pass|secret|pwd|sig|credential|auth|cookie)[\w-]*\\?["']?\s*[:=]/i;
const CONTEXT_OTHER = /:\/\/[^\s/@]*@|bearer\s|curl\s|--(?:pass|token|secret|api|access|auth|client)/i;

/** Every context rule needs a key word before `:` or `=`, or `://…@`, `Bearer `, `curl `, `--token`… */
function mayHoldContextSecret(text: string): boolean {
  if (!text.includes('=') && !text.includes(':') && !text.includes('-') && !text.includes(' ')) return false;
  if (CONTEXT_KEY_WORD.test(text)) return true;
  const other =
    text.includes('@') ||
    text.includes('earer') ||
    text.includes('EARER') ||
    text.includes('curl') ||
    text.includes('--');
  return other && CONTEXT_OTHER.test(text);
}

interface CompiledPass {
  /** the joined rules, for `replace` */
  all: RegExp;
  replacer: (match: string, ...groups: unknown[]) => string;
}

function compile(rules: readonly SecretRule[], flags: string): CompiledPass {
  const source = rules.map((r) => `(${r.keep ?? ''})(${r.secret})`).join('|');
  const replacer = (match: string, ...groups: unknown[]): string => {
    for (let i = 0; i < rules.length; i++) {
      const kept = groups[2 * i];
      if (typeof kept !== 'string') continue;
      const { kind } = rules[i] as SecretRule;
      return `${kept}[REDACTED:${typeof kind === 'string' ? kind : kind(kept)}]`;
    }
    return match;
  };
  return { all: new RegExp(source, `g${flags}`), replacer };
}

const PROVIDERS = compile(PROVIDER_RULES, '');
const CONTEXT = compile(CONTEXT_RULES, 'i');

/** Shortest string each pass can find a secret in (`xoxb-` + 10; `?sig=x`). */
const SHORTEST_PROVIDER_SECRET = 15;
const SHORTEST_CONTEXT_SECRET = 6;

/**
 * Short values repeat across spans (model, tool, service and operation names, statuses, paths), so their
 * answers are remembered: the pre-checks' regular expressions cost ~1 µs a span on the ingest path.
 */
const MEMO_MAX_LENGTH = 256;
const MEMO_LIMIT = 20_000;
const memo = new Map<string, string>();

/** Replaces every secret in `text` with `[REDACTED:<kind>]`; returns `text` itself when there is none. */
export function maskSecrets(text: string): string {
  if (text.length < SHORTEST_CONTEXT_SECRET) return text;
  if (text.length > MEMO_MAX_LENGTH) return maskUncached(text);
  let masked = memo.get(text);
  if (masked === undefined) {
    masked = maskUncached(text);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(text, masked);
  }
  return masked;
}

function maskUncached(text: string): string {
  let masked = text;
  if (text.length >= SHORTEST_PROVIDER_SECRET && mayHoldProviderSecret(masked)) {
    masked = masked.replace(PROVIDERS.all, PROVIDERS.replacer);
  }
  if (mayHoldContextSecret(masked)) {
    masked = masked.replace(CONTEXT.all, CONTEXT.replacer);
  }
  return masked;
}
