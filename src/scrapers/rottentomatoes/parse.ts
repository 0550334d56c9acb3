/**
 * Pure parsers for Rotten Tomatoes pages: `(body, url)` in, typed values and observations out.
 *
 * Every markup generation in the corpus is read, the embedded JSON first and selectors only for what no
 * JSON carries (see `schema.ts` for the JSON blocks, `detectMarkup` for the generations). Quirks absorbed:
 * - 2008 pages have no audience score at all (null, never 0), print "2 hrs 46 mins" and put the year in
 *   the h1 ("Pulp Fiction (1994)"); they are ISO-8859-1 (the HTTP client decodes them).
 * - The audience count shown since 2023 is banded ("250,000+ Ratings"): not a count. Only 2023's
 *   `script#scoreDetails` (`audienceScore.ratingCount`) and 2019's "User Ratings: 885,203" are exact;
 *   `reviewCount` of the audience counts written reviews, not ratings.
 * - Scores are numbers in one generation and strings ("96") in the next; "0 Verified Ratings" is no score.
 * - The trailer sits beside the film: JSON-LD `video.duration` / `rt-text[slot=iconic-video-runtime]`
 *   "2:29" and hydration `primaryVideo.durationInSeconds` are never the film's runtime.
 * - 2026 JSON-LD names carry the year ("Dune (2021)"); a title that merely ends in a number
 *   ("Wonder Woman 1984") keeps it.
 * - 2019 "In Theaters" `time[datetime]` is shifted to US Pacific time (a day early): the text is the date.
 * Selector fallbacks load only the fragment they read (cheerio's htmlparser2 backend), never the page.
 */
import type { CheerioAPI } from 'cheerio/slim';
import type { z } from 'zod';
import { LayoutChangedError, OutOfRangeError, UnexpectedContentError, formatIssues } from '../../errors.ts';
import { ROTTEN_TOMATOES_ID, type MovieIds } from '../../schema/ids.ts';
import { parseCount, parseDate, parseRuntime, parseYear, plainText, plainTitle } from '../../lib/text.ts';
import { safeJsonParse } from '../../lib/json.ts';
import type { ParsedObservation } from '../../schema/observation.ts';
import { canonicalUrl, jsonLdObjects, jsonLdOfType, loadFragment, looksLikeHtml, metaContent, noContentError, readScriptJson, scriptBlocks, type ScriptBlock } from '../html.ts';
import {
  RtHydration,
  RtJsonLdMovie,
  RtMediaScorecard,
  RtMpsCall,
  RtScoreDetails,
  type RtJsonLdPerson,
  type RtScoreDetailsScore,
  type RtScorecardScore,
} from './schema.ts';
import { scoreOnScale } from '../scales.ts';
import { pickTitleMatch, type TitleQuery } from '../match.ts';
import { wholePage } from '../page.ts';

const SOURCE = 'rottentomatoes';

/**
 * The markup generations of Rotten Tomatoes pages, as the corpus index labels them: film pages of 2008,
 * 2019 (`mop-ratings-wrap`), 2023 (`score-board-deprecated` + `script#scoreDetails`), April 2024 on
 * (`script#media-scorecard-json`), 2026 (JSON-LD with the details list, or JSON-LD alone), and the 2021
 * search page (`search-page-media-row`).
 */
export const RT_MARKUPS = [
  'rt-2008',
  'rt-mop-2019',
  'rt-search-2021',
  'rt-scoreboard-2023',
  'rt-scorecard-json-2024',
  'rt-2026-details',
  'rt-jsonld-2026',
] as const;
/** One markup generation (see `RT_MARKUPS`). */
export type RtMarkup = (typeof RT_MARKUPS)[number];

/** The film-page generations, most recent first: what a `LayoutChangedError` names when none yields a Tomatometer. */
const FILM_PAGE_MARKUPS: readonly RtMarkup[] = ['rt-scorecard-json-2024', 'rt-scoreboard-2023', 'rt-2026-details', 'rt-jsonld-2026', 'rt-mop-2019', 'rt-2008'];

/** Tomatometer badge: "certified-fresh" (≥ 75 % with enough reviews), "fresh" (≥ 60 %), "rotten". */
export type TomatometerState = 'certified-fresh' | 'fresh' | 'rotten';
/** Audience badge: "upright" (≥ 60 %) or "spilled". */
export type AudienceState = 'upright' | 'spilled';
const TOMATOMETER_STATES: readonly TomatometerState[] = ['certified-fresh', 'fresh', 'rotten'];
const AUDIENCE_STATES: readonly AudienceState[] = ['upright', 'spilled'];

// ---------------------------------------------------------------------------------------------------------
// Generations and page checks

/**
 * The block that marks each generation, most recent first: a literal to look for (a fast scan of the
 * page) and the pattern that confirms it.
 */
