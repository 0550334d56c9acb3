/**
 * MediaStinger — the PMM-Mediastingers project's daily list of the films mediastinger.com says have a stinger,
 * matched to TMDB ids by title: `stingers.yml`, one `tmdb_id: rating` per line (`2357: 7`, `1429: -3`).
 *
 * What it says, and does not: a film on it is one the site lists as having a stinger somewhere (no slot); the
 * integer is the site's stinger rating (votes, negative when voters found it not worth the wait), not a flag.
 * The title match makes mistakes both ways (The Shawshank Redemption is on it; Wonder Woman 1984, with a scene
 * during the credits, is not).
 *
 * Not a source of the pipeline (yet): it was measured against the hand-checked truth and is not used by the
 * answers — `npm run measure:lists`, README "Lists measured and not used". This module reads the
 * recorded feed for that measure, as a source would read it live.
 *
 * A malformed line is reported with its line number and skipped; the rest of the feed still counts.
 */
import { UnexpectedContentError, quoted } from '../errors.ts';

export const MEDIASTINGER_FEED_URL = 'https://raw.githubusercontent.com/meisnate12/PMM-Mediastingers/master/stingers.yml';

/** One line of the feed. */
export interface MediaStingerEntry {
  tmdb: number;
  /** The site's stinger rating (can be negative). */
  rating: number;
  /** Line number in the feed (1-based). */
  line: number;
}

const LINE = /^\s*(\d{1,9})\s*:\s*(-?\d{1,9})\s*(?:#.*)?$/;

/** The feed → its entries, and one line per malformed line. Throws when the body is not the feed at all. */
export function parseMediaStingerFeed(body: string, url = MEDIASTINGER_FEED_URL): { entries: MediaStingerEntry[]; problems: string[] } {
  if (body.trim() === '') throw new UnexpectedContentError('mediastinger', url, 'empty feed');
  if (/^\s*</.test(body)) throw new UnexpectedContentError('mediastinger', url, 'an HTML page where the YAML feed was expected');
  const entries: MediaStingerEntry[] = [];
  const problems: string[] = [];
  const seen = new Map<number, number>();
  body.split(/\r?\n/).forEach((text, index) => {
    const line = index + 1;
    if (text.trim() === '' || text.trimStart().startsWith('#')) return;
    const match = LINE.exec(text);
    if (!match) {
      problems.push(`line ${line}: ${quoted(text.trim(), 40)} is not "tmdb_id: rating"`);
      return;
    }
    const tmdb = Number(match[1]);
    const first = seen.get(tmdb);
    if (first !== undefined) {
      problems.push(`line ${line}: TMDB id ${tmdb} again (first on line ${first}); the first is kept`);
      return;
    }
    seen.set(tmdb, line);
    entries.push({ tmdb, rating: Number(match[2]), line });
  });
  if (entries.length === 0) {
    throw new UnexpectedContentError('mediastinger', url, `no feed entries found${problems.length ? ` (${problems.length} malformed lines; first: ${problems[0]})` : ''}`);
  }
  return { entries, problems };
}
