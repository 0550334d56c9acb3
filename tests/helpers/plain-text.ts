/**
 * What "plain text" means for every string that reaches the dataset: no markup (nothing that opens a tag,
 * a comment or a CDATA section once put back into HTML), no control, bidirectional-override or zero-width
 * characters, whitespace collapsed, length bounded. URLs are checked apart: only http(s).
 */

// C0/C1 controls, bidi embeddings/overrides/isolates and marks, zero-width space, word joiner, invisible
// operators, BOM, line/paragraph separators, interlinear annotation. ZWJ/ZWNJ are allowed (some scripts need them).
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u2028-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFF9-\uFFFB]/;
const TAG_OPENER = /<[A-Za-z!/?]/;

/** Why a string is not plain text, or null when it is. */
export function notPlain(text: string, maxLength = 5000): string | null {
  if (TAG_OPENER.test(text)) return 'markup';
  const invisible = INVISIBLE.exec(text);
  if (invisible) return `invisible character U+${invisible[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (text !== text.trim() || /\s{2,}/.test(text)) return 'whitespace not collapsed';
  if (text.length === 0) return 'empty';
  if (text.length > maxLength) return `${text.length} characters`;
  return null;
}

/** A URL a dataset may carry: absolute http(s), no credentials. */
export function notSafeUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `scheme ${parsed.protocol}`;
  if (parsed.username || parsed.password) return 'credentials in the URL';
  if (/[<>"\s]/.test(url)) return 'markup or whitespace in the URL';
  return null;
}

/**
 * Every string of a value (an observation, a record) that is not plain text, as `path: reason` lines. Keys
 * named `url` (or ending in `Url`) hold URLs and are checked as such.
 */
export function textProblems(value: unknown, path = ''): string[] {
  const problems: string[] = [];
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length > 0) {
    const [current, at] = stack.pop()!;
    if (typeof current === 'string') {
      const key = at.split('.').at(-1) ?? '';
      const problem = key === 'url' || key.endsWith('Url') ? notSafeUrl(current) : notPlain(current);
      if (problem) problems.push(`${at || '(root)'}: ${problem} in ${JSON.stringify(current.slice(0, 80))}`);
    } else if (current !== null && typeof current === 'object') {
      for (const [key, member] of Object.entries(current)) stack.push([member, at ? `${at}.${key}` : key]);
    }
  }
  return problems;
}
