/**
 * API keys never reach disk, logs, errors or the dataset. Every URL that is stored or printed goes
 * through `redactUrl`, which drops credential query parameters; `redactText` also removes any registered
 * secret that appears verbatim elsewhere (an error message that echoes the request, a stack trace) and masks
 * credential parameters written in text, registered or not (an error body that quotes the request URL);
 * `scrubSecrets` removes registered secrets from response bodies (a server that echoes the key into a title).
 */

/** Query parameters that carry credentials at the sources we read (TMDB `api_key`, OMDb `apikey`…). */
export const CREDENTIAL_PARAMS: ReadonlySet<string> = new Set([
  'api_key',
  'apikey',
  'key',
  'access_token',
  'token',
  'auth',
  'password',
  'client_secret',
]);

/** `?apikey=…` / `&api_key=…` as written inside any text (an echoed request URL). */
const CREDENTIAL_IN_TEXT = new RegExp(`([?&#;](?:${[...CREDENTIAL_PARAMS].join('|')})=)[^&#\\s"'<>]+`, 'gi');

const secrets = new Set<string>();

/** Registers a secret value (an API key read from the environment) to be scrubbed from any text. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

/**
 * The URL without credential parameters (removed, not masked: a stored URL must be the same with any key, or
 * none). The other parameters keep their spelling: re-serialising the query would turn `credits,keywords`
 * into `credits%2Ckeywords` and `%20` into `+`, so the same request would be stored under two URLs.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return redactText(String(url));
  }
  parsed.username = '';
  parsed.password = '';
  if (parsed.search) {
    const pairs = parsed.search.slice(1).split('&');
    const kept = pairs.filter((pair) => !CREDENTIAL_PARAMS.has(decodeQueryName(pair.split('=', 1)[0]!).toLowerCase()));
    if (kept.length !== pairs.length) parsed.search = kept.filter((pair) => pair !== '').join('&');
  }
  return redactText(parsed.toString());
}

/**
 * Replaces every registered secret in `text` (raw or URL-encoded) with `[redacted]`, and nothing else: for
 * response bodies, which a server may echo a key into (a field, an error text) but whose other contents,
 * `?key=` links included, are data.
 */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const secret of secrets) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      if (out.includes(form)) out = out.split(form).join('[redacted]');
    }
  }
  return out;
}

/**
 * Replaces every registered secret in `text` (raw or URL-encoded) with `[redacted]`, and masks the value of
 * any credential parameter written in it (`&apikey=…`), registered or not: servers echo request URLs in
 * error bodies and headers.
 */
export function redactText(text: string): string {
  return scrubSecrets(text).replace(CREDENTIAL_IN_TEXT, '$1[redacted]');
}

function decodeQueryName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
