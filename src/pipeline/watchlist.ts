/**
 * The watchlist: the films a run covers beyond what the feeds bring. A JSON array of objects with the
 * canonical id keys — `imdb` required, `tmdb`, `wikidata`, `rottenTomatoes`, `metacritic` optional — plus
 * optional `title` and `year` hints used by title lookups (OMDb `?t=`, TMDB search) before any source has
 * given the film's title.
 *
 * The watchlist is an input the user gives (`--watchlist`): one that is missing, unreadable, not JSON or not
 * of this shape is bad usage (`UsageError`, exit code 2), reported with the file's name before anything runs.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError, formatIssues } from '../errors.ts';
import { ImdbId, MetacriticId, RottenTomatoesId, TmdbId, WikidataId } from '../schema/ids.ts';
import { safeJsonParse } from '../lib/json.ts';
import type { MovieContext } from '../scrapers/source.ts';
import type { Observation } from '../schema/observation.ts';
import { WATCHLIST_URL } from '../schema/sources.ts';

export const WatchlistEntry = z
  .object({
    imdb: ImdbId,
    tmdb: TmdbId.optional(),
    wikidata: WikidataId.optional(),
    rottenTomatoes: RottenTomatoesId.optional(),
    metacritic: MetacriticId.optional(),
    title: z.string().min(1).max(300).optional(),
    year: z.number().int().min(1870).max(2100).optional(),
  })
  .strict();
export type WatchlistEntry = z.infer<typeof WatchlistEntry>;

const SHAPE = 'a JSON array of {"imdb":"tt…", "rottenTomatoes"?: "m/…", …}';

/** The watchlist's entries; a `UsageError` naming the file when it cannot be used. */
export function readWatchlist(file: string): WatchlistEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new UsageError(`watchlist ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${message})`} — give --watchlist <file>, ${SHAPE}`);
  }
  let raw: unknown;
  try {
    raw = safeJsonParse(text);
  } catch (error) {
    throw new UsageError(`watchlist ${file}: not JSON (${(error as Error).message}) — expected ${SHAPE}`);
  }
  const parsed = z.array(WatchlistEntry).safeParse(raw);
  if (!parsed.success) throw new UsageError(`watchlist ${file}: not ${SHAPE}:\n${formatIssues(parsed.error.issues).join('\n')}`);
  const seen = new Set<string>();
  const duplicates = parsed.data.filter((e) => (seen.has(e.imdb) ? true : (seen.add(e.imdb), false)));
  if (duplicates.length) throw new UsageError(`watchlist ${file}: films listed twice:\n${duplicates.map((d) => `- ${d.imdb}`).join('\n')}`);
  return parsed.data;
}

export function watchlistContext(entry: WatchlistEntry): MovieContext {
  const { title, year, ...ids } = entry;
  return { id: entry.imdb, ids, ...(title && { title }), ...(year && { year }) };
}


/**
 * What the watchlist says of each film, filed as the watchlist source's observations (dated `day`): its ids,
 * and its title and year when given. The store keeps an unchanged one with its first date.
 */
export function watchlistObservations(entries: readonly WatchlistEntry[], day: string): Observation[] {
  return entries.map((entry) => {
    const { title, year, ...ids } = entry;
    const base = { source: 'watchlist', url: WATCHLIST_URL, observedAt: day, movie: entry.imdb, ids } as const;
    return title || year ? { ...base, kind: 'details', ...(title && { title }), ...(year && { year }) } : { ...base, kind: 'ids' };
  });
}
