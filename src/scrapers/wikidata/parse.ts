/**
 * Pure parsers for Wikidata API bodies: an item (`wbgetentities`) read into the film's id crosswalk, details
 * and review scores; the IMDb-id lookup (`list=search` with `haswbstatement:P345=`); error bodies.
 *
 * Quirks they absorb:
 * - statements have ranks: deprecated ones never count, preferred ones beat normal ones; a property with
 *   several values of the best rank is ambiguous and left out (reported as a problem);
 * - a date carries its precision: 9 means "the year only", so "+1931-01-01T00:00:00Z" at precision 9 is 1931,
 *   never 1 January 1931; only precision 11 (day) gives a release date;
 * - durations are quantities with a unit ("+82", unit Q7727 minute);
 * - review scores (P444) are strings ("93%", "81/100", "8.1/10") qualified by who reviewed (P447) and how
 *   (P459): Rotten Tomatoes keeps both the Tomatometer and the critics' average ("7.5/10") under the same
 *   reviewer, so the determination method decides what a value is, and unknown methods are ignored;
 * - a missing item is `{"id":…, "missing":""}` with HTTP 200: the key's presence says it, not its value;
 * - statement ids of old edits may be lower-case: they are never matched on.
 * Crowd-edited values that fail their pattern or range are skipped one by one, each reported as a problem,
 * so one bad statement does not cost the film its other ids.
 */
import type { z } from 'zod';
import { NoMatchError, OutOfRangeError, SourceApiError, UnexpectedContentError, quoted, type ApiErrorKind } from '../../errors.ts';
import { IMDB_ID, METACRITIC_ID, ROTTEN_TOMATOES_ID, WIKIDATA_ID, type MovieIds } from '../../schema/ids.ts';
import { plainText, plainTitle } from '../../lib/text.ts';
import type { ParsedObservation, ScoreGroup } from '../../schema/observation.ts';
import {
  WikidataEntities,
  WikidataEntity,
  WikidataErrorBody,
  WikidataSearch,
  type WikidataSnak,
  type WikidataStatement,
} from './schema.ts';
import { jsonApi } from '../json.ts';

const SOURCE = 'wikidata';

/** The Wikidata properties read. */
export const PROPERTY = {
  imdb: 'P345',
  tmdb: 'P4947',
  rottenTomatoes: 'P1258',
  metacritic: 'P1712',
  publicationDate: 'P577',
  duration: 'P2047',
  reviewScore: 'P444',
  /** Qualifier of P444: who gave the score. */
  reviewScoreBy: 'P447',
  /** Qualifier of P444: how the score was determined. */
  determinationMethod: 'P459',
  /** Qualifier of P444: number of reviews or ratings behind it. */
  reviewCount: 'P7887',
  /** Qualifier of P444: when the score was read. */
  pointInTime: 'P585',
} as const;

/** The unit item "minute" of durations. */
export const MINUTE = 'Q7727';

/** The reviewers (P447) whose scores stingerdb keeps, by item id. */
export const REVIEWERS: Readonly<Record<string, ScoreGroup>> = {
  Q105584: 'rottenTomatoes',
  Q150248: 'metacritic',
  Q37312: 'imdb',
};

/** What a review score measures. */
export type ReviewMeasure = 'tomatometer' | 'audienceScore' | 'metascore' | 'rating';

interface MeasureSpec {
  group: ScoreGroup;
  /** How the value is written: "93%", "81/100", "8.1/10". */
  form: 'percent' | 'of100' | 'of10';
}

const MEASURES: Readonly<Record<ReviewMeasure, MeasureSpec>> = {
  tomatometer: { group: 'rottenTomatoes', form: 'percent' },
  audienceScore: { group: 'rottenTomatoes', form: 'percent' },
  metascore: { group: 'metacritic', form: 'of100' },
  rating: { group: 'imdb', form: 'of10' },
};

