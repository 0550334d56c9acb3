/**
 * What changed between two snapshots: films added and removed, credit verdicts that flipped, scores that
 * moved by more than a threshold, per-source coverage before → after. Written as `changes.json` (this
 * version's diff) and prepended to `CHANGES.md` (the release notes, newest first).
 *
 * The previous snapshot is read line by line (one record per line in `movies.json`) into a small summary per
 * film, so the diff never holds two full datasets in memory.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Movie } from '../normalize/schema.ts';
import { compareStrings } from '../normalize/text.ts';

/** Score moves smaller than this (on the score's own scale) are noise, not news. */
export const SCORE_MOVE_THRESHOLD: Readonly<Record<ScoreName, number>> = {
  metascore: 3,
  metacriticUserScore: 0.3,
  tomatometer: 3,
  audienceScore: 3,
  imdbRating: 0.2,
  tmdbVoteAverage: 0.3,
};
/** At most this many items of each kind are listed in CHANGES.md (changes.json has them all). */
const MARKDOWN_LIMIT = 50;

export type ScoreName = 'metascore' | 'metacriticUserScore' | 'tomatometer' | 'audienceScore' | 'imdbRating' | 'tmdbVoteAverage';

/** What the diff needs of a record. */
export interface FilmSummary {
  title: string | null;
  during: boolean | null;
  after: boolean | null;
  scores: Record<ScoreName, number | null>;
}

export interface Changes {
  version: string;
  previousVersion: string | null;
  counts: { before: number; after: number };
  added: { id: string; title: string | null }[];
  removed: { id: string; title: string | null }[];
  verdictFlips: { id: string; title: string | null; slot: 'during' | 'after'; from: boolean | null; to: boolean | null }[];
  scoreMoves: { id: string; title: string | null; score: ScoreName; from: number | null; to: number | null }[];
  coverage: Record<string, { before: number; after: number }>;
}

export function summarize(m: Movie): FilmSummary {
  return {
    title: m.title,
    during: m.creditScenes.during,
    after: m.creditScenes.after,
    scores: {
      metascore: m.scores.metacritic?.metascore ?? null,
      metacriticUserScore: m.scores.metacritic?.userScore ?? null,
      tomatometer: m.scores.rottenTomatoes?.tomatometer ?? null,
      audienceScore: m.scores.rottenTomatoes?.audienceScore ?? null,
      imdbRating: m.scores.imdb?.rating ?? null,
      tmdbVoteAverage: m.scores.tmdb?.voteAverage ?? null,
    },
  };
}

/**
 * Reads a published `movies.json` (one record per line) into summaries, a chunk at a time: the text of the
 * previous snapshot is never held whole. Null when there is none, or it is not a snapshot this version can
 * read (then there is no diff rather than a wrong one).
 */
export function readSummariesSync(moviesJson: string): Map<string, FilmSummary> | null {
  if (!existsSync(moviesJson)) return null;
  const summaries = new Map<string, FilmSummary>();
  const fd = openSync(moviesJson, 'r');
  const chunk = Buffer.allocUnsafe(1 << 20);
  let rest = '';
  const decoder = new StringDecoder('utf8');
  try {
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      const text = rest + (read > 0 ? decoder.write(chunk.subarray(0, read)) : decoder.end());
      const lines = text.split('\n');
      rest = read > 0 ? lines.pop()! : '';
      for (const line of lines) {
        const record = line.endsWith(',') ? line.slice(0, -1) : line;
        if (!record.startsWith('{')) continue;
        const movie = JSON.parse(record) as Movie;
        summaries.set(movie.id, summarize(movie));
      }
      if (read === 0) break;
    }
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
  return summaries;
}

