/**
 * The score catalogue: every review score stingerdb carries, once. Each entry says which scoring site's group
 * it belongs to, its field in the record and its scale, the field that counts the votes or reviews behind it,
 * how much it must move to be news (`changes.json`), how far two sources may disagree before the build reports
 * it, and how people read it (label, how it is written, what its count counts).
 *
 * Everything that has a score in it reads this list: the record's score groups (`movie.ts`), the compact file,
 * the SQLite `scores` rows, the manifest's coverage, the release notes' score moves, the build's choice of a
 * group and its disagreement report, the package's `scores` export and the example site. A new score is its
 * parser, its observation field (`observation.ts`) and one entry here.
 *
 * Order matters: it is the order of the groups in a record and of the scores in the compact file.
 */
import { z } from 'zod';
import type { SourceId } from './sources.ts';

/** A score's scale: whole numbers 0–100 (a percentage, a Metascore) or tenths 0–10 (a rating). */
export type ScoreScale = 'percent' | 'ten-point';

/** How a score is written for people: `73/100`, `73%`, `7.3/10`, or a 0–10 average shown as a percentage (`63%`). */
export type ScoreDisplay = 'out-of-100' | 'percent' | 'out-of-10' | 'ten-point-as-percent';

/**
 * The scoring sites, each a group of scores in the record: the source whose own observation is direct, and the
 * sources that relay copies of its scores, preferred first — OMDb's copy is the site's value when OMDb answered,
 * while a Wikidata statement says nothing of when its score was measured (often years before), so a fresh fetch
 * of it must not beat OMDb's.
 */
export const SCORE_GROUPS = {
  metacritic: { direct: 'metacritic', relays: ['omdb', 'wikidata'], name: 'Metacritic', schemaId: 'MetacriticScores', description: 'Metacritic scores.' },
  rottenTomatoes: { direct: 'rottentomatoes', relays: ['omdb', 'wikidata'], name: 'Rotten Tomatoes', schemaId: 'RottenTomatoesScores', description: 'Rotten Tomatoes scores.' },
  imdb: { direct: 'imdb', relays: ['omdb', 'wikidata'], name: 'IMDb', schemaId: 'ImdbScores', description: 'IMDb rating.' },
  tmdb: { direct: 'tmdb', relays: [], name: 'TMDB', schemaId: 'TmdbScores', description: 'TMDB user score.' },
} as const satisfies Record<string, { direct: SourceId; relays: readonly SourceId[]; name: string; schemaId: string; description: string }>;
export type ScoreGroup = keyof typeof SCORE_GROUPS;
/** The group names, in record order. */
export const SCORE_GROUP_NAMES = Object.keys(SCORE_GROUPS) as ScoreGroup[];

/** One score of the catalogue. */
export interface ScoreSpec {
  /** Its name outside its group: the compact file's key, `changes.json`'s `score`, the package's `scores` list. */
  name: string;
  group: ScoreGroup;
  /** Its key inside the group (`scores.<group>.<field>`). */
  field: string;
  /** The key inside the group of the votes or reviews behind it. */
  count: string;
  scale: ScoreScale;
  /** A move smaller than this, on its own scale, is noise, not news (`changes.json`). */
  changeThreshold: number;
  /** The first score of a group is its primary one: two sources' copies further apart than this are reported. */
  disagreement?: number;
  label: string;
  display: ScoreDisplay;
  /** What its count counts ("critic reviews", "votes"). */
  countWord: string;
  /** The record's documentation of the score and of its count. */
  describe: string;
  describeCount: string;
  /** The compact file's documentation of the score. */
  describeCompact: string;
}