/**
 * Determination methods (P459) → what the score measures. Rotten Tomatoes' critics' average (Q108403540,
 * "7.5/10") is deliberately absent: it is not a score the dataset carries, and taken for the Tomatometer it
 * would be wrong. These item ids (and the reviewers') are not in the recorded corpus, whose one item predates
 * them: they are the ones public Wikidata clients and the bot that writes the Rotten Tomatoes statements use.
 */
export const METHODS: Readonly<Record<string, { reviewer: string; measure: ReviewMeasure }>> = {
  Q108403393: { reviewer: 'Q105584', measure: 'tomatometer' },
  Q131100566: { reviewer: 'Q105584', measure: 'audienceScore' }, // Popcornmeter
  Q106515043: { reviewer: 'Q150248', measure: 'metascore' },
  Q107218751: { reviewer: 'Q37312', measure: 'rating' },
};

/** What a reviewer's statement without a method is taken as, when its value has that measure's form. */
const UNQUALIFIED_MEASURE: Readonly<Record<string, ReviewMeasure>> = {
  Q105584: 'tomatometer',
  Q150248: 'metascore',
  Q37312: 'rating',
};

type Parsed<K extends ParsedObservation['kind']> = Extract<ParsedObservation, { kind: K }>;
type Rank = 'preferred' | 'normal';

// ---------------------------------------------------------------------------------------------------------
// Reading bodies and error bodies

/** MediaWiki / Wikibase error codes → kinds; other codes follow the HTTP status. */
const ERROR_CODE_KINDS: Readonly<Record<string, ApiErrorKind>> = {
  'no-such-entity': 'not-found',
  ratelimited: 'rate-limited',
  // The servers are lagging and ask bots to come back later.
  maxlag: 'server',
  readapidenied: 'auth',
};

function kindOfCode(code: string, status: number): ApiErrorKind {
  const kind = ERROR_CODE_KINDS[code];
  if (kind) return kind;
  if (code.startsWith('internal_api_error_') || status >= 500) return 'server';
  if (status === 429) return 'rate-limited';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  return 'invalid-request';
}

function missingEntityError(id: string, status: number, url: string): SourceApiError {
  return new SourceApiError(SOURCE, url, status, 'missing', `no entity ${id} (deleted, or never created)`, 'not-found');
}

/** An error body, or a `wbgetentities` answer whose every entity is missing, as its `SourceApiError`. */
function errorFromJson(json: unknown, status: number, url: string): SourceApiError | null {
  const error = WikidataErrorBody.safeParse(json);
  if (error.success) {
    const { code, info } = error.data.error;
    return new SourceApiError(SOURCE, url, status, code, plainText(info, { maxLength: 500 }) ?? code, kindOfCode(code, status));
  }
  const entities = WikidataEntities.safeParse(json);
  if (entities.success) {
    const all = Object.entries(entities.data.entities);
    if (all.length > 0 && all.every(([, e]) => Object.hasOwn(e, 'missing'))) return missingEntityError(all[0]![1].id ?? all[0]![0], status, url);
  }
  return null;
}

/**
 * Reads a Wikidata error body (`{"error":{"code","info"}}`, kind by code: no-such-entity not-found,
 * ratelimited rate-limited, maxlag server…) or a missing-entity answer (code "missing", not-found) into a
 * `SourceApiError`. Null for any other body.
 */
export function parseApiError(status: number, body: string, url: string): SourceApiError | null {
  return api.parseApiError(status, body, url);
}

/** Wikidata bodies (../json.ts): a missing entity comes with HTTP 200 and is thrown as a not-found `SourceApiError`. */
const api = jsonApi(SOURCE, 'a Wikidata', errorFromJson);
const readJson = api.read;
const validate = api.validate;

// ---------------------------------------------------------------------------------------------------------
// Statements and values

function rankOf(statement: WikidataStatement): Rank | 'deprecated' {
  return statement.rank === 'preferred' || statement.rank === 'deprecated' ? statement.rank : 'normal';
}