const GENERATION_MARKERS: readonly { markup: RtMarkup; literal: string; pattern: RegExp }[] = [
  { markup: 'rt-search-2021', literal: '<search-page-', pattern: /<search-page-(?:result-container|media-row)\b/i },
  { markup: 'rt-scorecard-json-2024', literal: 'media-scorecard-json', pattern: /\bid\s*=\s*["']?media-scorecard-json\b/i },
  { markup: 'rt-scoreboard-2023', literal: 'score-board-deprecated', pattern: /<score-board-deprecated\b/i },
  { markup: 'rt-scoreboard-2023', literal: 'scoreDetails', pattern: /\bid\s*=\s*["']?scoreDetails\b/ },
  { markup: 'rt-mop-2019', literal: 'mop-ratings-wrap', pattern: /\bclass\s*=\s*["'][^"']*\bmop-ratings-wrap\b/ },
  { markup: 'rt-2008', literal: 'tomatometer_score', pattern: /\bid\s*=\s*["']?tomatometer_score\b/ },
  { markup: 'rt-2026-details', literal: 'item-label', pattern: /\bdata-qa\s*=\s*["']?item-label\b/ },
  { markup: 'rt-jsonld-2026', literal: 'application/ld+json', pattern: /application\/ld\+json[\s\S]*?"@type"\s*:\s*"Movie"/i },
];

/**
 * The markup generation of a page (see `RT_MARKUPS`), from the block each generation introduced; the most
 * recent block wins when a page carries several. Null when the page has none of them.
 */
export function detectMarkup(html: string): RtMarkup | null {
  return GENERATION_MARKERS.find((m) => html.includes(m.literal) && m.pattern.test(html))?.markup ?? null;
}

function isRtHost(hostname: string): boolean {
  return hostname === 'rottentomatoes.com' || hostname.endsWith('.rottentomatoes.com');
}

/** `value` resolved against `base`; null when there is none or it is no URL. */
function urlOf(value: string | null | undefined, base: string): URL | null {
  if (!value) return null;
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
}


/**
 * The body as a whole Rotten Tomatoes page (see `../page.ts`), with the markup generation it holds. Real pages
 * embed reCAPTCHA keys, so only a page without any known block is tested for a challenge; a page that names no
 * host says it is Rotten Tomatoes' by a block of its own generations, its title or site name, or a JSON-LD url.
 */
function readPage(body: string, url: string): { html: string; head: string; markup: RtMarkup | null } {
  const markup = detectMarkup(body.replace(/^\uFEFF/, ''));
  const { html, head } = wholePage(body, url, {
    source: SOURCE,
    name: 'Rotten Tomatoes',
    domain: 'rottentomatoes.com',
    isContentPage: () => markup !== null,
    claims: (page) =>
      (markup !== null && markup !== 'rt-jsonld-2026' && markup !== 'rt-2026-details') ||
      /Rotten Tomatoes/i.test(page.title ?? '') ||
      /"url"\s*:\s*"https?:\/\/(?:www\.)?rottentomatoes\.com\//.test(page.html),
  });
  return { html, head, markup };
}

// ---------------------------------------------------------------------------------------------------------
// Fragments and values

/**
 * The outer HTML of every element whose opening tag matches `opening` (which must start at `<`), found by
 * counting nested tags of the same name: the fragment a selector fallback loads instead of the whole page.
 */
function outerElements(html: string, opening: RegExp): string[] {
  const fragments: string[] = [];
  const openings = new RegExp(opening.source, opening.flags.includes('g') ? opening.flags : `${opening.flags}g`);
  for (const m of html.matchAll(openings)) {
    const start = m.index ?? 0;
    const name = /^<([A-Za-z][\w-]*)/.exec(m[0])?.[1];
    if (!name) continue;
    const tags = new RegExp(`<(/?)${name}(?=[\\s/>])[^>]*>`, 'gi');
    tags.lastIndex = start;
    let depth = 0;
    let end = html.length;
    for (let tag = tags.exec(html); tag; tag = tags.exec(html)) {
      if (tag[1]) depth--;
      else if (!tag[0].endsWith('/>')) depth++;
      if (depth === 0) {
        end = tag.index + tag[0].length;
        break;
      }
    }
    fragments.push(html.slice(start, end));
  }
  return fragments;
}

/** A percentage score (../scales.ts). */
function percent(value: unknown, field: string, url: string): number | null {
  return scoreOnScale(value, 'percent', { source: SOURCE, url, field });
}

/**
 * A score of a JSON block or an attribute: undefined when the block has no such key (it does not carry the
 * score, which is not the same as carrying a missing one), else as `percent`.
 */
function carriedPercent(value: unknown, field: string, url: string): number | null | undefined {
  return value === undefined ? undefined : percent(value, field, url);
}

/** An average on a 0-10 scale ("8.30", "9/10") (../scales.ts). */
function tenPoint(value: unknown, field: string, url: string): number | null {
  return scoreOnScale(value, 'tenPoint', { source: SOURCE, url, field });
}

/**
 * An exact count as an observation wants it: a positive number, null for 0 (nobody rated: no score), and
 * undefined when the value is not an exact count at all (absent, banded "250,000+", unreadable).
 */
function exactCount(value: unknown): number | null | undefined {
  const n = parseCount(typeof value === 'string' ? value.replace(/\s*(?:reviews?|ratings?)\s*$/i, '') : value);
  if (n === null) return undefined;
  return n === 0 ? null : n;
}

/**
 * A score with its count: a zero count makes the score null (nobody rated: no score, whatever the block
 * shows), and the score is read only when the count allows one (as `carriedPercent`). The count is as
 * `exactCount` gives it.
 */
function countedScore(value: unknown, count: unknown, field: string, url: string): { score: number | null | undefined; count: number | null | undefined } {
  const exact = exactCount(count);
  return { score: exact === null ? null : carriedPercent(value, field, url), count: exact };
}

/** A banded count as shown ("250,000+ Ratings" → "250,000+"), null when there is none. */
function bandedCount(value: string | null | undefined): string | null {
  const text = plainText(value)?.replace(/\s*(?:verified\s+)?(?:ratings?|reviews?)$/i, '');
  return text ? text : null;
}

function stateOf<S extends string>(value: unknown, allowed: readonly S[]): S | null {
  if (typeof value !== 'string') return null;
  const state = value.trim().toLowerCase().replace(/_/g, '-') as S;
  return allowed.includes(state) ? state : null;
}

/** A Tomatometer badge: its state, and whether it is Certified Fresh (undefined when the page does not say). */
interface TomatometerBadge {
  state: TomatometerState | null;
  certified: boolean | undefined;
}

/** The badge of a page whose state is all it says: Certified Fresh is one of the states. */
function badgeOfState(state: TomatometerState | null): TomatometerBadge {
  return { state, certified: state === null ? undefined : state === 'certified-fresh' };
}

/** A 2024 `sentiment` as a badge state: POSITIVE → `positive`, NEGATIVE → `negative`, anything else none. */
function bySentiment<S extends string>(sentiment: string | null | undefined, positive: S, negative: S): S | null {
  return sentiment === 'POSITIVE' ? positive : sentiment === 'NEGATIVE' ? negative : null;
}

/** "PG-13 (Some Disturbing Images|…)" → "PG-13"; "" → null. */
function contentRatingOf(value: unknown): string | null {
  return plainText(value, { maxLength: 50 })?.replace(/\s*\(.*\)$/, '') || null;
}

/** "Dune (2021)" → title "Dune", year 2021; a title ending in a bare number keeps it ("Wonder Woman 1984"). */
export function splitTitleYear(name: string): { title: string | null; year: number | null } {
  const text = plainTitle(name);
  const m = text ? /^(.*\S)\s*\((\d{4})\)$/.exec(text) : null;
  const year = m ? parseYear(m[2]) : null;
  return year !== null && m ? { title: m[1]!, year } : { title: text, year: null };
}

function uniqueNames(values: Iterable<unknown>, limit = Number.POSITIVE_INFINITY): string[] {
  const names: string[] = [];
  for (const value of values) {
    if (names.length >= limit) break;
    const name = plainText(value, { maxLength: 300 });
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

function peopleNames(people: RtJsonLdPerson | RtJsonLdPerson[] | null | undefined, limit?: number): string[] {
  if (!people) return [];
  return uniqueNames((Array.isArray(people) ? people : [people]).map((p) => p.name), limit);
}

/** The `m/<slug>` of a Rotten Tomatoes film URL (absolute or relative), validated by pattern; null otherwise. */
export function rtSlugFromUrl(value: string | null | undefined, base = 'https://www.rottentomatoes.com/'): string | null {
  const parsed = urlOf(value, base);
  if (!parsed || !isRtHost(parsed.hostname.toLowerCase())) return null;
  const m = /^\/(m\/[^/]+)\/?$/.exec(parsed.pathname);
  const slug = m ? decodeURIComponent(m[1]!) : null;
  return slug && ROTTEN_TOMATOES_ID.test(slug) ? slug : null;
}

/** How many top-billed names a `credits` observation keeps. */
const TOP_CAST = 10;

/**
 * What one block of a page says: the page's values, each absent when the block does not carry it. Counts
 * follow the observation convention: a positive number, null for zero (then the score is null too), absent
 * when the block has no exact count.
 */
type PageValues = Partial<Omit<RtPage, 'markup' | 'slug' | 'observations'>> & { slug?: string };

/** Blocks merged in order of preference: the first value wins, a null only when no block has a value. */
function mergeValues(parts: readonly PageValues[]): PageValues {
  const merged: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
      if (merged[key] === undefined || (merged[key] === null && value !== null)) merged[key] = value;
    }
  }
  return merged as PageValues;
}

/** Drops keys whose value is undefined (so that "absent" stays absent through spreads). */
function defined<T extends object>(values: T): T {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as T;
}

// ---------------------------------------------------------------------------------------------------------
// Embedded JSON, one reader per block

/** What the JSON-LD `Movie` of a film page (or an extract of it) says. */
export interface RtJsonLdValues {
  /** `name` without a trailing "(2021)". */
  title: string | null;
  /** The year in `name`, when it carries one ("Dune (2021)"). */
  year?: number;
  /** `contentRating`; null for "". */
  contentRating?: string | null;
  /** `datePublished` (null on 2019-2021 pages). */
  releaseDate?: string | null;
  /** The film's `duration` (2023); the trailer's `video.duration` is never read. */
  runtimeMinutes?: number;
  directors: string[];
  /** `actor` (or `actors`), in page order, at most 10. */
  cast: string[];
  /** `aggregateRating.ratingValue`: the Tomatometer (number or string in the page). */
  tomatometer?: number | null;
  /** `aggregateRating.reviewCount` (or `ratingCount`); null for 0. */
  tomatometerCount?: number | null;
  /** From `url`. */
  slug?: string;
}

/**
 * Maps a JSON-LD `Movie` object of a Rotten Tomatoes page to values. Throws `UnexpectedContentError` when
 * it is not a `Movie` of the known shape, `OutOfRangeError` for a Tomatometer outside 0-100.
 */
export function rtJsonLdValues(object: unknown, url: string): RtJsonLdValues {
  const parsed = RtJsonLdMovie.safeParse(object);
  if (!parsed.success) {
    throw new UnexpectedContentError(SOURCE, url, `not a JSON-LD Movie of the known shape: ${formatIssues(parsed.error.issues, 3).join(' ')}`);
  }
  return jsonLdMovieValues(parsed.data, url);
}

function jsonLdMovieValues(movie: RtJsonLdMovie, url: string): RtJsonLdValues {
  const { title, year } = splitTitleYear(movie.name);
  const values: RtJsonLdValues = { title, directors: peopleNames(movie.director), cast: peopleNames(movie.actor ?? movie.actors, TOP_CAST) };
  if (year !== null) values.year = year;
  if (movie.contentRating !== undefined) values.contentRating = contentRatingOf(movie.contentRating);
  if (movie.datePublished !== undefined) values.releaseDate = parseDate(movie.datePublished);
  const runtime = parseRuntime(movie.duration);
  if (runtime !== null) values.runtimeMinutes = runtime;
  const rating = movie.aggregateRating;
  // The aggregate rating of a film page is the Tomatometer; one named otherwise is not read as it, nor one
  // without a value (that is no "missing" score: the block no longer says).
  if (rating && rating.ratingValue !== undefined && (!rating.name || /tomatometer/i.test(rating.name))) {
    const { score, count } = countedScore(rating.ratingValue, rating.reviewCount ?? rating.ratingCount, 'aggregateRating.ratingValue', url);
    if (count !== undefined) values.tomatometerCount = count;
    values.tomatometer = score;
  }
  const slug = rtSlugFromUrl(movie.url);
  if (slug) values.slug = slug;
  return values;
}

/**
 * Reads an extruct-style JSON-LD extract (a JSON array of the page's JSON-LD objects, not an HTTP body)
 * and maps its `Movie` with `rtJsonLdValues`.
 */
export function parseRtJsonLdExtract(text: string, url: string): RtJsonLdValues {
  let json: unknown;
  try {
    json = safeJsonParse(text);
  } catch (error) {
    throw new UnexpectedContentError(SOURCE, url, `the JSON-LD extract is not JSON (${(error as Error).message})`);
  }
  const objects = (Array.isArray(json) ? json : [json]).filter((o): o is Record<string, unknown> => o !== null && typeof o === 'object');
  const movie = jsonLdOfType(objects, 'Movie');
  if (!movie) throw new UnexpectedContentError(SOURCE, url, 'the JSON-LD extract holds no Movie');
  return rtJsonLdValues(movie, url);
}

/** A readable, valid JSON block of the page, or a `LayoutChangedError` naming it. */
function readBlock<S extends z.ZodType>(block: ScriptBlock, schema: S, markup: RtMarkup, what: string, url: string): z.infer<S> {
  const read = readScriptJson(block.text);
  const parsed = read.ok ? schema.safeParse(read.value) : null;
  if (!parsed?.success) throw new LayoutChangedError(SOURCE, url, [markup], `readable ${what}`);
  return parsed.data;
}

/** A score of either JSON score block: 2023 keeps its value under `value`, 2024 under `score`. */
type BlockScore = RtScoreDetailsScore | RtScorecardScore;

/**
 * The critics' score of a JSON score block into Tomatometer values. `path` names the score in the page's
 * JSON ("criticsScore"), `key` its value; `badge` reads the badge the generation's way, given the Tomatometer.
 */
function criticsValues(
  critics: BlockScore,
  path: string,
  key: 'value' | 'score',
  badge: (tomatometer: number | null | undefined) => TomatometerBadge,
  url: string,
): PageValues {
  const { score: tomatometer, count } = countedScore(critics[key], critics.reviewCount ?? critics.ratingCount, `${path}.${key}`, url);
  const { state, certified } = badge(tomatometer);
  return defined({
    tomatometer,
    tomatometerCount: count,
    tomatometerFresh: parseCount(critics.likedCount),
    tomatometerRotten: parseCount(critics.notLikedCount),
    tomatometerState: state,
    certifiedFresh: certified,
    criticsAverage: tenPoint(critics.averageRating, `${path}.averageRating`, url),
  });
}

/**
 * The audience score of a JSON score block into audience values: only `ratingCount` counts ratings (the
 * block's `reviewCount` counts written reviews; 2024 blocks give a banded count only). A hidden score is none.
 */
function audienceValues(audience: BlockScore, path: string, key: 'value' | 'score', state: () => AudienceState | null, url: string, hidden = false): PageValues {
  const count = exactCount(audience.ratingCount);
  const score = hidden || count === null ? null : carriedPercent(audience[key], `${path}.${key}`, url);
  return defined({
    audienceScore: score,
    audienceCount: count,
    audienceCountBanded: bandedCount(audience.bandedRatingCount),
    audienceReviewCount: parseCount(audience.reviewCount),
    audienceState: score == null ? null : state(),
  });
}

/** The top critics' score of a JSON score block. */
function topCriticsValues(top: BlockScore, path: string, key: 'value' | 'score', url: string): PageValues {
  const { score, count } = countedScore(top[key], top.reviewCount ?? top.ratingCount, `${path}.${key}`, url);
  return defined({ topCriticsScore: score, topCriticsCount: count });
}

/**
 * `script#media-scorecard-json` (April 2024 on). The audience has only a banded count: `audienceCount` stays
 * absent. A hidden audience score (`hideAudienceScore`) is no score.
 */
function scorecardValues(block: ScriptBlock, url: string): PageValues {
  const card = readBlock(block, RtMediaScorecard, 'rt-scorecard-json-2024', 'script#media-scorecard-json', url);
  const critics = card.criticsScore;
  if (!critics) throw new LayoutChangedError(SOURCE, url, ['rt-scorecard-json-2024'], 'criticsScore in script#media-scorecard-json');
  const certified = typeof critics.certified === 'boolean' ? critics.certified : undefined;
  const values = criticsValues(
    critics,
    'criticsScore',
    'score',
    (tomatometer) => ({ certified, state: tomatometer == null ? null : certified ? 'certified-fresh' : bySentiment(critics.sentiment, 'fresh', 'rotten') }),
    url,
  );
  const audience = card.audienceScore;
  if (audience) {
    Object.assign(values, audienceValues(audience, 'audienceScore', 'score', () => bySentiment(audience.sentiment, 'upright', 'spilled'), url, card.hideAudienceScore === true));
  }
  const top = card.overlay?.criticsTop;
  if (top) Object.assign(values, topCriticsValues(top, 'overlay.criticsTop', 'score', url));
  // "0 Verified Ratings" and no score: the verified audience score is missing, not 0.
  const verified = card.overlay?.audienceVerified;
  if (verified) values.verifiedAudienceScore = percent(verified.score, 'overlay.audienceVerified.score', url);
  return values;
}

/**
 * `script#scoreDetails` (2023 to April 2024): the exact audience count is `audienceScore.ratingCount` (the
 * page shows it banded); `scoreboard.info` is "2011, Fantasy/Adventure, 2h 11m".
 */
function scoreDetailsValues(block: ScriptBlock, url: string): PageValues {
  const details = readBlock(block, RtScoreDetails, 'rt-scoreboard-2023', 'script#scoreDetails', url);
  const board = details.scoreboard;
  const critics = board.tomatometerScore;
  if (!critics) throw new LayoutChangedError(SOURCE, url, ['rt-scoreboard-2023'], 'scoreboard.tomatometerScore in script#scoreDetails');
  const values = criticsValues(
    critics,
    'scoreboard.tomatometerScore',
    'value',
    (tomatometer) => badgeOfState(tomatometer == null ? null : stateOf(critics.state, TOMATOMETER_STATES)),
    url,
  );
  const audience = board.audienceScore;
  if (audience) Object.assign(values, audienceValues(audience, 'scoreboard.audienceScore', 'value', () => stateOf(audience.state, AUDIENCE_STATES), url));
  const top = details.modal?.tomatometerScoreTop;
  if (top) Object.assign(values, topCriticsValues(top, 'modal.tomatometerScoreTop', 'value', url));
  const verified = details.modal?.audienceScoreVerified;
  if (verified) values.verifiedAudienceScore = percent(verified.value, 'modal.audienceScoreVerified.value', url);
  if (board.title != null) values.title = plainTitle(board.title);
  if (board.rating != null) values.contentRating = contentRatingOf(board.rating);
  if (board.info) {
    const parts = board.info.split(',').map((p) => p.trim());
    const year = parseYear(parts[0]);
    const runtime = parseRuntime(parts[parts.length - 1]);
    if (year !== null) values.year = year;
    if (runtime !== null) values.runtimeMinutes = runtime;
  }
  return values;
}

/** `script#hydration` (2026): title and year only (its `primaryVideo` is the trailer). */
function hydrationValues(block: ScriptBlock, url: string): PageValues {
  const hydration = readBlock(block, RtHydration, 'rt-2026-details', 'script#hydration', url);
  return defined({
    title: hydration.title == null ? undefined : plainTitle(hydration.title),
    year: hydration.releaseYear == null ? undefined : parseYear(hydration.releaseYear),
  });
}

/** The object literal assigned to `window.mpscall`, cut at its matching brace (strings skipped). */
function mpsCallObject(script: string): string | null {
  const assignment = script.search(/window\.mpscall\s*=/);
  const start = assignment < 0 ? -1 : script.indexOf('{', assignment);
  if (start < 0) return null;
  let depth = 0;
  let inString = false;
  for (let i = start; i < script.length; i++) {
    const c = script[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return script.slice(start, i + 1);
  }
  return null;
}

/**
 * `window.mpscall` (2019-2024 ad targeting): `cag[release]` year, `cag[certified_fresh]` "1"/"0",
 * `cag[rating]`, `cag[movieshow]` title, `path` "/m/<slug>". Its `cag[score]` is not read: the score
 * blocks carry the Tomatometer with its count.
 */
function mpsValues(block: ScriptBlock): PageValues {
  const literal = mpsCallObject(block.text);
  const read = literal ? readScriptJson(literal) : null;
  const parsed = read?.ok ? RtMpsCall.safeParse(read.value) : null;
  if (!parsed?.success) return {};
  const call = parsed.data;
  const certified = call['cag[certified_fresh]'];
  return defined({
    title: typeof call['cag[movieshow]'] === 'string' ? plainTitle(call['cag[movieshow]']) : undefined,
    year: parseYear(call['cag[release]']) ?? undefined,
    contentRating: typeof call['cag[rating]'] === 'string' ? contentRatingOf(call['cag[rating]']) : undefined,
    certifiedFresh: certified === '1' ? true : certified === '0' ? false : undefined,
    slug: typeof call.path === 'string' ? (rtSlugFromUrl(call.path) ?? undefined) : undefined,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Selector fallbacks, one per generation, each on the fragment it needs

/** `<title>Harry Potter and the Deathly Hallows: Part 2 | Rotten Tomatoes</title>` (2023 on). */
function titleTagValues(head: string): PageValues {
  const m = /<title[^>]*>([^<]*?)\s*\|\s*Rotten Tomatoes\s*<\/title>/i.exec(head);
  const title = m ? splitTitleYear(m[1]!).title : null;
  return title ? { title } : {};
}

/**
 * The 2019 score panel (`mop-ratings-wrap`): the first half is the Tomatometer, `.audience-score` the
 * audience; badges are classes of the icon.
 *
 * ```html
 * <div class="mop-ratings-wrap score_panel js-mop-ratings-wrap">
 *   <div class="mop-ratings-wrap__half">
 *     <span class="mop-ratings-wrap__icon meter-tomato icon big medium-xs certified_fresh"></span>
 *     <span class="mop-ratings-wrap__percentage">91%</span>
 *     <strong class="mop-ratings-wrap__text--small">Total Count: </strong>
 *     <small class="mop-ratings-wrap__text--small">68</small>
 *   </div>
 *   <div class="mop-ratings-wrap__half audience-score">
 *     <span class="mop-ratings-wrap__icon meter-tomato icon big medium-xs upright"></span>
 *     <span class="mop-ratings-wrap__percentage">98%</span>
 *     <strong class="mop-ratings-wrap__text--small">User Ratings: 885,203</strong>
 *   </div>
 * </div>
 * ```
 */
function mopValues(html: string, url: string): PageValues {
  const panel = outerElements(html, /<div\b[^>]*class="[^"]*\bmop-ratings-wrap score_panel\b/)[0];
  if (!panel) return {};
  const $ = loadFragment(panel, SOURCE, url);
  const critics = $('.mop-ratings-wrap__half').not('.audience-score').first();
  const audience = $('.mop-ratings-wrap__half.audience-score').first();
  const iconState = (half: typeof critics) => (half.find('.mop-ratings-wrap__icon').attr('class') ?? '').split(/\s+/);
  const values: PageValues = {};
  // Without its percentage element the half no longer says anything (layout changed); an empty one is no score.
  const criticsPercentage = critics.find('.mop-ratings-wrap__percentage').first();
  if (criticsPercentage.length > 0) {
    const reviews = critics.find('small.mop-ratings-wrap__text--small').first().text().trim();
    const { score, count } = countedScore(criticsPercentage.text(), reviews, 'mop-ratings-wrap__percentage', url);
    values.tomatometer = score;
    if (count !== undefined) values.tomatometerCount = count;
    const state = values.tomatometer === null ? null : (iconState(critics).map((c) => stateOf(c, TOMATOMETER_STATES)).find((s) => s !== null) ?? null);
    values.tomatometerState = state;
    if (state !== null) values.certifiedFresh = state === 'certified-fresh';
  }
  if (audience.length > 0) {
    const ratings = /User Ratings:\s*([\d,]+)/i.exec(audience.text())?.[1];
    const { score, count } = countedScore(audience.find('.mop-ratings-wrap__percentage').first().text(), ratings, 'audience mop-ratings-wrap__percentage', url);
    values.audienceScore = score;
    if (count !== undefined) values.audienceCount = count;
    values.audienceState = values.audienceScore === null ? null : (iconState(audience).map((c) => stateOf(c, AUDIENCE_STATES)).find((s) => s !== null) ?? null);
  }
  return values;
}

/** The texts of the `<a>` links of a run of siblings, grouped by the `span.label` that precedes them. */
function linksByLabel($: CheerioAPI, paragraph: string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  let label = '';
  $(paragraph)
    .first()
    .contents()
    .each((_, node) => {
      const element = $(node);
      if (element.is('span.label')) label = element.text().trim().replace(/:$/, '').toLowerCase();
      else if (element.is('a') && label) groups.set(label, [...(groups.get(label) ?? []), element.text()]);
    });
  return groups;
}

/**
 * The 2008 page. No audience score exists in this generation (only an "RT Community" tab): null.
 *
 * ```html
 * <div class="movie_info_area">
 *   <h1 class="movie_title clearfix">Pulp Fiction (1994)</h1>
 *   <div id="tomatometer_score"><span class="percent">96</span><sup class="symbol">%</sup></div>
 *   <div id="tomatometer_certified_fresh"><div class="iconset iconset_rt_lg certifiedfresh_lg"></div></div>
 *   <div id="tomatometer_data">
 *     <p>Reviews Counted: 48</p><p id="tomatometer_data_fresh">Fresh: 46</p>
 *     <p id="tomatometer_data_rotten">Rotten:2</p><p>Average Rating: 9/10</p>
 *   </div>
 *   <div id="movie_stats"><p><span class="label">Runtime:</span> <span class="content">2 hrs 46 mins</span></p></div>
 *   <p class="movie_cast_all"><span class="label">Starring:</span> <a href="…">John Travolta</a>, …</p>
 *   <p class="movie_crew_all"><span class="label">Director:</span> <a href="…">Quentin Tarantino</a><br>…</p>
 * </div>
 * ```
 */
function page2008Values(html: string, url: string): PageValues {
  const area = outerElements(html, /<div\b[^>]*class="movie_info_area"/)[0];
  if (!area) return {};
  const $ = loadFragment(area, SOURCE, url);
  const percentText = $('#tomatometer_score span.percent');
  if (percentText.length === 0) return {};
  const data = $('#tomatometer_data p')
    .map((_, p) => $(p).text())
    .get()
    .join('\n');
  const field = (label: string) => new RegExp(`${label}:\\s*([\\d.,/]+)`, 'i').exec(data)?.[1];
  const { score: tomatometer, count } = countedScore(percentText.first().text(), field('Reviews Counted'), 'tomatometer_score', url);
  const { title, year } = splitTitleYear($('h1.movie_title').first().text());
  const runtimeRow = $('#movie_stats p')
    .filter((_, p) => /^runtime:?$/i.test($(p).find('span.label').text().trim()))
    .first();
  const crew = linksByLabel($, 'p.movie_crew_all');
  const cast = linksByLabel($, 'p.movie_cast_all');
  return defined({
    title: title ?? undefined,
    year: year ?? undefined,
    runtimeMinutes: runtimeRow.length > 0 ? parseRuntime(runtimeRow.find('span.content').text().trim()) : undefined,
    directors: uniqueNames(crew.get('director') ?? []),
    cast: uniqueNames(cast.get('starring') ?? [], TOP_CAST),
    tomatometer,
    tomatometerCount: count,
    tomatometerFresh: parseCount(field('Fresh')),
    tomatometerRotten: parseCount(field('Rotten')),
    criticsAverage: tenPoint(field('Average Rating'), 'Average Rating', url),
    certifiedFresh: tomatometer === null ? null : $('#tomatometer_certified_fresh .certifiedfresh_lg').length > 0,
    audienceScore: null,
  });
}

/**
 * The 2023 scoreboard's attributes and counts, read only when `script#scoreDetails` is missing (its visible
 * audience count is banded).
 *
 * ```html
 * <score-board-deprecated audiencestate="upright" audiencescore="89" rating="PG-13"
 *     tomatometerscore="96" tomatometerstate="certified-fresh">
 *   <h1 slot="title">Harry Potter and the Deathly Hallows: Part 2</h1>
 *   <p slot="info">2011, Fantasy/Adventure, 2h 11m</p>
 *   <a data-qa="tomatometer-review-count" slot="critics-count">333 Reviews</a>
 *   <a data-qa="audience-rating-count" slot="audience-count">250,000+ Ratings</a>
 * </score-board-deprecated>
 * ```
 */
function scoreboardValues(html: string, url: string): PageValues {
  const board = outerElements(html, /<score-board-deprecated\b/)[0];
  if (!board) return {};
  const $ = loadFragment(board, SOURCE, url);
  const element = $('score-board-deprecated').first();
  const reviews = $('[data-qa=tomatometer-review-count]').first().text().trim();
  const { score: tomatometer, count } = countedScore(element.attr('tomatometerscore'), reviews, 'tomatometerscore', url);
  const badge = badgeOfState(tomatometer == null ? null : stateOf(element.attr('tomatometerstate'), TOMATOMETER_STATES));
  const audienceScore = carriedPercent(element.attr('audiencescore'), 'audiencescore', url);
  const info = $('[slot=info]').first().text().split(',').map((p) => p.trim());
  return defined({
    title: plainTitle($('[slot=title]').first().text()) ?? undefined,
    year: parseYear(info[0]) ?? undefined,
    runtimeMinutes: parseRuntime(info[info.length - 1]) ?? undefined,
    contentRating: element.attr('rating') === undefined ? undefined : contentRatingOf(element.attr('rating')),
    tomatometer,
    tomatometerCount: count,
    tomatometerState: badge.state,
    certifiedFresh: badge.certified,
    audienceScore,
    audienceCountBanded: bandedCount($('[data-qa=audience-rating-count]').first().text()),
    audienceState: audienceScore == null ? null : stateOf(element.attr('audiencestate'), AUDIENCE_STATES),
  });
}

/**
 * Where each generation's details list keeps its items, labels and values (opening tags). `literal` is
 * looked for before anything is cut out; `container` bounds the items where an item is left unclosed.
 */
const DETAILS_LISTS: readonly { literal: string; container?: RegExp; item: RegExp; label: RegExp; value: RegExp }[] = [
  /*
   * 2019 (its last <li> is never closed):
   * <ul class="content-meta info"><li class="meta-row clearfix">
   *   <div class="meta-label subtle">In Theaters: </div>
   *   <div class="meta-value"><time datetime="1994-09-09T17:00:00-07:00">Sep 10, 1994</time> <span>&nbsp;wide</span></div>
   * </li></ul>
   */
  {
    literal: 'content-meta info',
    container: /<ul\b[^>]*class="content-meta info"/,
    item: /<li\b[^>]*class="meta-row\b/,
    label: /<div\b[^>]*class="meta-label\b/,
    value: /<div\b[^>]*class="meta-value\b/,
  },
  /*
   * 2023: <li class="info-item" data-qa="movie-info-item"><p>
   *   <b class="info-item-label" data-qa="movie-info-item-label">Runtime:</b>
   *   <span data-qa="movie-info-item-value"><time datetime="P2h 11mM">2h 11m</time></span>
   * </p></li>
   */
  {
    literal: 'data-qa="movie-info-item"',
    item: /<li\b[^>]*data-qa="movie-info-item"/,
    label: /<[\w-]+\b[^>]*data-qa="movie-info-item-label"/,
    value: /<[\w-]+\b[^>]*data-qa="movie-info-item-value"/,
  },
  /*
   * 2026: <div class="category-wrap" data-qa="item">
   *   <dt class="key"><rt-text class="key" data-qa="item-label">Runtime</rt-text></dt>
   *   <dd data-qa="item-value-group"><rt-text data-qa="item-value">2h 35m</rt-text></dd>
   * </div>
   */
  {
    literal: 'data-qa="item"',
    item: /<div\b[^>]*data-qa="item"/,
    label: /<[\w-]+\b[^>]*data-qa="item-label"/,
    value: /<[\w-]+\b[^>]*data-qa="item-value"/,
  },
];

const DETAIL_LABELS = />\s*(?:Runtime|Rating|Release Date \(Theaters\)|In Theaters|Directors?|Directed By):?\s*</i;

/**
 * The values of one details-list value: the linked names when it links people, else its text ("Sep 10, 1994
 * wide": the date reader stops after the year; the `<time datetime>` is not read, see the module note).
 */
function detailValueTexts(value: string): string[] {
  const links = outerElements(value, /<a\b/);
  return (links.length > 0 ? links : [value]).map((t) => plainText(t)).filter((t): t is string => t !== null);
}

/**
 * The "Movie Info" details list of any generation: Runtime, Rating, Release Date (Theaters) / In Theaters,
 * Director / Directed By. Read without a DOM: these are short, regular label/value lists, and loading even
 * their fragment costs more than reading the rest of a 2026 page.
 */
function detailsListValues(html: string): PageValues {
  for (const list of DETAILS_LISTS) {
    if (!html.includes(list.literal)) continue;
    const scope = list.container ? outerElements(html, list.container).join('\n') : html;
    const items = new Map<string, string[]>();
    for (const item of outerElements(scope, list.item)) {
      if (!DETAIL_LABELS.test(item)) continue;
      const label = plainText(outerElements(item, list.label)[0])?.replace(/:$/, '').toLowerCase();
      const values = outerElements(item, list.value).flatMap(detailValueTexts);
      if (label && values.length > 0 && !items.has(label)) items.set(label, values);
    }
    if (items.size === 0) continue;
    const runtime = items.get('runtime')?.[0];
    const rating = items.get('rating')?.[0];
    const released = (items.get('release date (theaters)') ?? items.get('in theaters'))?.[0];
    return defined({
      runtimeMinutes: runtime === undefined ? undefined : parseRuntime(runtime),
      contentRating: rating === undefined ? undefined : contentRatingOf(rating),
      releaseDate: released === undefined ? undefined : parseDate(released),
      directors: uniqueNames(items.get('director') ?? items.get('directors') ?? items.get('directed by') ?? []),
    });
  }
  return {};
}

// ---------------------------------------------------------------------------------------------------------
// Film pages

/**
 * A film page read: every value the page carries, typed, with the observations made of them. A key absent
 * (undefined) means the page's generation does not carry it; null means the page says it is missing.
 */
export interface RtPage {
  /** The markup generation detected. */
  markup: RtMarkup | null;
  /** `m/<slug>` from the canonical link (or og:url, JSON-LD url, mpscall path, request URL). */
  slug: string | null;
  /** Without a trailing "(2021)". */
  title: string | null;
  year: number | null;
  releaseDate?: string | null;
  /** The film's runtime (never a trailer's). */
  runtimeMinutes?: number | null;
  /** "PG-13", without the reasons RT adds in parentheses. */
  contentRating?: string | null;
  directors: string[];
  /** Top-billed cast, at most 10, where the page lists it. */
  cast: string[];
  /** 0-100; null when there is none. */
  tomatometer: number | null;
  /** Critic reviews counted; null when none (or when the page does not give the number). */
  tomatometerCount: number | null;
  /** Fresh (liked) and rotten reviews. */
  tomatometerFresh?: number | null;
  tomatometerRotten?: number | null;
  tomatometerState?: TomatometerState | null;
  certifiedFresh?: boolean | null;
  /** Critics' average rating out of 10. */
  criticsAverage?: number | null;
  topCriticsScore?: number | null;
  topCriticsCount?: number | null;
  /** Audience score ("Popcornmeter" since 2025), 0-100; null when none (2008 pages have none). */
  audienceScore?: number | null;
  /** Exact audience ratings; null when the page has only a band ("250,000+") or none. */
  audienceCount?: number | null;
  /** The banded audience count as shown ("250,000+"). */
  audienceCountBanded?: string | null;
  /** Written audience reviews (not ratings). */
  audienceReviewCount?: number | null;
  audienceState?: AudienceState | null;
  /** Verified-ticket-buyer audience score; null when there is none ("0 Verified Ratings"). */
  verifiedAudienceScore?: number | null;
  /** `score`, `details`, `credits` (when directors are listed) and `ids` (when the slug is known). */
  observations: ParsedObservation[];
}

function blockById(blocks: readonly ScriptBlock[], id: string): ScriptBlock | undefined {
  return blocks.find((b) => b.attributes.id === id);
}

/** The JSON-LD `Movie` among the page's script blocks (arrays and `@graph` flattened by `jsonLdObjects`). */
function jsonLdMovie(blocks: readonly ScriptBlock[]): Record<string, unknown> | undefined {
  const jsonLd = blocks.filter((b) => (b.attributes.type ?? '').trim().toLowerCase() === 'application/ld+json');
  if (jsonLd.length === 0) return undefined;
  // Re-wrapped so the shared flattening reads only these blocks instead of scanning the page again.
  const html = jsonLd.map((b) => `<script type="application/ld+json">${b.text}</script>`).join('\n');
  return jsonLdOfType(jsonLdObjects(html).objects, 'Movie');
}

/**
 * Reads a film page of any generation. Throws `UnexpectedContentError` for what is not a Rotten Tomatoes
 * film page (empty, JSON, truncated, a bot challenge, another site, a search page), `LayoutChangedError` when
 * no generation's score block yields a Tomatometer (naming the generations tried), `OutOfRangeError` for a
 * score outside 0-100.
 */
export function parseRtPage(body: string, url: string): RtPage {
  const { html, head, markup } = readPage(body, url);
  if (markup === 'rt-search-2021') throw new UnexpectedContentError(SOURCE, url, 'a search page where a film page was expected');
  const blocks = scriptBlocks(html);
  const parts: PageValues[] = [];
  const scorecard = blockById(blocks, 'media-scorecard-json');
  if (scorecard) parts.push(scorecardValues(scorecard, url));
  const scoreDetails = blockById(blocks, 'scoreDetails');
  if (scoreDetails) parts.push(scoreDetailsValues(scoreDetails, url));
  const hydration = blockById(blocks, 'hydration');
  if (hydration) parts.push(hydrationValues(hydration, url));
  const movie = jsonLdMovie(blocks);
  if (movie) {
    const parsed = RtJsonLdMovie.safeParse(movie);
    if (!parsed.success) throw new LayoutChangedError(SOURCE, url, [markup ?? 'rt-jsonld-2026'], 'readable JSON-LD Movie');
    parts.push(jsonLdMovieValues(parsed.data, url));
  }
  const mps = blockById(blocks, 'mps-page-integration');
  if (mps) parts.push(mpsValues(mps));

  // Selectors, for what the generation's JSON does not carry.
  if (markup === 'rt-scoreboard-2023' && !scoreDetails) parts.push(scoreboardValues(html, url));
  if (markup === 'rt-mop-2019' || markup === 'rt-2008') {
    const panel = markup === 'rt-mop-2019' ? mopValues(html, url) : page2008Values(html, url);
    if (panel.tomatometer === undefined) throw new LayoutChangedError(SOURCE, url, [markup], 'tomatometer in its score panel');
    parts.push(panel);
  }
  parts.push(detailsListValues(html), titleTagValues(head));

  const values = mergeValues(parts);
  if (values.tomatometer === undefined) throw noContentError(SOURCE, url, html, new LayoutChangedError(SOURCE, url, FILM_PAGE_MARKUPS, 'tomatometer'));
  const slug = rtSlugFromUrl(canonicalUrl(head), url) ?? rtSlugFromUrl(metaContent(head, 'og:url'), url) ?? values.slug ?? rtSlugFromUrl(url);
  // A zero count means no score, whichever block gave which.
  const tomatometer = values.tomatometerCount === null ? null : values.tomatometer;
  const audienceScore = values.audienceCount === null ? null : values.audienceScore;

  const page: RtPage = {
    markup,
    slug,
    title: values.title ?? null,
    year: values.year ?? null,
    directors: values.directors ?? [],
    cast: values.cast ?? [],
    tomatometer,
    tomatometerCount: values.tomatometerCount ?? null,
    ...defined({
      releaseDate: values.releaseDate,
      runtimeMinutes: values.runtimeMinutes,
      contentRating: values.contentRating,
      tomatometerFresh: values.tomatometerFresh,
      tomatometerRotten: values.tomatometerRotten,
      tomatometerState: values.tomatometerState,
      certifiedFresh: values.certifiedFresh,
      criticsAverage: values.criticsAverage,
      topCriticsScore: values.topCriticsScore,
      topCriticsCount: values.topCriticsCount,
      audienceScore,
      audienceCountBanded: values.audienceCountBanded,
      audienceReviewCount: values.audienceReviewCount,
      audienceState: values.audienceState,
      verifiedAudienceScore: values.verifiedAudienceScore,
    }),
    observations: [],
  };
  if (audienceScore !== undefined) page.audienceCount = values.audienceCount ?? null;
  page.observations = pageObservations(page, values, url);
  return page;
}

function pageObservations(page: RtPage, values: PageValues, url: string): ParsedObservation[] {
  const ids: MovieIds = page.slug ? { rottenTomatoes: page.slug } : {};
  const base = { source: SOURCE, url, ids } as const;
  const observations: ParsedObservation[] = [
    {
      ...base,
      kind: 'score',
      group: 'rottenTomatoes',
      tomatometer: page.tomatometer,
      // Counts only where the page gives an exact one; banded counts are not counts.
      ...defined({ criticCount: values.tomatometerCount, audienceScore: page.audienceScore, audienceCount: values.audienceCount }),
    },
  ];
  const details = defined({
    title: values.title === undefined ? undefined : page.title,
    year: values.year === undefined ? undefined : page.year,
    releaseDate: page.releaseDate,
    runtimeMinutes: page.runtimeMinutes,
    contentRating: page.contentRating,
  });
  if (Object.keys(details).length > 0) observations.push({ ...base, kind: 'details', ...details });
  if (page.directors.length > 0) observations.push({ ...base, kind: 'credits', directors: page.directors, cast: page.cast.map((name) => ({ name })) });
  if (page.slug) observations.push({ ...base, kind: 'ids' });
  return observations;
}

// ---------------------------------------------------------------------------------------------------------
// Search page

/** One row of a search page. */
export interface RtSearchRow {
  kind: 'movie' | 'tv';
  /** `m/<slug>` for films, `tv/<slug>` for series; null when the link is not one. */
  id: string | null;
  title: string | null;
  /** Release year (films) or first year (series). */
  year: number | null;
  /** Tomatometer, null when there is none (`tomatometerscore=""`). */
  score: number | null;
  state: TomatometerState | null;
}

/** A search page read: its film rows and its series rows, in page order. */
export interface RtSearchPage {
  markup: 'rt-search-2021';
  movies: RtSearchRow[];
  tv: RtSearchRow[];
}

const TV_ID = /^tv\/[a-z0-9][a-z0-9_-]{0,199}$/;

function rowId(kind: 'movie' | 'tv', href: string | undefined): string | null {
  if (kind === 'movie') return rtSlugFromUrl(href);
  const path = urlOf(href, 'https://www.rottentomatoes.com/')?.pathname.replace(/^\/|\/$/g, '');
  return path !== undefined && TV_ID.test(path) ? path : null;
}

/**
 * Reads a search page (2021). Each result is a row element with its year and score as attributes; the
 * title link carries the canonical URL.
 *
 * ```html
 * <search-page-result slot="movie" type="movie">
 *   <search-page-media-row releaseyear="2021" tomatometerscore="65" tomatometerstate="fresh" startyear="" endyear="">
 *     <a href="https://www.rottentomatoes.com/m/the_matrix_resurrections" slot="title">The Matrix Resurrections</a>
 *   </search-page-media-row>
 * </search-page-result>
 * <search-page-result slot="tv" type="tv">…rows with startyear/endyear…</search-page-result>
 * ```
 */
export function parseRtSearchPage(body: string, url: string): RtSearchPage {
  const { html, markup } = readPage(body, url);
  if (markup !== 'rt-search-2021') throw noContentError(SOURCE, url, html, new LayoutChangedError(SOURCE, url, ['rt-search-2021'], 'search results'));
  const page: RtSearchPage = { markup, movies: [], tv: [] };
  for (const section of outerElements(html, /<search-page-result\b[^>]*\btype="(?:movie|tv)"/)) {
    const $ = loadFragment(section, SOURCE, url);
    const kind = $('search-page-result').first().attr('type') === 'tv' ? 'tv' : 'movie';
    $('search-page-media-row').each((_, element) => {
      const row = $(element);
      const link = row.find('a[slot=title]').first();
      const score = percent(row.attr('tomatometerscore'), 'tomatometerscore', url);
      page[kind === 'tv' ? 'tv' : 'movies'].push({
        kind,
        id: rowId(kind, link.attr('href')),
        title: plainTitle(link.text()),
        year: parseYear(row.attr(kind === 'tv' ? 'startyear' : 'releaseyear')),
        score,
        state: score === null ? null : stateOf(row.attr('tomatometerstate'), TOMATOMETER_STATES),
      });
    });
  }
  return page;
}

/** What a search looks for: the film's title and year (remakes share titles; the year tells them apart). */
export interface RtSearchQuery extends TitleQuery {
  year: number;
}

/**
 * The one film row whose title equals the query's once normalized and whose year is the query's. None or
 * several → `NoMatchError` (The Matrix 1999 is `m/matrix`; Resurrections, 2021, is another film).
 */
export function pickRtSearchMatch(page: RtSearchPage, query: RtSearchQuery, url: string): RtSearchRow & { id: string } {
  const rows = page.movies.filter((row): row is RtSearchRow & { id: string } => row.id !== null);
  return pickTitleMatch(rows, query, { source: SOURCE, url, noun: 'film row', titlesOf: (r) => [r.title], yearOf: (r) => r.year });
}

/** A search page as an `ids` observation linking the film to the slug of its one matching row. */
export function parseRtSearch(body: string, url: string, query: RtSearchQuery): ParsedObservation[] {
  const match = pickRtSearchMatch(parseRtSearchPage(body, url), query, url);
  return [{ source: SOURCE, url, ids: { rottenTomatoes: match.id }, kind: 'ids' }];
}
