/**
 * Attribute and field names whose value is a secret wherever it appears (`db.password`, `api_key`,
 * `http.request.header.x-api-key`, `clientSecret`). The name's last dotted segment is split into words
 * (`_`, `-`, camelCase) and its last word, or last two, decide. Counts stay readable: `input_tokens`,
 * `max_tokens`, `token_count`, `tokenizer`, `gen_ai.token.type` are not secrets (the last word is not
 * `token`), and only string values are ever masked by name, never numbers.
 */

/** Last word → the kind shown in `[REDACTED:<kind>]`. */
const LAST_WORD: ReadonlyMap<string, string> = new Map([
  ['password', 'password'],
  ['passwd', 'password'],
  ['passphrase', 'password'],
  ['secret', 'secret'],
  ['token', 'token'],
  ['apikey', 'api_key'],
  ['authorization', 'authorization'],
  ['cookie', 'cookie'],
  ['cookies', 'cookie'],
  ['credential', 'credentials'],
  ['credentials', 'credentials'],
]);

/** Last two words (the first of them here) when the last word is `key`. */
const KEY_QUALIFIERS: ReadonlyMap<string, string> = new Map([
  ['api', 'api_key'],
  ['access', 'access_key'],
  ['secret', 'secret_key'],
  ['private', 'private_key'],
  ['auth', 'auth_key'],
  ['account', 'account_key'],
  ['client', 'client_key'],
  ['signing', 'signing_key'],
  ['encryption', 'encryption_key'],
  ['master', 'master_key'],
  ['session', 'session_key'],
]);

const CAMEL_BOUNDARY = /([a-z0-9])([A-Z])/g;
const ACRONYM_BOUNDARY = /([A-Z])([A-Z][a-z])/g;
const WORD_SEPARATORS = /[_\-\s]+/;
const CACHE_LIMIT = 50_000;
const kindCache = new Map<string, string | null>();

function lastSegment(name: string): string {
  const segments = name.split('.');
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i] as string;
    if (segment !== '' && !/^\d+$/.test(segment)) return segment;
  }
  return '';
}

function computeKind(name: string): string | null {
  const words = lastSegment(name)
    .replace(ACRONYM_BOUNDARY, '$1_$2')
    .replace(CAMEL_BOUNDARY, '$1_$2')
    .toLowerCase()
    .split(WORD_SEPARATORS);
  const last = words[words.length - 1] ?? '';
  const kind = LAST_WORD.get(last);
  if (kind !== undefined) return kind;
  if (last !== 'key' || words.length < 2) return null;
  return KEY_QUALIFIERS.get(words[words.length - 2] ?? '') ?? null;
}

/** The secret kind a value named `name` holds (`password`, `api_key`, …), or null. Memoised. */
export function secretKeyKind(name: string): string | null {
  let kind = kindCache.get(name);
  if (kind === undefined) {
    kind = computeKind(name);
    if (kindCache.size >= CACHE_LIMIT) kindCache.clear();
    kindCache.set(name, kind);
  }
  return kind;
}