function snakValue(snak: WikidataSnak | undefined): unknown {
  return snak?.snaktype === 'value' ? snak.datavalue?.value : undefined;
}

/** The statements of a property that carry a value and are not deprecated. */
function usableStatements(entity: WikidataEntity, property: string): WikidataStatement[] {
  return (entity.claims?.[property] ?? []).filter((s) => rankOf(s) !== 'deprecated' && snakValue(s.mainsnak) !== undefined);
}

/** The usable statements of the best rank present (preferred if any, else normal). */
function bestStatements(entity: WikidataEntity, property: string): WikidataStatement[] {
  const usable = usableStatements(entity, property);
  const preferred = usable.filter((s) => rankOf(s) === 'preferred');
  return preferred.length > 0 ? preferred : usable;
}

/** The distinct string values of a property's best-ranked statements (external ids), trimmed, in order. */
export function statementStrings(entity: WikidataEntity, property: string): string[] {
  const out: string[] = [];
  for (const statement of bestStatements(entity, property)) {
    const value = snakValue(statement.mainsnak);
    if (typeof value === 'string' && value.trim() !== '' && !out.includes(value.trim())) out.push(value.trim());
  }
  return out;
}

/** An item value (`{"entity-type":"item","numeric-id":105584,"id":"Q105584"}`) as its id. */
function itemIdOf(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const { id, 'numeric-id': numeric } = value as { id?: unknown; 'numeric-id'?: unknown };
  if (typeof id === 'string' && WIKIDATA_ID.test(id)) return id;
  return typeof numeric === 'number' && Number.isInteger(numeric) && numeric > 0 ? `Q${numeric}` : null;
}

/** A time value to the precision it states: 9 year, 10 month, 11 day. */
interface WikidataTime {
  year: number;
  month: number;
  day: number;
  precision: 'year' | 'month' | 'day';
}

const PRECISIONS: Readonly<Record<number, WikidataTime['precision']>> = { 9: 'year', 10: 'month', 11: 'day' };

/** `{time: "+1931-01-01T00:00:00Z", precision: 9}` → its parts; coarser than a year, or BCE → null. */
function timeOf(value: unknown): WikidataTime | null {
  if (!value || typeof value !== 'object') return null;
  const { time, precision } = value as { time?: unknown; precision?: unknown };
  const level = typeof precision === 'number' ? PRECISIONS[precision] : undefined;
  if (typeof time !== 'string' || !level) return null;
  const m = /^\+(\d{1,16})-(\d{2})-(\d{2})T/.exec(time);
  if (!m) return null;
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), precision: level };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A time as ISO 8601 at its own precision ("1931", "1931-04", "1931-04-18"). */
function isoAtPrecision(time: WikidataTime): string {
  if (time.precision === 'year') return pad(time.year, 4);
  if (time.precision === 'month') return `${pad(time.year, 4)}-${pad(time.month)}`;
  return `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}`;
}

/** A calendar date of a day-precision time; null if it is not a real date. */
function isoDate(time: WikidataTime): string | null {
  const date = new Date(Date.UTC(time.year, time.month - 1, time.day));
  return time.year >= 1870 && time.year <= 2100 && date.getUTCMonth() === time.month - 1 && date.getUTCDate() === time.day
    ? isoAtPrecision(time)
    : null;
}

/** A quantity (`{amount: "+82", unit: "http://www.wikidata.org/entity/Q7727"}`) with its unit's item id. */
function quantityOf(value: unknown): { amount: number; unit: string | null } | null {
  if (!value || typeof value !== 'object') return null;
  const { amount, unit } = value as { amount?: unknown; unit?: unknown };
  if (typeof amount !== 'string' || !/^[+-]?\d+(\.\d+)?$/.test(amount)) return null;
  const unitId = typeof unit === 'string' ? (/\/(Q[1-9]\d*)$/.exec(unit)?.[1] ?? null) : null;
  return { amount: Number(amount), unit: unitId };
}

