/**
 * The watchlist: the films a run covers beyond what the feeds bring. A JSON array of objects with the
 * canonical id keys — `imdb` required, `tmdb`, `wikidata`, `rottenTomatoes`, `metacritic` optional — plus
 * optional `title` and `year` hints used by title lookups (OMDb `?t=`, TMDB search) before any source has
 * given the film's title.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ValidationError, formatIssues } from '../errors.ts';
import { ImdbId, MetacriticId, RottenTomatoesId, TmdbId, WikidataId } from '../normalize/schema.ts';
import { safeJsonParse } from '../normalize/text.ts';
import type { MovieContext } from '../scrapers/source.ts';

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

export function readWatchlist(file: string): WatchlistEntry[] {
  let raw: unknown;
  try {
    raw = safeJsonParse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ValidationError(`watchlist ${file}`, [`- (file): ${(error as Error).message}`]);
  }
  const parsed = z.array(WatchlistEntry).safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError(`watchlist ${file} (expected [{"imdb":"tt…", "rottenTomatoes"?: "m/…", …}])`, formatIssues(parsed.error.issues));
  }
  const seen = new Set<string>();
  const duplicates = parsed.data.filter((e) => (seen.has(e.imdb) ? true : (seen.add(e.imdb), false)));
  if (duplicates.length) throw new ValidationError(`watchlist ${file}`, duplicates.map((d) => `- ${d.imdb}: listed twice`));
  return parsed.data;
}

export function watchlistContext(entry: WatchlistEntry): MovieContext {
  const { title, year, ...ids } = entry;
  return { id: entry.imdb, ids, ...(title && { title }), ...(year && { year }) };
}