export const SCORE_CATALOGUE = [
  {
    name: 'metascore',
    group: 'metacritic',
    field: 'metascore',
    count: 'criticCount',
    scale: 'percent',
    changeThreshold: 3,
    disagreement: 3,
    label: 'Metascore',
    display: 'out-of-100',
    countWord: 'critic reviews',
    describe: 'Metascore, 0-100; null when Metacritic has too few critic reviews.',
    describeCount: 'Critic reviews behind the metascore.',
    describeCompact: 'Metacritic metascore, 0-100; null when not rated.',
  },
  {
    name: 'metacriticUserScore',
    group: 'metacritic',
    field: 'userScore',
    count: 'userCount',
    scale: 'ten-point',
    changeThreshold: 0.3,
    label: 'Metacritic user score',
    display: 'out-of-10',
    countWord: 'ratings',
    describe: 'Metacritic user score, 0-10; null when missing ("tbd").',
    describeCount: 'User ratings behind the user score.',
    describeCompact: 'Metacritic user score, 0-10; null when not rated.',
  },
  {
    name: 'tomatometer',
    group: 'rottenTomatoes',
    field: 'tomatometer',
    count: 'criticCount',
    scale: 'percent',
    changeThreshold: 3,
    disagreement: 3,
    label: 'Tomatometer',
    display: 'percent',
    countWord: 'critic reviews',
    describe: 'Tomatometer: percentage of positive critic reviews, 0-100; null when none.',
    describeCount: 'Critic reviews counted.',
    describeCompact: 'Rotten Tomatoes Tomatometer, 0-100; null when not rated.',
  },
  {
    name: 'audienceScore',
    group: 'rottenTomatoes',
    field: 'audienceScore',
    count: 'audienceCount',
    scale: 'percent',
    changeThreshold: 3,
    label: 'Audience score',
    display: 'percent',
    countWord: 'ratings',
    describe: 'Audience score ("Popcornmeter" since 2025), 0-100; null when none.',
    describeCount: 'Exact number of audience ratings; absent when the page only shows a band such as "250,000+".',
    describeCompact: 'Rotten Tomatoes audience score (Popcornmeter), 0-100; null when not rated.',
  },
  {
    name: 'imdbRating',
    group: 'imdb',
    field: 'rating',
    count: 'votes',
    scale: 'ten-point',
    changeThreshold: 0.2,
    disagreement: 0.3,
    label: 'IMDb rating',
    display: 'out-of-10',
    countWord: 'votes',
    describe: 'IMDb user rating, 0-10; null when unrated.',
    describeCount: 'Number of IMDb votes.',
    describeCompact: 'IMDb user rating, 0-10; null when not rated.',
  },
  {
    name: 'tmdbVoteAverage',
    group: 'tmdb',
    field: 'voteAverage',
    count: 'voteCount',
    scale: 'ten-point',
    changeThreshold: 0.3,
    disagreement: 0.5,
    label: 'TMDB user score',
    display: 'ten-point-as-percent',
    countWord: 'votes',
    describe: 'TMDB user score, 0-10; null when nobody has voted.',
    describeCount: 'Number of TMDB votes.',
    describeCompact: 'TMDB user score, 0-10; null when not rated.',
  },
] as const satisfies readonly ScoreSpec[];

export type ScoreEntry = (typeof SCORE_CATALOGUE)[number];
export type ScoreName = ScoreEntry['name'];

/** A score as the published package describes it (`scores.json`, the reader's `scores()`). */
export interface PublishedScore {
  name: string;
  group: ScoreGroup;
  field: string;
  count: string;
  label: string;
  scale: ScoreScale;
  display: ScoreDisplay;
  countWord: string;
  description: string;
}

/** The catalogue as the package ships it: what a consumer needs to read and show each score. */
export function publishedScores(): PublishedScore[] {
  return SCORE_CATALOGUE.map((s) => ({
    name: s.name,
    group: s.group,
    field: s.field,
    count: s.count,
    label: s.label,
    scale: s.scale,
    display: s.display,
    countWord: s.countWord,
    description: s.describeCompact,
  }));
}

/** The scores of one group, in catalogue order. */
export function scoresOf(group: ScoreGroup): ScoreSpec[] {
  return SCORE_CATALOGUE.filter((s) => s.group === group);
}

/** A group's primary score (its first): the one its disagreement is measured on. */
export function primaryScore(group: ScoreGroup): ScoreSpec {
  return scoresOf(group)[0]!;
}

/** A score's value in a record's scores (null when its group or the score is missing). */
export function scoreValue(scores: Partial<Record<ScoreGroup, object>>, score: Pick<ScoreSpec, 'group' | 'field'>): number | null {
  return ((scores[score.group] as Record<string, unknown> | undefined)?.[score.field] as number | null | undefined) ?? null;
}

/** The zod type of a score's value on its scale. */
export function scaleSchema(scale: ScoreScale): z.ZodNumber {
  return scale === 'percent' ? z.number().int().min(0).max(100) : z.number().min(0).max(10);
}

/** A count of votes or reviews: a score with none is missing, so a count is at least 1. */
export const ScoreCount = z.number().int().min(1);
