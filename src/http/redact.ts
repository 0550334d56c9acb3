/**
 * API keys never reach disk, logs, errors or the dataset. Every URL that is stored or printed goes
 * through `redactUrl`, which drops credential query parameters; `redactText` also removes any secret
 * value that appears verbatim elsewhere (an error message that echoes the request, a stack trace).
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

const secrets = new Set<string>();

/** Registers a secret value (an API key read from the environment) to be scrubbed from any text. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

/** The URL without credential parameters (removed, not masked: a stored URL must be the same with any key). */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return redactText(String(url));
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of [...parsed.searchParams.keys()]) {
    if (CREDENTIAL_PARAMS.has(name.toLowerCase())) parsed.searchParams.delete(name);
  }
  return redactText(parsed.toString());
}

/** Replaces every registered secret in `text` (raw or URL-encoded) with `[redacted]`. */
export function redactText(text: string): string {
  let out = text;
  for (const secret of secrets) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      if (out.includes(form)) out = out.split(form).join('[redacted]');
    }
  }
  return out;
}