export function diffSnapshots(input: {
  version: string;
  previousVersion: string | null;
  previous: ReadonlyMap<string, FilmSummary> | null;
  next: ReadonlyMap<string, FilmSummary>;
  coverageBefore: Record<string, number>;
  coverageAfter: Record<string, number>;
}): Changes {
  const previous = input.previous ?? new Map<string, FilmSummary>();
  const changes: Changes = {
    version: input.version,
    previousVersion: input.previousVersion,
    counts: { before: previous.size, after: input.next.size },
    added: [],
    removed: [],
    verdictFlips: [],
    scoreMoves: [],
    coverage: {},
  };
  for (const [id, now] of input.next) {
    const before = previous.get(id);
    if (!before) {
      changes.added.push({ id, title: now.title });
      continue;
    }
    for (const slot of ['during', 'after'] as const) {
      if (before[slot] !== now[slot]) changes.verdictFlips.push({ id, title: now.title, slot, from: before[slot], to: now[slot] });
    }
    for (const score of Object.keys(SCORE_MOVE_THRESHOLD) as ScoreName[]) {
      const from = before.scores[score];
      const to = now.scores[score];
      const moved = from === null || to === null ? from !== to : Math.abs(to - from) > SCORE_MOVE_THRESHOLD[score];
      if (moved) changes.scoreMoves.push({ id, title: now.title, score, from, to });
    }
  }
  for (const [id, before] of previous) if (!input.next.has(id)) changes.removed.push({ id, title: before.title });
  for (const list of [changes.added, changes.removed, changes.verdictFlips, changes.scoreMoves]) {
    (list as { id: string }[]).sort((a, b) => compareStrings(a.id, b.id));
  }
  for (const field of [...new Set([...Object.keys(input.coverageBefore), ...Object.keys(input.coverageAfter)])].sort()) {
    const before = input.coverageBefore[field] ?? 0;
    const after = input.coverageAfter[field] ?? 0;
    if (before !== after) changes.coverage[field] = { before, after };
  }
  return changes;
}

const show = (v: boolean | number | null) => (v === null ? 'unknown' : v === true ? 'yes' : v === false ? 'no' : String(v));
const name = (x: { id: string; title: string | null }) => `${x.title ? `${x.title} ` : ''}(\`${x.id}\`)`;

/** One version's section of CHANGES.md. */
export function changesMarkdown(changes: Changes): string {
  const lines = [`## ${changes.version}`, ''];
  lines.push(
    changes.previousVersion
      ? `Since ${changes.previousVersion}: ${changes.counts.before} → ${changes.counts.after} films.`
      : `First snapshot: ${changes.counts.after} films.`,
    '',
  );
  const list = <T>(title: string, items: T[], line: (item: T) => string) => {
    if (items.length === 0) return;
    lines.push(`### ${title} (${items.length})`, '');
    for (const item of items.slice(0, MARKDOWN_LIMIT)) lines.push(`- ${line(item)}`);
    if (items.length > MARKDOWN_LIMIT) lines.push(`- … and ${items.length - MARKDOWN_LIMIT} more (see changes.json)`);
    lines.push('');
  };
  if (changes.previousVersion) {
    list('Added', changes.added, name);
    list('Removed', changes.removed, name);
  }
  list('Credit verdicts that changed', changes.verdictFlips, (f) => `${name(f)} ${f.slot}: ${show(f.from)} → ${show(f.to)}`);
  list('Scores that moved', changes.scoreMoves, (m) => `${name(m)} ${m.score}: ${show(m.from)} → ${show(m.to)}`);
  const coverage = Object.entries(changes.coverage);
  if (coverage.length && changes.previousVersion) {
    lines.push('### Coverage', '', '| field | before | after |', '|---|---|---|');
    for (const [field, { before, after }] of coverage) lines.push(`| ${field} | ${before} | ${after} |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** CHANGES.md with this version's section on top of the previous notes. */
export function prependChanges(previousNotes: string | null, section: string): string {
  const header = '<!-- Generated by the stingerdb pipeline — do not edit. -->\n# Changes\n\n';
  const body = previousNotes?.startsWith(header) ? previousNotes.slice(header.length) : '';
  return `${header}${section}${body}`;
}
