/**
 * Pure parsers for Metacritic: film pages and the title search, `(body, url)` in, typed values and
 * observations out.
 *
 * Markup generations (see ../shared/corpus/README.md):
 * - `metacritic-jsonld-2023plus` (film page, `/movie/<slug>/`): JSON-LD `Movie` with integers and ISO dates.
 *   No `aggregateRating` at all when a film has no Metascore (→ null, never 0); `contentRating` may be "";
 *   the movie `duration` writes hours as minutes ("PT2M32S" is 2 h 32 min), so it is never read, and the
 *   trailer `VideoObject` carries a duration of its own. The user score is not in the JSON-LD: the page
 *   renders it from the Nuxt payload (`__NUXT_DATA__`, component `user-score-summary`).
 * - `metacritic-jsonld-2021-old` (known from an extruct extract): strings ("60"), `ratingCount` instead of
 *   `reviewCount`, "December 25, 2020", urls without a trailing slash — and a correct `duration` ("PT151M").
 * - `metacritic-search-2023` (before Sept 2023): `li.result` → `h3.product_title a[href]`,
 *   `span.metascore_w`, "Movie, 1999". Remakes and sequels get unrelated slugs (`movie/the-matrix-4`).
 * The `<h1>` of the corpus film pages was written by their fixture author: titles come from the JSON-LD.
 */
import { LayoutChangedError, UnexpectedContentError, formatIssues } from '../../errors.ts';
import { METACRITIC_ID, type MovieIds } from '../../schema/ids.ts';
import { parseCount, parseDate, parseRuntime, parseVoteCount, parseYear, plainText, plainTitle } from '../../lib/text.ts';
import type { ParsedObservation } from '../../schema/observation.ts';
import { canonicalUrl, jsonLdObjects, jsonLdOfType, loadFragment, looksLikeHtml, metaContent, noContentError, scriptJsonById } from '../html.ts';
import type { ParseOutput } from '../source.ts';
import {
  MetacriticJsonLdMovie,
  MetacriticNuxtComponent,
  type MetacriticAggregateRating,
  type MetacriticPerson,
} from './schema.ts';
import { scoreOnScale } from '../scales.ts';
import { pickTitleMatch, type TitleQuery } from '../match.ts';
import { carriesJsonLdMovie, wholePage } from '../page.ts';

const SOURCE = 'metacritic';

/** The film-page markup generations, newest first. */
export const PAGE_GENERATIONS = ['metacritic-jsonld-2023plus', 'metacritic-jsonld-2021-old'] as const;
/** A film-page markup generation. */
export type MetacriticPageGeneration = (typeof PAGE_GENERATIONS)[number];
/** The search-page markup generation this parser reads. */
export const SEARCH_GENERATION = 'metacritic-search-2023';

/** How many top-billed cast members a credits observation keeps. */
const TOP_CAST = 10;

// ---------------------------------------------------------------------------------------------------------
// Page checks

/** Refuses what is not a whole Metacritic HTML page (see `../page.ts`). */
function checkPage(body: string, url: string): string {
  return wholePage(body, url, { source: SOURCE, name: 'Metacritic', domain: 'metacritic.com', isContentPage: carriesJsonLdMovie }).html;
}

// ---------------------------------------------------------------------------------------------------------
// Values

/** A Metascore: an integer 0-100 (../scales.ts). */
function metascoreValue(value: unknown, url: string): number | null {
  return scoreOnScale(value, 'percent', { source: SOURCE, url, field: 'metascore' });
}

/** A user score: 0-10, null when missing ("tbd") (../scales.ts). */
function userScoreValue(value: unknown, url: string): number | null {
  return scoreOnScale(value, 'tenPoint', { source: SOURCE, url, field: 'userScore' });
}