// ---------------------------------------------------------------------------------------------------------
// Ids

/** One id of the crosswalk: the property, how its value must look, and how it is stored. */
interface IdSpec<K extends keyof MovieIds> {
  key: K;
  property: string;
  what: string;
  read: (value: string) => MovieIds[K] | null;
}

const ID_SPECS = [
  { key: 'imdb', property: PROPERTY.imdb, what: 'an IMDb title id', read: (v) => (IMDB_ID.test(v) ? v : null) } satisfies IdSpec<'imdb'>,
  {
    key: 'tmdb',
    property: PROPERTY.tmdb,
    what: 'a TMDB movie id',
    read: (v) => (/^[1-9]\d{0,9}$/.test(v) ? Number(v) : null),
  } satisfies IdSpec<'tmdb'>,
  {
    key: 'rottenTomatoes',
    property: PROPERTY.rottenTomatoes,
    what: 'a Rotten Tomatoes film id (m/slug)',
    read: (v) => (ROTTEN_TOMATOES_ID.test(v) ? v : null),
  } satisfies IdSpec<'rottenTomatoes'>,
  {
    key: 'metacritic',
    property: PROPERTY.metacritic,
    what: 'a Metacritic film id (movie/slug)',
    read: (v) => (METACRITIC_ID.test(v) ? v : null),
  } satisfies IdSpec<'metacritic'>,
] as const;

