/**
 * The one title-and-year matcher of every title lookup — TMDB's and OMDb's searches, OMDb's `t=` lookup, the
 * Rotten Tomatoes and Metacritic search pages: a result is the film when one of its titles is the film's, once
 * both are folded (`lib/fold.ts`; "&" read as "and": "Fast & Furious" is "Fast and Furious"), and its year is the
 * film's. Lookups are fuzzy (OMDb answered `t=Captain Marvel` with a 1962 short; TMDB's `year=` matches any
 * release in that year; remakes share titles), so anything but exactly one match is a `NoMatchError`, never a
 * guess.
 */
import { NoMatchError } from '../errors.ts';
import { fold } from '../lib/fold.ts';

/** What a title lookup looks for. */
export interface TitleQuery {
  /** The film's English (or original) title. */
  title: string;
  /** Year of its primary release, when known. */
  year?: number;
}

/** A title as it is compared: folded, "&" as "and". */
export function titleKey(title: string): string {
  return fold(title.replace(/&/g, ' and '));
}

/** Whether two titles are the same title (see `titleKey`). */
export function sameTitle(a: string, b: string): boolean {
  return titleKey(a) === titleKey(b);
}

export interface MatchOptions<T> {
  source: string;
  url: string;
  /** What a result is called in messages ("result", "movie", "film row"), singular. */
  noun: string;
  /** A result's titles (its title, its original title…); nulls are skipped. */
  titlesOf: (result: T) => readonly (string | null | undefined)[];
  yearOf: (result: T) => number | null | undefined;
  /** Whether `results` is every result of the lookup (false: more pages exist). A match without a year needs every one. */
  complete?: boolean;
}

/**
 * The one result with the film's title and, when the query has one, its year. None → "no … titled …";
 * several → "… ambiguous"; one found without a year among an incomplete list → "not sure".
 */
export function pickTitleMatch<T>(results: readonly T[], query: TitleQuery, options: MatchOptions<T>): T {
  const { source, url, noun } = options;
  const wanted = titleKey(query.title);
  if (wanted === '') throw new NoMatchError(source, url, 'empty title');
  const sameTitled = results.filter((r) => options.titlesOf(r).some((t) => t != null && titleKey(t) === wanted));
  const matches = query.year === undefined ? sameTitled : sameTitled.filter((r) => options.yearOf(r) === query.year);
  const what = `"${query.title}"${query.year === undefined ? '' : ` (${query.year})`}`;
  if (matches.length === 0) throw new NoMatchError(source, url, `no ${noun} titled ${what}`);
  if (matches.length > 1) throw new NoMatchError(source, url, `${matches.length} ${noun}s titled ${what}: ambiguous`);
  if (query.year === undefined && options.complete === false) throw new NoMatchError(source, url, `${what} without a year, and more results than one page: not sure`);
  return matches[0]!;
}
