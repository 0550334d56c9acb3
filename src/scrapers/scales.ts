/**
 * Scores read off a page or an API, one rule for every source: a missing marker ("", "N/A", "tbd", null) is
 * a missing score (null); a value that is not a number ("seven", an object) is never taken for "missing" — it is
 * an `UnexpectedContentError`; a number outside its scale (a Tomatometer of 140, an IMDb rating of 11.2) is an
 * `OutOfRangeError`, never clamped. Each names the source, the URL, the field and the value.
 */
import { OutOfRangeError, UnexpectedContentError, quoted } from '../errors.ts';
import { isMissingMarker, parseNumber } from '../lib/text.ts';

/** A percentage (Tomatometer, Metascore): an integer 0-100. A 0-10 score (ratings, averages): 0 to 10. */
export type Scale = 'percent' | 'tenPoint';

export function scoreOnScale(value: unknown, scale: Scale, where: { source: string; url: string; field: string }): number | null {
  if (isMissingMarker(value)) return null;
  const text = typeof value === 'string' ? value.trim().replace(scale === 'percent' ? /%$/ : /\s*\/\s*10$/, '') : value;
  const n = parseNumber(text);
  if (n === null) throw new UnexpectedContentError(where.source, where.url, `${where.field} ${quoted(value, 40)} is not a score`);
  const fits = scale === 'percent' ? Number.isInteger(n) && n >= 0 && n <= 100 : n >= 0 && n <= 10;
  if (!fits) throw new OutOfRangeError(where.source, where.url, where.field, value);
  return n;
}
