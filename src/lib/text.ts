/**
 * Plain text and loose values, shared by every parser and by normalization.
 *
 * Text that reaches the dataset is plain text: tags stripped, entities decoded (then stripped again, so
 * `&lt;script&gt;` cannot come back as markup), control and bidirectional-override characters removed,
 * whitespace collapsed, length bounded. Values read from pages and APIs come as strings of many shapes
 * ("885,203", "2h 35m", "PT2H22M", "14 Jun 2013", "N/A", "") and leave here as numbers, ISO dates or null.
 */
import { decodeHTML } from 'entities';

const TAG = /<\/?[A-Za-z!?][^<>]*>/g;
// A '<' that could open a tag once the text is put back into HTML.
const TAG_OPENER = /<(?=[A-Za-z!/?])/g;
// C0/C1 controls except tab/newline (collapsed below), bidi marks (LRM, RLM, ALM), embeddings, overrides and
// isolates, zero-width space, word joiner and BOM: invisible, they can only disguise what a text says. ZWJ/ZWNJ
// stay: some scripts need them.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFF9-\uFFFB]/g;

export interface PlainTextOptions {
  /** Longest result in characters (cut at a word boundary, with an ellipsis). */
  maxLength?: number;
}

/** Plain text, or null when nothing is left. */
export function plainText(input: unknown, { maxLength = 5000 }: PlainTextOptions = {}): string | null {
  if (typeof input !== 'string') return null;
  let text = input.replace(TAG, ' ');
  text = decodeHTML(text);
  text = text.replace(TAG, ' ').replace(TAG_OPENER, '‹');
  text = text.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  if (text.length > maxLength) {
    const cut = text.slice(0, maxLength - 1);
    const space = cut.lastIndexOf(' ');
    text = `${(space > maxLength * 0.8 ? cut.slice(0, space) : cut).trimEnd()}…`;
  }
  return text.length > 0 ? text : null;
}

/** A title: plain text, at most 300 characters. */
export function plainTitle(input: unknown): string | null {
  return plainText(input, { maxLength: 300 });
}

/** Placeholders that sources use for "no value". */
const MISSING = new Set(['', 'n/a', 'na', 'null', 'none', 'tbd', '-', '--', '—', '%', 'undefined', 'nan']);

export function isMissingMarker(value: unknown): boolean {
  return value == null || (typeof value === 'string' && MISSING.has(value.trim().toLowerCase()));
}

/**
 * A finite number from a number or a plain numeric string ("7.4", "96", "8.3/10" is not plain). Thousands
 * separators are not accepted here: use `parseCount` for counts.
 */
export function parseNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || isMissingMarker(value)) return null;
  const trimmed = value.trim();
  if (!/^[+-]?\d+(\.\d+)?$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
}

/**
 * A count: an integer ≥ 0 from 885203, "885,203", "885 203" (spaces of any width) or "(1,989,998)".
 * Banded or abbreviated counts ("250,000+", "2.7M") are not exact: null.
 */
export function parseCount(value: unknown): number | null {
  // 1e300 is an integer to JavaScript, but no count: only exact integers are.
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (typeof value !== 'string' || isMissingMarker(value)) return null;
  const trimmed = value.trim().replace(/^\((.*)\)$/, '$1').trim();
  if (!/^\d{1,3}([,\s\u00a0\u202f]\d{3})*$|^\d+$/.test(trimmed)) return null;
  const n = Number(trimmed.replace(/[,\s\u00a0\u202f]/g, ''));
  return Number.isSafeInteger(n) ? n : null;
}

/** A count that means "how many voted": 0 votes is no score, so 0 → null. */
export function parseVoteCount(value: unknown): number | null {
  const n = parseCount(value);
  return n === null || n === 0 ? null : n;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

function isoFromParts(year: number, month: number, day: number): string | null {
  if (year < 1870 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * An ISO calendar date from "2021-10-22", "2021-10-22T00:00:00.000Z", "14 Jun 2013", "December 25, 2020",
 * "Oct 22, 2021, Wide". A date with only a year or month is not a date: null (the year goes elsewhere).
 */
export function parseDate(value: unknown): string | null {
  if (typeof value !== 'string' || isMissingMarker(value)) return null;
  const text = value.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (m) return isoFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})\b/.exec(text);
  if (m) {
    const month = MONTHS[m[2]!.slice(0, 4).toLowerCase()] ?? MONTHS[m[2]!.slice(0, 3).toLowerCase()];
    return month ? isoFromParts(Number(m[3]), month, Number(m[1])) : null;
  }
  m = /^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b/.exec(text);
  if (m) {
    const month = MONTHS[m[1]!.slice(0, 4).toLowerCase()] ?? MONTHS[m[1]!.slice(0, 3).toLowerCase()];
    return month ? isoFromParts(Number(m[3]), month, Number(m[2])) : null;
  }
  return null;
}

/** A year from 1999, "1999", "1999-03-30", "2007–2019" (the first). */
export function parseYear(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1870 && value <= 2100 ? value : null;
  if (typeof value !== 'string') return null;
  const m = /^\s*(\d{4})(?:\b|$)/.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  return year >= 1870 && year <= 2100 ? year : null;
}

/**
 * Minutes from "143 min", "2h 35m", "2 hrs 46 mins", "1h 43m", an ISO 8601 duration ("PT2H22M", "PT151M"),
 * or a number of minutes. 0 and unreadable → null.
 */
export function parseRuntime(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 && value <= 1500 ? value : null;
  if (typeof value !== 'string' || isMissingMarker(value)) return null;
  const text = value.trim();
  let m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/i.exec(text);
  if (m && (m[1] || m[2])) return positiveMinutes(Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0));
  m = /^(\d+)\s*min(?:ute)?s?\.?$/i.exec(text);
  if (m) return positiveMinutes(Number(m[1]));
  m = /^(?:(\d+)\s*(?:h|hr|hrs|hour|hours)\.?)?\s*(?:(\d+)\s*(?:m|min|mins|minutes?)\.?)?$/i.exec(text);
  if (m && (m[1] || m[2])) return positiveMinutes(Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0));
  return null;
}

function positiveMinutes(n: number): number | null {
  return Number.isInteger(n) && n > 0 && n <= 1500 ? n : null;
}

/** Code-unit order: the same on every machine and locale (unlike localeCompare). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