/** `movie/<slug>` of a Metacritic film URL (absolute or relative to `base`), or null. */
export function slugFromUrl(href: string | null | undefined, base = 'https://www.metacritic.com/'): string | null {
  if (!href) return null;
  let u: URL;
  try {
    u = new URL(href, base);
  } catch {
    return null;
  }
  if (u.hostname !== 'www.metacritic.com' && u.hostname !== 'metacritic.com') return null;
  const m = /^\/(movie\/[^/]+)\/?$/.exec(u.pathname);
  const slug = m ? m[1]!.toLowerCase() : null;
  return slug && METACRITIC_ID.test(slug) ? slug : null;
}

function people(value: MetacriticPerson | MetacriticPerson[] | null | undefined): string[] {
  const list = value == null ? [] : Array.isArray(value) ? value : [value];
  const names: string[] = [];
  for (const person of list) {
    const name = plainText(person.name, { maxLength: 300 });
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

// ---------------------------------------------------------------------------------------------------------
// Film page

/** A Metacritic film page read. */
export interface MetacriticMoviePage {
  /** Markup generation the values were read from. */
  generation: MetacriticPageGeneration;
  /** `movie/<slug>` from the JSON-LD `url` or the canonical link; null when the page gives neither. */
  slug: string | null;
  /** Title from the JSON-LD `name`. */
  title: string | null;
  /** Year of `datePublished`. */
  year: number | null;
  /** `datePublished` as an ISO date. */
  releaseDate: string | null;
  /** MPA rating ("PG-13"); null for "". */
  contentRating: string | null;
  /** Runtime: from the 2021 JSON-LD only; null on 2023+ pages, whose movie `duration` is buggy. */
  runtimeMinutes: number | null;
  /**
   * What a 2023+ `duration` would mean if its hours-as-minutes bug were decoded ("PT2M32S" → 152).
   * Diagnostic only, never emitted: the bug is Metacritic's, undocumented, and could be fixed any day.
   */
  runtimeMinutesIfDurationBugDecoded?: number | null;
  /** Metascore 0-100; null when the page has no `aggregateRating` (too few critic reviews). */
  metascore: number | null;
  /** Critic reviews behind the Metascore; null with a missing Metascore; absent when the page gives no count. */
  criticCount?: number | null;
  /** User score 0-10 (null while "tbd"); absent when the page carries no user score at all. */
  userScore?: number | null;
  /** User ratings behind the user score; absent when the page gives no count. */
  userCount?: number | null;
  /** Directors, in page order. */
  directors: string[];
  /** Top-billed cast (2023+ pages list actors in billing order; the 2021 JSON-LD sorts them by name: empty). */
  cast: string[];
  genres: string[];
  synopsis: string | null;
}

/**
 * Which generation a JSON-LD `Movie` comes from. The 2021 JSON-LD writes dates as text ("December 25,
 * 2020") and numbers as strings with `ratingCount`; 2023+ writes ISO dates, integers and `reviewCount`.
 * Anything not clearly 2021 counts as 2023+, so a buggy duration is never trusted by default.
 */
export function jsonLdGeneration(movie: MetacriticJsonLdMovie): MetacriticPageGeneration {
  const date = movie.datePublished?.trim();
  const rating = movie.aggregateRating;
  // A date that does not read as one ("seven-05-12") is no sign of the 2021 generation and its trusted duration.
  const textDate = date !== undefined && parseDate(date) !== null && !/^\d{4}-\d{2}-\d{2}/.test(date);
  const stringRating = rating != null && typeof rating.ratingValue === 'string' && rating.ratingCount != null && rating.reviewCount == null;
  return textDate || stringRating ? 'metacritic-jsonld-2021-old' : 'metacritic-jsonld-2023plus';
}

/**
 * Reads the hours-as-minutes `duration` of 2023+ JSON-LD: "PT2M32S" → 152. Null when the value does not
 * have that shape.
 */
export function decodeHoursAsMinutes(duration: string | null | undefined): number | null {
  const m = /^PT(\d+)M(\d+)S$/i.exec(duration?.trim() ?? '');
  return m ? parseRuntime(Number(m[1]) * 60 + Number(m[2])) : null;
}

/**
 * The Metascore and its critic count. A count the rating does not give stays absent; a count of 0 makes
 * the score missing (both null), like an absent `aggregateRating`.
 */
function metascoreOf(rating: MetacriticAggregateRating | null | undefined, url: string): { metascore: number | null; criticCount?: number | null } {
  if (rating == null) return { metascore: null, criticCount: null };
  // A rating without its value is not a "tbd": the block no longer says what the score is.
  if (rating.ratingValue === undefined) throw new LayoutChangedError(SOURCE, url, [...PAGE_GENERATIONS], 'aggregateRating.ratingValue');
  const metascore = metascoreValue(rating.ratingValue, url);
  const count = parseCount(rating.reviewCount ?? rating.ratingCount);
  if (metascore === null || count === 0) return { metascore: null, criticCount: null };
  return count === null ? { metascore } : { metascore, criticCount: count };
}

/**
 * Maps a JSON-LD `Movie` (an object, or the array an extract holds) to a film page read, by its markup
 * generation. Not a `Movie` → `UnexpectedContentError`.
 */
export function parseMovieJsonLd(jsonLd: unknown, url: string): MetacriticMoviePage {
  const candidates = (Array.isArray(jsonLd) ? jsonLd : [jsonLd]).filter((o): o is Record<string, unknown> => o !== null && typeof o === 'object');
  const object = jsonLdOfType(candidates, 'Movie');
  if (!object) throw new UnexpectedContentError(SOURCE, url, 'no JSON-LD Movie object');
  const parsed = MetacriticJsonLdMovie.safeParse(object);
  if (!parsed.success) {
    throw new UnexpectedContentError(SOURCE, url, `not a JSON-LD Movie this parser knows:\n${formatIssues(parsed.error.issues, 5).join('\n')}`);
  }
  const movie = parsed.data;
  const generation = jsonLdGeneration(movie);
  const old = generation === 'metacritic-jsonld-2021-old';
  const releaseDate = parseDate(movie.datePublished);
  const genres = movie.genre == null ? [] : (Array.isArray(movie.genre) ? movie.genre : [movie.genre]);
  const page: MetacriticMoviePage = {
    generation,
    slug: slugFromUrl(movie.url, url),
    title: plainTitle(movie.name),
    year: releaseDate ? parseYear(releaseDate) : parseYear(movie.datePublished?.trim()),
    releaseDate,
    contentRating: plainText(movie.contentRating, { maxLength: 50 }),
    runtimeMinutes: old ? parseRuntime(movie.duration) : null,
    ...metascoreOf(movie.aggregateRating, url),
    directors: people(movie.director),
    cast: old ? [] : people(movie.actor).slice(0, TOP_CAST),
    genres: [...new Set(genres.map((g) => plainText(g, { maxLength: 100 })).filter((g): g is string => g !== null))],
    synopsis: plainText(movie.description),
  };
  if (!old) page.runtimeMinutesIfDurationBugDecoded = decodeHoursAsMinutes(movie.duration);
  return page;
}

// ---------------------------------------------------------------------------------------------------------
// The Nuxt payload (user score)

// devalue's encodings of values that JSON cannot hold.
const DEVALUE_SPECIAL: Readonly<Record<number, unknown>> = { [-1]: undefined, [-3]: Number.NaN, [-4]: Infinity, [-5]: -Infinity, [-6]: -0 };
const DEVALUE_HOLE = -2;

/**
 * Rebuilds the value a Nuxt payload (`__NUXT_DATA__`, devalue's flat format) encodes. The payload is an
 * array; index 0 is the root; an object's or array's members are indices into the array; `[type, …]`
 * arrays are typed values (Date, Set, Map…) or Nuxt wrappers (`Reactive`, `ShallowRef`…, read through).
 * Shared references stay shared, so a cycle does not recurse forever. Throws on a malformed payload.
 */
export function unflattenNuxtPayload(payload: unknown): unknown {
  if (typeof payload === 'number') {
    if (!(payload in DEVALUE_SPECIAL)) throw new Error('a bare number is not a payload');
    return DEVALUE_SPECIAL[payload];
  }
  if (!Array.isArray(payload) || payload.length === 0) throw new Error('not a devalue array');
  const values = payload as unknown[];
  const hydrated = new Map<number, unknown>();
  const hydrate = (index: unknown): unknown => {
    if (typeof index !== 'number' || !Number.isInteger(index)) throw new Error(`reference ${String(index)} is not an index`);
    if (index < 0) {
      if (!(index in DEVALUE_SPECIAL)) throw new Error(`unknown special value ${index}`);
      return DEVALUE_SPECIAL[index];
    }
    if (index >= values.length) throw new Error(`reference ${index} is out of the payload`);
    if (hydrated.has(index)) return hydrated.get(index);
    const value = values[index];
    if (value === null || typeof value !== 'object') {
      hydrated.set(index, value);
      return value;
    }
    if (Array.isArray(value)) {
      if (typeof value[0] === 'string') return hydrateTyped(index, value as [string, ...unknown[]]);
      const array: unknown[] = [];
      hydrated.set(index, array);
      value.forEach((member, i) => {
        if (member !== DEVALUE_HOLE) array[i] = hydrate(member);
      });
      return array;
    }
    const object: Record<string, unknown> = {};
    hydrated.set(index, object);
    for (const [key, member] of Object.entries(value)) object[key] = hydrate(member);
    return object;
  };
  const hydrateTyped = (index: number, [type, ...rest]: [string, ...unknown[]]): unknown => {
    switch (type) {
      case 'Date':
        hydrated.set(index, new Date(String(rest[0])));
        break;
      case 'Set': {
        const set = new Set<unknown>();
        hydrated.set(index, set);
        for (const member of rest) set.add(hydrate(member));
        break;
      }
      case 'Map': {
        const map = new Map<unknown, unknown>();
        hydrated.set(index, map);
        for (let i = 0; i + 1 < rest.length; i += 2) map.set(hydrate(rest[i]), hydrate(rest[i + 1]));
        break;
      }
      case 'null': {
        const object: Record<string, unknown> = {};
        hydrated.set(index, object);
        for (let i = 0; i + 1 < rest.length; i += 2) {
          const key = String(rest[i]);
          if (key !== '__proto__' && key !== 'constructor' && key !== 'prototype') object[key] = hydrate(rest[i + 1]);
        }
        break;
      }
      case 'RegExp':
      case 'BigInt':
      case 'Object':
        // Never needed for scores; kept as their source text rather than constructed.
        hydrated.set(index, String(rest[0]));
        break;
      default:
        // Nuxt's reactive wrappers (Reactive, ShallowReactive, Ref, ShallowRef, EmptyRef…) hold one value.
        hydrated.set(index, rest.length > 0 ? hydrate(rest[0]) : undefined);
    }
    return hydrated.get(index);
  };
  return hydrate(0);
}

/** Every object in a value tree (each once, cycles tolerated), depth first. */
function* objectsIn(root: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    const members = value instanceof Map || value instanceof Set ? [...value.values()] : Array.isArray(value) ? value : Object.values(value);
    if (!(value instanceof Map || value instanceof Set || Array.isArray(value))) yield value as Record<string, unknown>;
    // Reversed onto the stack, so members come out in document order.
    for (let i = members.length - 1; i >= 0; i--) stack.push(members[i]);
  }
}

/** The user score a page's Nuxt payload carries. */
export type UserScoreRead =
  | { found: true; userScore: number | null; userCount?: number | null }
  | { found: false; problem?: string };

/**
 * The user score of a 2023+ film page, from its Nuxt payload: the `user-score-summary` component's
 * `item.score` (0-10, null while "tbd") and `item.reviewCount`. The shape, from Metacritic's composer API and
 * scrapers of its game pages (indices illustrative: no recorded film page carries the payload):
 *
 * ```html
 * <script type="application/json" data-nuxt-data="nuxt-app" data-ssr="true" id="__NUXT_DATA__">[…,
 *   {"meta":12,"data":14}, {"componentName":13}, "user-score-summary", {"item":15}, {"score":16,"reviewCount":17}, 7.9, 1321, …]</script>
 * ```
 *
 * No payload, or none with that component → `found: false` (the page carries no user score); a payload that
 * cannot be read → `found: false` with the problem.
 */
export function parseUserScore(html: string, url: string): UserScoreRead {
  const read = scriptJsonById(html, '__NUXT_DATA__');
  if (read === null) return { found: false };
  if (!read.ok) return { found: false, problem: `__NUXT_DATA__ is not JSON (${read.error}): user score skipped` };
  let root: unknown;
  try {
    root = unflattenNuxtPayload(read.value);
  } catch (error) {
    return { found: false, problem: `__NUXT_DATA__ is not a devalue payload (${(error as Error).message}): user score skipped` };
  }
  for (const object of objectsIn(root)) {
    if (!('meta' in object)) continue;
    const component = MetacriticNuxtComponent.safeParse(object);
    if (!component.success || component.data.meta.componentName !== 'user-score-summary') continue;
    const item = component.data.data?.item;
    if (!item) return { found: false, problem: 'user-score-summary component without an item: user score skipped' };
    const userScore = userScoreValue(item.score, url);
    if (item.reviewCount == null) return { found: true, userScore };
    // Nobody rated: no score, whatever the item says.
    const userCount = parseVoteCount(item.reviewCount);
    return { found: true, userScore: userCount === null ? null : userScore, userCount };
  }
  return { found: false };
}

/**
 * Reads a film page: the JSON-LD `Movie` (title, date, rating, Metascore, credits) and, on 2023+ pages,
 * the user score from the Nuxt payload. Throws `UnexpectedContentError` for what is not a whole Metacritic
 * page, `LayoutChangedError` for a page without a JSON-LD `Movie`. `problems` lists parts skipped.
 */
export function parseMoviePage(body: string, url: string): { page: MetacriticMoviePage; problems: string[] } {
  const html = checkPage(body, url);
  const { objects, errors } = jsonLdObjects(html);
  const movie = jsonLdOfType(objects, 'Movie');
  if (!movie) {
    if (errors.length > 0) throw new UnexpectedContentError(SOURCE, url, `unreadable JSON-LD (${errors[0]})`);
    throw noContentError(SOURCE, url, html, new LayoutChangedError(SOURCE, url, [...PAGE_GENERATIONS], 'JSON-LD Movie object'));
  }
  const ownUrl = typeof movie.url === 'string' ? movie.url : undefined;
  if (ownUrl && URL.canParse(ownUrl, url) && !/(^|\.)metacritic\.com$/.test(new URL(ownUrl, url).hostname)) {
    throw new UnexpectedContentError(SOURCE, url, `another site's page (JSON-LD url ${ownUrl})`);
  }
  const page = parseMovieJsonLd(movie, url);
  page.slug ??= slugFromUrl(canonicalUrl(html), url);
  const problems: string[] = [];
  const user = parseUserScore(html, url);
  if (user.found) {
    page.userScore = user.userScore;
    if (user.userCount !== undefined) page.userCount = user.userCount;
  } else if (user.problem) problems.push(user.problem);
  return { page, problems };
}

/** A film page read as observations: `score` (group metacritic), `details`, `credits`, `ids`. */
export function movieObservations(page: MetacriticMoviePage, url: string): ParsedObservation[] {
  const ids: MovieIds = page.slug ? { metacritic: page.slug } : {};
  const base = { source: SOURCE, url, ids } as const;
  const score: Extract<ParsedObservation, { kind: 'score'; group: 'metacritic' }> = {
    ...base,
    kind: 'score',
    group: 'metacritic',
    metascore: page.metascore,
  };
  if (page.criticCount !== undefined) score.criticCount = page.criticCount;
  if (page.userScore !== undefined) score.userScore = page.userScore;
  if (page.userCount !== undefined) score.userCount = page.userCount;
  return [
    score,
    {
      ...base,
      kind: 'details',
      title: page.title,
      year: page.year,
      releaseDate: page.releaseDate,
      runtimeMinutes: page.runtimeMinutes,
      contentRating: page.contentRating,
      genres: page.genres,
      synopsis: page.synopsis,
    },
    { ...base, kind: 'credits', directors: page.directors, cast: page.cast.map((name) => ({ name })) },
    { ...base, kind: 'ids' },
  ];
}

/** A film page (`/movie/<slug>/`) as observations, with the parts it had to skip. */
export function parseMovie(body: string, url: string): ParseOutput {
  const { page, problems } = parseMoviePage(body, url);
  return { observations: movieObservations(page, url), problems };
}

// ---------------------------------------------------------------------------------------------------------
// Title search (pre-Sept-2023 markup)

/** One film in the search results. */
export interface MetacriticSearchResult {
  title: string | null;
  /** Year from "Movie, 1999". */
  year: number | null;
  /** `movie/<slug>`. */
  id: string;
  /** Metascore shown beside the result; null for "tbd"; absent when the row shows no score element. */
  score?: number | null;
}

/** The part of the page from `start` to the first `end` after it (the page's end when there is none). */
function fragment(html: string, start: string, end: string): string | null {
  const from = html.indexOf(start);
  if (from === -1) return null;
  const to = html.indexOf(end, from);
  return html.slice(html.lastIndexOf('<', from), to === -1 ? html.length : to + end.length);
}

/**
 * Reads the film results of a search page. The list, as the corpus page has it:
 *
 * ```html
 * <ul class="search_results module">
 *   <li class="result first_result"> … <span class="metascore_w medium movie positive">73</span>
 *     <h3 class="product_title basic_stat"><a href="/movie/the-matrix">The Matrix</a></h3>
 *     <p>Movie, 1999</p> …
 * ```
 *
 * A page saying "No search results found" has none; a page with neither → `LayoutChangedError`.
 */
export function parseSearchPage(body: string, url: string): MetacriticSearchResult[] {
  const html = checkPage(body, url);
  const list = fragment(html, 'class="search_results', '</ul>');
  if (list === null) {
    if (/no search results found/i.test(html)) return [];
    throw noContentError(SOURCE, url, html, new LayoutChangedError(SOURCE, url, [SEARCH_GENERATION], 'search results list'));
  }
  const $ = loadFragment(list, SOURCE, url);
  const results: MetacriticSearchResult[] = [];
  $('li.result').each((_, li) => {
    const item = $(li);
    const link = item.find('h3.product_title a[href]').first();
    const id = slugFromUrl(link.attr('href'), url);
    if (!id) return;
    const stats = item.find('.main_stats p').first().text();
    const year = /\bMovie,\s*(\d{4})\b/i.exec(stats);
    const score = item.find('span.metascore_w').first();
    results.push({
      title: plainTitle(link.text()),
      year: year ? parseYear(year[1]) : null,
      id,
      ...(score.length > 0 && { score: metascoreValue(score.text().trim(), url) }),
    });
  });
  return results;
}

/**
 * The one result with the film's title (normalized) and year. None, or several (remakes share titles, a
 * query without a year can match several films) → `NoMatchError`.
 */
export function pickSearchResult(results: readonly MetacriticSearchResult[], query: TitleQuery, url: string): MetacriticSearchResult {
  return pickTitleMatch(results, query, { source: SOURCE, url, noun: 'result', titlesOf: (r) => [r.title], yearOf: (r) => r.year });
}

/**
 * A search page as observations for the one film that matches `query`: `ids` (its slug) and the Metascore
 * the result shows (no count: the list gives none). The film page, fetched next, supersedes the score.
 */
export function parseSearch(body: string, url: string, query: TitleQuery): ParsedObservation[] {
  const match = pickSearchResult(parseSearchPage(body, url), query, url);
  const base = { source: SOURCE, url, ids: { metacritic: match.id } } as const;
  if (match.score === undefined) return [{ ...base, kind: 'ids' }];
  return [
    { ...base, kind: 'ids' },
    { ...base, kind: 'score', group: 'metacritic', metascore: match.score },
  ];
}