function crosswalk(entity: WikidataEntity, problems: string[]): MovieIds {
  const ids: MovieIds = { wikidata: entity.id };
  for (const spec of ID_SPECS) {
    const valid = new Map<string, unknown>();
    for (const value of statementStrings(entity, spec.property)) {
      const id = (spec.read as (v: string) => unknown)(value);
      if (id === null) problems.push(`${spec.property}: ${quoted(value)} is not ${spec.what} (skipped)`);
      else valid.set(value, id);
    }
    if (valid.size === 1) (ids as Record<string, unknown>)[spec.key] = [...valid.values()][0];
    else if (valid.size > 1) problems.push(`${spec.property}: ${valid.size} values (${[...valid.keys()].join(', ')}): ambiguous, none used`);
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------------------
// Details

// "City Streets (1931 film)", "Dune (2021 film)", "Heat (1995 American film)", "Cars (film)".
const FILM_DISAMBIGUATION = /\s+\((?:[^()]*\s)?film\)$/i;

/** The film's English title: the `en` label, else the English Wikipedia article title without "(1931 film)". */
function englishTitle(entity: WikidataEntity): string | null {
  const label = plainTitle(entity.labels?.en?.value);
  if (label) return label;
  const article = entity.sitelinks?.enwiki?.title;
  return article === undefined ? null : plainTitle(article.replace(FILM_DISAMBIGUATION, ''));
}

interface Release {
  year: number | null;
  releaseDate: string | null;
  /** The finest precision the earliest year's dates are stated to. */
  precision: WikidataTime['precision'] | null;
}

const PRECISION_ORDER: readonly WikidataTime['precision'][] = ['year', 'month', 'day'];

/**
 * The year of the earliest publication date (P577: films have one per country or festival), and a release
 * date only when a date of that year is stated to the day.
 */
function release(entity: WikidataEntity): Release | undefined {
  const statements = usableStatements(entity, PROPERTY.publicationDate);
  if (statements.length === 0) return undefined;
  const times = statements.map((s) => timeOf(snakValue(s.mainsnak))).filter((t): t is WikidataTime => t !== null && t.year >= 1870 && t.year <= 2100);
  if (times.length === 0) return { year: null, releaseDate: null, precision: null };
  const year = Math.min(...times.map((t) => t.year));
  const ofYear = times.filter((t) => t.year === year);
  const days = ofYear
    .filter((t) => t.precision === 'day')
    .map(isoDate)
    .filter((d): d is string => d !== null)
    .sort();
  const precision = PRECISION_ORDER[Math.max(...ofYear.map((t) => PRECISION_ORDER.indexOf(t.precision)))]!;
  return { year, releaseDate: days[0] ?? null, precision };
}

/** Runtime in minutes from the first best-ranked duration (P2047) stated in minutes (Q7727). */
function runtimeMinutes(entity: WikidataEntity): number | null | undefined {
  const statements = bestStatements(entity, PROPERTY.duration);
  if (statements.length === 0) return undefined;
  for (const statement of statements) {
    const quantity = quantityOf(snakValue(statement.mainsnak));
    if (quantity?.unit === MINUTE && Number.isInteger(quantity.amount) && quantity.amount > 0 && quantity.amount <= 1500) return quantity.amount;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Review scores

/** One P444 review score read. */
export interface WikidataReviewScore {
  group: ScoreGroup;
  measure: ReviewMeasure;
  /** The value as stated ("93%", "81/100", "8.1/10"). */
  stated: string;
  /** On the measure's own scale (0-100 or 0-10); null when its review count is 0. */
  value: number | null;
  /** Reviews or ratings behind it (P7887), when stated. */
  count?: number | null;
  /** P459 item id; null for a statement without a method (taken by its reviewer and form). */
  method: string | null;
  /** When it was read (P585), ISO 8601 at its precision. */
  pointInTime: string | null;
  rank: Rank;
}

const FORM_PATTERNS: Readonly<Record<MeasureSpec['form'], { pattern: RegExp; max: number; integer: boolean; what: string }>> = {
  percent: { pattern: /^(\d+(?:\.\d+)?)\s*%$/, max: 100, integer: true, what: 'a percentage' },
  of100: { pattern: /^(\d+(?:\.\d+)?)\s*\/\s*100$/, max: 100, integer: true, what: 'a score out of 100' },
  of10: { pattern: /^(\d+(?:\.\d+)?)\s*\/\s*10$/, max: 10, integer: false, what: 'a score out of 10' },
};

/** A P444 statement as a review score, null when it is not one stingerdb keeps; bad values are problems. */
function reviewScore(statement: WikidataStatement, url: string, problems: string[]): WikidataReviewScore | null {
  const stated = snakValue(statement.mainsnak);
  const reviewer = itemIdOf(snakValue(statement.qualifiers?.[PROPERTY.reviewScoreBy]?.[0]));
  if (typeof stated !== 'string' || reviewer === null || !REVIEWERS[reviewer]) return null;
  const method = itemIdOf(snakValue(statement.qualifiers?.[PROPERTY.determinationMethod]?.[0]));
  let measure: ReviewMeasure | undefined;
  if (method !== null) {
    const known = METHODS[method];
    if (!known || known.reviewer !== reviewer) return null;
    measure = known.measure;
  } else {
    measure = UNQUALIFIED_MEASURE[reviewer]!;
  }
  const spec = MEASURES[measure];
  const form = FORM_PATTERNS[spec.form];
  const m = form.pattern.exec(stated.trim());
  if (!m) {
    // Without a method, a value of another form is another measure (an average), not a bad value.
    if (method !== null) problems.push(`P444 ${reviewer}/${method}: ${quoted(stated)} is not ${form.what} (skipped)`);
    return null;
  }
  const value = Number(m[1]);
  if (value > form.max || (form.integer && !Number.isInteger(value))) {
    problems.push(`${new OutOfRangeError(SOURCE, url, `P444 ${spec.group} ${measure}`, stated).message} (skipped)`);
    return null;
  }
  const score: WikidataReviewScore = {
    group: spec.group,
    measure,
    stated,
    value,
    method,
    pointInTime: null,
    rank: rankOf(statement) === 'preferred' ? 'preferred' : 'normal',
  };
  const countValue = statement.qualifiers?.[PROPERTY.reviewCount]?.[0];
  if (countValue !== undefined) {
    const count = quantityOf(snakValue(countValue));
    if (count && Number.isSafeInteger(count.amount) && count.amount >= 0) {
      score.count = count.amount === 0 ? null : count.amount;
      if (count.amount === 0) score.value = null;
    } else {
      problems.push(`P444 ${spec.group} ${measure}: review count ${quoted(snakValue(countValue) ?? null)} is not a count (ignored)`);
    }
  }
  const time = timeOf(snakValue(statement.qualifiers?.[PROPERTY.pointInTime]?.[0]));
  if (time) score.pointInTime = isoAtPrecision(time);
  return score;
}

/** Orders candidates for one measure: named method, preferred rank, latest point in time, last stated. */
function isBetter(a: WikidataReviewScore, b: WikidataReviewScore): boolean {
  if ((a.method !== null) !== (b.method !== null)) return a.method !== null;
  if (a.rank !== b.rank) return a.rank === 'preferred';
  return (a.pointInTime ?? '') >= (b.pointInTime ?? '');
}

function scoreObservations(scores: readonly WikidataReviewScore[], base: { source: 'wikidata'; url: string; ids: MovieIds }): ParsedObservation[] {
  const best = new Map<ReviewMeasure, WikidataReviewScore>();
  for (const score of scores) {
    const current = best.get(score.measure);
    if (!current || isBetter(score, current)) best.set(score.measure, score);
  }
  const observations: ParsedObservation[] = [];
  const tomatometer = best.get('tomatometer');
  const audience = best.get('audienceScore');
  if (tomatometer || audience) {
    const rt: Extract<Parsed<'score'>, { group: 'rottenTomatoes' }> = { ...base, kind: 'score', group: 'rottenTomatoes' };
    if (tomatometer) {
      rt.tomatometer = tomatometer.value;
      if (tomatometer.count !== undefined) rt.criticCount = tomatometer.count;
    }
    if (audience) {
      rt.audienceScore = audience.value;
      if (audience.count !== undefined) rt.audienceCount = audience.count;
    }
    observations.push(rt);
  }
  const metascore = best.get('metascore');
  if (metascore) {
    const mc: Extract<Parsed<'score'>, { group: 'metacritic' }> = { ...base, kind: 'score', group: 'metacritic', metascore: metascore.value };
    if (metascore.count !== undefined) mc.criticCount = metascore.count;
    observations.push(mc);
  }
  const rating = best.get('rating');
  if (rating) {
    const imdb: Extract<Parsed<'score'>, { group: 'imdb' }> = { ...base, kind: 'score', group: 'imdb', rating: rating.value };
    if (rating.count !== undefined) imdb.votes = rating.count;
    observations.push(imdb);
  }
  return observations;
}

// ---------------------------------------------------------------------------------------------------------
// Entities

/** An item read: the crosswalk, details and review scores, and the observations made of them. */
export interface WikidataFilm {
  /** The validated item. */
  entity: WikidataEntity;
  /** Its own id and the valid, unambiguous ids it links (IMDb, TMDB, Rotten Tomatoes, Metacritic). */
  ids: MovieIds;
  /** English title (label, else the English Wikipedia article without its "(… film)" suffix); null if neither. */
  title: string | null;
  /** The English Wikipedia article title as it is. */
  enwikiTitle: string | null;
  /** Absent when the item has no publication date (P577). */
  year?: number | null;
  /** ISO date, only when the earliest year's date is stated to the day. */
  releaseDate?: string | null;
  /** The finest precision the earliest year's publication dates are stated to ("year": no release date). */
  releaseDatePrecision?: 'year' | 'month' | 'day' | null;
  /** Absent when the item has no duration (P2047); null when none is in minutes. */
  runtimeMinutes?: number | null;
  /** Every P444 statement read as a score stingerdb keeps, in the item's order. */
  reviewScores: WikidataReviewScore[];
  /** `details` (when the item carries any), `ids`, and one `score` per group with review scores. */
  observations: ParsedObservation[];
  /** Statements skipped, one line each. */
  problems: string[];
}

/**
 * Reads a `wbgetentities` answer for one item (`{"entities":{"Q…":{…}}}`). A missing item →
 * `SourceApiError` (kind not-found, code "missing"); a body with no entity or several → `UnexpectedContentError`.
 */
export function parseEntityResponse(body: string, url: string): WikidataFilm {
  const response = validate(WikidataEntities, readJson(body, url), url, 'wbgetentities answer');
  const entries = Object.entries(response.entities);
  if (entries.length !== 1) throw new UnexpectedContentError(SOURCE, url, `${entries.length} entities where one was asked for`);
  const entity = validate(WikidataEntity, entries[0]![1], url, 'entity');
  if (!WIKIDATA_ID.test(entity.id)) throw new UnexpectedContentError(SOURCE, url, `entity id ${quoted(entity.id)} is not an item id`);

  const problems: string[] = [];
  const ids = crosswalk(entity, problems);
  const base = { source: SOURCE, url, ids } as const;
  const title = englishTitle(entity);
  const enwikiTitle = plainTitle(entity.sitelinks?.enwiki?.title);
  const film: WikidataFilm = { entity, ids, title, enwikiTitle, reviewScores: [], observations: [], problems };

  const details: Parsed<'details'> = { ...base, kind: 'details' };
  if (title !== null) details.title = title;
  const published = release(entity);
  if (published) {
    film.year = details.year = published.year;
    film.releaseDate = details.releaseDate = published.releaseDate;
    film.releaseDatePrecision = published.precision;
  }
  const runtime = runtimeMinutes(entity);
  if (runtime !== undefined) film.runtimeMinutes = details.runtimeMinutes = runtime;
  if (Object.keys(details).some((k) => !(k in base) && k !== 'kind')) film.observations.push(details);
  film.observations.push({ ...base, kind: 'ids' });

  for (const statement of usableStatements(entity, PROPERTY.reviewScore)) {
    const score = reviewScore(statement, url, problems);
    if (score) film.reviewScores.push(score);
  }
  film.observations.push(...scoreObservations(film.reviewScores, base));
  return film;
}

// ---------------------------------------------------------------------------------------------------------
// IMDb id lookup

/** The IMDb id a `haswbstatement:P345=<tt>` search URL looks up, or null. */
export function imdbIdOfLookup(url: string): string | null {
  try {
    const m = /^haswbstatement:P345=(tt\d+)$/.exec(new URL(url).searchParams.get('srsearch') ?? '');
    return m && IMDB_ID.test(m[1]!) ? m[1]! : null;
  } catch {
    return null;
  }
}

/**
 * A `list=search` answer for `haswbstatement:P345=<tt>` as an `ids` observation linking the IMDb id to the
 * one item that has it. No item, or several (an IMDb id on more than one item) → `NoMatchError`.
 */
export function parseImdbLookup(body: string, url: string): ParsedObservation[] {
  const response = validate(WikidataSearch, readJson(body, url), url, 'search answer');
  const items = response.query.search.filter((hit) => (hit.ns ?? 0) === 0 && WIKIDATA_ID.test(hit.title)).map((hit) => hit.title);
  const imdb = imdbIdOfLookup(url);
  const what = imdb ?? 'this IMDb id';
  if (items.length === 0) throw new NoMatchError(SOURCE, url, `no item has ${what}`);
  if (items.length > 1) throw new NoMatchError(SOURCE, url, `${items.length} items have ${what} (${items.join(', ')}): ambiguous`);
  const ids: MovieIds = { wikidata: items[0]! };
  if (imdb) ids.imdb = imdb;
  return [{ source: SOURCE, url, ids, kind: 'ids' }];
}
