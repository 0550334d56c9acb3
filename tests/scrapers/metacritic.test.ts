/**
 * Metacritic source: every Metacritic file of the recorded corpus (two film pages, the search page, the 2021
 * JSON-LD extract), each `expected` value asserted (a key without an assertion fails the test), the traps
 * (missing Metascore, the hours-as-minutes duration, the fixture author's <h1>, remake slugs), the user score
 * of the Nuxt payload on a page built here (no recorded page carries one), typed errors on bad bodies, and
 * the request chain replayed from the corpus.
 */
import { describe, expect, it } from 'vitest';
import { LayoutChangedError, NoMatchError, OutOfRangeError, UnexpectedContentError } from '../../src/errors.ts';
import { ReplayCorpus, type CorpusEntry } from '../../src/http/replay.ts';
import type { ParsedObservation } from '../../src/schema/observation.ts';
import { filmPageRequest, metacritic, searchRequest, searchUrl } from '../../src/scrapers/metacritic/index.ts';
import {
  PAGE_GENERATIONS,
  SEARCH_GENERATION,
  decodeHoursAsMinutes,
  jsonLdGeneration,
  movieObservations,
  parseMovie,
  parseMovieJsonLd,
  parseMoviePage,
  parseSearch,
  parseSearchPage,
  parseUserScore,
  pickSearchResult,
  slugFromUrl,
  unflattenNuxtPayload,
  type MetacriticMoviePage,
  type MetacriticSearchResult,
} from '../../src/scrapers/metacritic/parse.ts';
import { MetacriticJsonLdMovie } from '../../src/scrapers/metacritic/schema.ts';
import type { MovieContext, ParseOutput } from '../../src/scrapers/source.ts';
import { CORPUS_DIR, corpusEntries, corpusEntry, corpusText, expectedOf } from '../helpers/corpus.ts';
import { assertEvery, crawl, editedFile, expectValid, observationsOf, one, onlyScore, sameValue, thrown, type Asserters, type Filing } from '../helpers/observations.ts';

const DARK_KNIGHT = 'metacritic/metacritic_movie_the-dark-knight_2008_2026_jsonld_TRIMMED.html';
const GIRL_CLIMBER = 'metacritic/metacritic_movie_girl-climber_2025_2026_jsonld_no-metascore_TRIMMED.html';
const SEARCH = 'metacritic/metacritic_search_movie_the-matrix_2023-01-04_old-markup_SEARCHPAGE.html';
const EXTRACT = 'jsonld/metacritic_movie_wonder-woman-1984_2021-05_jsonld-extract.json';

/** Metacritic observations name a film by its Metacritic path alone: the pipeline files them under the film asked for. */
const FILING: Filing = { source: 'metacritic', movie: 'tt0468569' };

/** The asserters of a film page read (page or extract) and, for a page, its observations. */
function pageAsserters(page: MetacriticMoviePage, observations?: readonly ParsedObservation[]): Asserters {
  const score = observations && onlyScore(observations, 'metacritic');
  const details = observations && one(observations, 'details');
  return {
    title: sameValue('title', page, details),
    year: sameValue('year', page, details),
    releaseDate: sameValue('releaseDate', page, details),
    metascore: sameValue('metascore', page, score),
    metascoreCount: sameValue('criticCount', page, score),
    contentRating: sameValue('contentRating', page, details),
    runtimeMinutes: sameValue('runtimeMinutes', page, details),
    runtimeMinutesIfDurationBugDecoded: (v) => expect(page.runtimeMinutesIfDurationBugDecoded).toBe(v),
    directors: (v) => {
      expect(page.directors).toEqual(v);
      if (observations) expect(one(observations, 'credits').directors).toEqual(v);
    },
  };
}

function assertEntry(entry: CorpusEntry): void {
  const body = corpusText(entry.file);
  const expected = expectedOf(entry);
  switch (entry.kind) {
    case 'title-page': {
      const { page, problems } = parseMoviePage(body, entry.url);
      expect(problems).toEqual([]);
      expect(page.generation).toBe(entry.markup);
      const observations = movieObservations(page, entry.url);
      expectValid(observations, { ...FILING, url: entry.url });
      expect(one(observations, 'ids').ids).toEqual({ metacritic: (entry.movie as { metacritic: string }).metacritic });
      // No corpus page carries a user score: the keys are absent, not null.
      expect('userScore' in page).toBe(false);
      expect('userScore' in onlyScore(observations, 'metacritic')).toBe(false);
      return assertEvery(expected, pageAsserters(page, observations));
    }
    case 'jsonld-extract': {
      const page = parseMovieJsonLd(JSON.parse(body), entry.url);
      expect(page.generation).toBe(entry.markup);
      expect(page.slug).toBe((entry.movie as { metacritic: string }).metacritic);
      return assertEvery(expected, pageAsserters(page));
    }
    case 'search-page': {
      const results = parseSearchPage(body, entry.url);
      return assertEvery(expected, {
        resultCount: (v) => expect(results.length).toBe(v),
        results: (v) => expect(results).toEqual(v),
      });
    }
    default:
      throw new Error(`no assertions for kind ${entry.kind}`);
  }
}

describe('every Metacritic file of the corpus', () => {
  const entries = corpusEntries((e) => e.source === 'metacritic');

  it('covers the film pages, the search page and the extract', () => {
    expect(entries.map((e) => e.file).sort()).toEqual([EXTRACT, GIRL_CLIMBER, DARK_KNIGHT, SEARCH]);
  });

  it.each(entries.map((e) => [e.file, e] as const))('%s', (_file, entry) => assertEntry(entry));
});

// ---------------------------------------------------------------------------------------------------------

describe('film page traps', () => {
  const darkKnight = corpusEntry(DARK_KNIGHT);
  const girlClimber = corpusEntry(GIRL_CLIMBER);

  it('a film without aggregateRating has a missing Metascore (null), never 0, and no critic count', () => {
    const observations = observationsOf(parseMovie(corpusText(GIRL_CLIMBER), girlClimber.url));
    const score = onlyScore(observations, 'metacritic');
    expect(score).toMatchObject({ metascore: null, criticCount: null });
    expect(corpusText(GIRL_CLIMBER)).not.toContain('aggregateRating');
  });

  it('never reads the 2023+ movie duration, nor the trailer duration', () => {
    const body = corpusText(DARK_KNIGHT);
    expect(body).toContain('"duration":"PT2M32S"');
    expect(body).toContain('"duration":"PT2M24S"');
    const { page } = parseMoviePage(body, darkKnight.url);
    expect(page.runtimeMinutes).toBeNull();
    // Even a duration that would read as plausible minutes is not used on a 2023+ page.
    const plausible = editedFile(DARK_KNIGHT, '"duration":"PT2M32S","director"', '"duration":"PT152M","director"');
    expect(parseMoviePage(plausible, darkKnight.url).page.runtimeMinutes).toBeNull();
  });

  it('decodes the hours-as-minutes bug only as a diagnostic', () => {
    expect(decodeHoursAsMinutes('PT2M32S')).toBe(152);
    expect(decodeHoursAsMinutes('PT1M23S')).toBe(83);
    expect(decodeHoursAsMinutes('PT151M')).toBeNull();
    expect(decodeHoursAsMinutes(undefined)).toBeNull();
  });

  it('tells the 2021 JSON-LD from the 2023+ one by its values', () => {
    const extract = JSON.parse(corpusText(EXTRACT)) as unknown[];
    expect(jsonLdGeneration(MetacriticJsonLdMovie.parse(extract[0]))).toBe('metacritic-jsonld-2021-old');
    const pageMovie = MetacriticJsonLdMovie.parse(JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(corpusText(DARK_KNIGHT))![1]!));
    expect(jsonLdGeneration(pageMovie)).toBe('metacritic-jsonld-2023plus');
    // Without a date or a rating nothing says "2021": the buggy duration is not trusted.
    expect(jsonLdGeneration({ name: 'X', duration: 'PT2M10S' })).toBe('metacritic-jsonld-2023plus');
  });

  it('reads the title from the JSON-LD, not from the <h1> the fixture author added', () => {
    expect(corpusText(GIRL_CLIMBER)).toContain('<h1>Girl Climber (no metascore)</h1>');
    expect(parseMoviePage(corpusText(GIRL_CLIMBER), girlClimber.url).page.title).toBe('Girl Climber');
    const renamed = editedFile(DARK_KNIGHT, '<h1>The Dark Knight</h1>', '<h1>Something Else</h1>');
    expect(parseMoviePage(renamed, darkKnight.url).page.title).toBe('The Dark Knight');
  });

  it('keeps the cast of 2023+ pages in billing order and drops the alphabetical 2021 list', () => {
    expect(parseMoviePage(corpusText(DARK_KNIGHT), darkKnight.url).page.cast.slice(0, 2)).toEqual(['Christian Bale', 'Heath Ledger']);
    const extract = parseMovieJsonLd(JSON.parse(corpusText(EXTRACT)), corpusEntry(EXTRACT).url);
    expect(extract.cast).toEqual([]);
    expect(extract.directors).toEqual(['Patty Jenkins']);
  });

  it('takes the slug from the JSON-LD url, else the canonical link, never from the request', () => {
    const withoutUrl = editedFile(DARK_KNIGHT, '"url":"https://www.metacritic.com/movie/the-dark-knight/",', '');
    expect(parseMoviePage(withoutUrl, 'https://www.metacritic.com/movie/other/').page.slug).toBeNull();
    const canonical = withoutUrl.replace('<head>', '<head><link rel="canonical" href="https://www.metacritic.com/movie/the-dark-knight/">');
    expect(parseMoviePage(canonical, 'https://www.metacritic.com/movie/other/').page.slug).toBe('movie/the-dark-knight');
    const observations = observationsOf(parseMovie(withoutUrl, darkKnight.url));
    expect(one(observations, 'ids').ids).toEqual({});
  });

  it('validates slugs by pattern', () => {
    expect(slugFromUrl('/movie/the-matrix-4')).toBe('movie/the-matrix-4');
    expect(slugFromUrl('https://www.metacritic.com/movie/dune/')).toBe('movie/dune');
    expect(slugFromUrl('https://www.metacritic.com/tv/dune/')).toBeNull();
    expect(slugFromUrl('https://example.com/movie/dune/')).toBeNull();
    expect(slugFromUrl('/movie/Bad Slug')).toBeNull();
  });

  it('a count of 0 makes the Metascore missing; a rating without a count keeps the score without a count', () => {
    const zero = editedFile(DARK_KNIGHT, '"reviewCount":41', '"reviewCount":0');
    expect(parseMoviePage(zero, darkKnight.url).page).toMatchObject({ metascore: null, criticCount: null });
    const noCount = editedFile(DARK_KNIGHT, ',"reviewCount":41', '');
    const { page } = parseMoviePage(noCount, darkKnight.url);
    expect(page.metascore).toBe(85);
    expect('criticCount' in page).toBe(false);
    expect('criticCount' in onlyScore(movieObservations(page, darkKnight.url), 'metacritic')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------

/** A Nuxt reactive wrapper, for the payload encoder below. */
class Reactive {
  constructor(readonly value: unknown) {}
}

/** Encodes a value in devalue's flat format, as Nuxt writes `__NUXT_DATA__` (test helper, no corpus file). */
function devalue(root: unknown): unknown[] {
  const values: unknown[] = [];
  const add = (value: unknown): number => {
    const index = values.length;
    values.push(null);
    if (value === null || typeof value !== 'object') values[index] = value;
    else if (value instanceof Reactive) values[index] = ['Reactive', add(value.value)];
    else if (Array.isArray(value)) values[index] = value.map(add);
    else values[index] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, add(v)]));
    return index;
  };
  add(root);
  return values;
}

/**
 * The Dark Knight page with a Nuxt payload added. CONSTRUCTED HERE, not recorded: it follows the component
 * shape Metacritic's composer API and pages use (`meta.componentName` "user-score-summary", `data.item`
 * `{score, reviewCount}`), because no corpus page carries the payload.
 */
function withNuxtUserScore(item: Record<string, unknown>): string {
  const payload = devalue(
    new Reactive({
      data: new Reactive({
        'loadPage:movie/the-dark-knight': {
          components: [
            { meta: { componentName: 'product' }, data: { item: { title: 'The Dark Knight', criticScoreSummary: { score: 85, reviewCount: 41 } } } },
            { meta: { componentName: 'user-score-summary' }, data: { item } },
          ],
        },
      }),
      state: {},
    }),
  );
  const script = `<script type="application/json" data-nuxt-data="nuxt-app" data-ssr="true" id="__NUXT_DATA__">${JSON.stringify(payload)}</script>`;
  return corpusText(DARK_KNIGHT).replace('</body>', `${script}</body>`);
}

describe('user score (Nuxt payload)', () => {
  const url = corpusEntry(DARK_KNIGHT).url;

  it('reads score and count of the user-score-summary component', () => {
    const { page, problems } = parseMoviePage(withNuxtUserScore({ score: 8.9, reviewCount: 1321 }), url);
    expect(problems).toEqual([]);
    expect(page).toMatchObject({ userScore: 8.9, userCount: 1321, metascore: 85 });
    const score = onlyScore(movieObservations(page, url), 'metacritic');
    expect(score).toMatchObject({ userScore: 8.9, userCount: 1321 });
    expectValid(movieObservations(page, url), { ...FILING, url });
  });

  it('"tbd" is a missing score with its count; 0 ratings make score and count null', () => {
    expect(parseMoviePage(withNuxtUserScore({ score: null, reviewCount: 3 }), url).page).toMatchObject({ userScore: null, userCount: 3 });
    expect(parseMoviePage(withNuxtUserScore({ score: 'tbd', reviewCount: 3 }), url).page).toMatchObject({ userScore: null, userCount: 3 });
    expect(parseMoviePage(withNuxtUserScore({ score: 0, reviewCount: 0 }), url).page).toMatchObject({ userScore: null, userCount: null });
  });

  it('a score without a count keeps the count key out', () => {
    const { page } = parseMoviePage(withNuxtUserScore({ score: 7.2 }), url);
    expect(page.userScore).toBe(7.2);
    expect('userCount' in page).toBe(false);
  });

  it('rejects a user score outside 0-10', () => {
    expect(() => parseMoviePage(withNuxtUserScore({ score: 12, reviewCount: 10 }), url)).toThrow(OutOfRangeError);
  });

  it('reports an unreadable payload as a problem and carries on without a user score', () => {
    const broken = corpusText(DARK_KNIGHT).replace('</body>', '<script type="application/json" id="__NUXT_DATA__">[{"data":7}]</script></body>');
    const output = parseMovie(broken, url);
    expect(Array.isArray(output)).toBe(false);
    const { observations, problems } = output as ParseOutput;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/__NUXT_DATA__.*user score skipped/);
    expect('userScore' in onlyScore(observations, 'metacritic')).toBe(false);
    expect(onlyScore(observations, 'metacritic').metascore).toBe(85);
  });

  it('a page without the payload, or a payload without the component, carries no user score', () => {
    expect(parseUserScore(corpusText(DARK_KNIGHT), url)).toEqual({ found: false });
    const other = corpusText(DARK_KNIGHT).replace('</body>', `<script type="application/json" id="__NUXT_DATA__">${JSON.stringify(devalue({ data: {} }))}</script></body>`);
    expect(parseUserScore(other, url)).toEqual({ found: false });
  });
});

describe('devalue payloads', () => {
  it('resolves references, wrappers, typed values, special numbers and holes', () => {
    const root = unflattenNuxtPayload([['Reactive', 1], { a: 2, b: 2, when: 4, none: -1, nan: -3, list: 5 }, { x: 3 }, 'shared', ['Date', '2020-01-01T00:00:00.000Z'], [3, -2, 3]]) as Record<string, unknown>;
    expect(root.a).toBe(root.b);
    expect(root.a).toEqual({ x: 'shared' });
    expect(root.when).toEqual(new Date('2020-01-01T00:00:00.000Z'));
    expect(root.none).toBeUndefined();
    expect(Number.isNaN(root.nan)).toBe(true);
    expect(root.list).toEqual(['shared', undefined, 'shared']);
    expect(1 in (root.list as unknown[])).toBe(false);
  });

  it('survives a cycle and refuses malformed payloads', () => {
    const root = unflattenNuxtPayload([{ self: 0 }]) as { self: unknown };
    expect(root.self).toBe(root);
    expect(() => unflattenNuxtPayload([])).toThrow();
    expect(() => unflattenNuxtPayload({ a: 1 })).toThrow();
    expect(() => unflattenNuxtPayload([{ a: 5 }])).toThrow(/out of the payload/);
    expect(() => unflattenNuxtPayload([{ a: 'x' }])).toThrow(/not an index/);
  });

  it('drops __proto__ keys of null-prototype objects', () => {
    const root = unflattenNuxtPayload([['null', '__proto__', 1, 'ok', 1], 'v']) as Record<string, unknown>;
    expect(root.ok).toBe('v');
    expect(Object.keys(root)).toEqual(['ok']);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('title search', () => {
  const entry = corpusEntry(SEARCH);
  const results = parseSearchPage(corpusText(SEARCH), entry.url);

  it('picks the one result with the same title and year', () => {
    expect(pickSearchResult(results, { title: 'The Matrix', year: 1999 }, entry.url).id).toBe('movie/the-matrix');
    // Sequels and remakes get unrelated slugs: only the search knows them.
    expect(pickSearchResult(results, { title: 'The Matrix Resurrections', year: 2021 }, entry.url).id).toBe('movie/the-matrix-4');
    expect(pickSearchResult(results, { title: 'the matrix reloaded' }, entry.url).id).toBe('movie/the-matrix-reloaded');
  });

  it('no match, a wrong year, or several matches → NoMatchError', () => {
    expect(() => pickSearchResult(results, { title: 'The Matrix', year: 2021 }, entry.url)).toThrow(NoMatchError);
    expect(() => pickSearchResult(results, { title: 'Dune', year: 1984 }, entry.url)).toThrow(NoMatchError);
    const remakes: MetacriticSearchResult[] = [
      { title: 'Dune', year: 2021, id: 'movie/dune-2021', score: 74 },
      { title: 'Dune', year: 1984, id: 'movie/dune', score: 41 },
    ];
    expect(() => pickSearchResult(remakes, { title: 'Dune' }, entry.url)).toThrow(/2 results titled "Dune": ambiguous/);
    expect(pickSearchResult(remakes, { title: 'Dune', year: 1984 }, entry.url).id).toBe('movie/dune');
  });

  it('gives the found slug and the Metascore the list shows (without a count)', () => {
    const observations = parseSearch(corpusText(SEARCH), entry.url, { title: 'The Matrix', year: 1999 });
    expectValid(observations, { ...FILING, url: entry.url });
    expect(one(observations, 'ids').ids).toEqual({ metacritic: 'movie/the-matrix' });
    const score = onlyScore(observations, 'metacritic');
    expect(score.metascore).toBe(73);
    expect('criticCount' in score).toBe(false);
  });

  it('reads "tbd" as a missing score', () => {
    const tbd = editedFile(SEARCH, '<span class="metascore_w medium movie positive">73</span>', '<span class="metascore_w medium movie tbd">tbd</span>');
    expect(parseSearchPage(tbd, entry.url)[0]).toMatchObject({ id: 'movie/the-matrix', score: null });
  });

  it('a page saying there are no results has none; a page without the list is a layout change', () => {
    const none = editedFile(SEARCH, /<ul class="search_results module">[\s\S]*?<\/ul>/, '<p class="no_data">No search results found.</p>');
    expect(parseSearchPage(none, entry.url)).toEqual([]);
    expect(() => parseSearch(none, entry.url, { title: 'The Matrix', year: 1999 })).toThrow(NoMatchError);
    const changed = editedFile(SEARCH, /<ul class="search_results module">[\s\S]*?<\/ul>/, '<div class="new-results"></div>');
    const error = thrown(() => parseSearchPage(changed, entry.url));
    expect(error).toBeInstanceOf(LayoutChangedError);
    expect((error as LayoutChangedError).tried).toEqual([SEARCH_GENERATION]);
  });
});

describe('bodies that are not what the parser expects', () => {
  const url = corpusEntry(DARK_KNIGHT).url;
  const page = corpusText(DARK_KNIGHT);

  it('a page without its JSON-LD block → LayoutChangedError naming the generations tried', () => {
    const stripped = editedFile(DARK_KNIGHT, /<script type="application\/ld\+json">[\s\S]*?<\/script>/, '');
    const error = thrown(() => parseMoviePage(stripped, url));
    expect(error).toBeInstanceOf(LayoutChangedError);
    expect((error as LayoutChangedError).tried).toEqual([...PAGE_GENERATIONS]);
    expect((error as Error).message).toContain('metacritic-jsonld-2023plus, metacritic-jsonld-2021-old');
  });

  it.each([
    ['an empty body', ''],
    ['a whitespace-only body', '  \n'],
    ['a truncated page', page.slice(0, Math.floor(page.length / 2))],
    ['a page cut after its JSON-LD', page.slice(0, page.indexOf('</script>') + 9)],
    ['JSON instead of HTML', '{"@type":"Movie","name":"The Dark Knight"}'],
    ['a Cloudflare challenge', '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>'],
    ['an Akamai block page', '<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY>Reference #18.2c</BODY></HTML>'],
    ['plain text', 'Service Unavailable'],
  ])('%s → UnexpectedContentError', (_what, body) => {
    expect(() => parseMovie(body, url)).toThrow(UnexpectedContentError);
    expect(() => parseSearchPage(body, searchUrl('The Matrix'))).toThrow(UnexpectedContentError);
  });

  it('a broken JSON-LD block is unexpected content, not a layout change', () => {
    const broken = editedFile(DARK_KNIGHT, '{"@context"', '{"@context" "');
    expect(() => parseMoviePage(broken, url)).toThrow(UnexpectedContentError);
  });

  it("another site's page → UnexpectedContentError", () => {
    const other = editedFile(DARK_KNIGHT, '"url":"https://www.metacritic.com/movie/the-dark-knight/"', '"url":"https://www.imdb.com/title/tt0468569/"');
    expect(() => parseMoviePage(other, url)).toThrow(/another site's page/);
  });

  it('a Metascore outside 0-100, or not an integer → OutOfRangeError (never clamped)', () => {
    expect(() => parseMoviePage(editedFile(DARK_KNIGHT, '"ratingValue":85', '"ratingValue":185'), url)).toThrow(OutOfRangeError);
    expect(() => parseMoviePage(editedFile(DARK_KNIGHT, '"ratingValue":85', '"ratingValue":85.5'), url)).toThrow(OutOfRangeError);
    expect(() => parseMoviePage(editedFile(DARK_KNIGHT, '"ratingValue":85', '"ratingValue":-1'), url)).toThrow(OutOfRangeError);
    const search = editedFile(SEARCH, '<span class="metascore_w medium movie positive">73</span>', '<span class="metascore_w medium movie positive">730</span>');
    expect(() => parseSearchPage(search, corpusEntry(SEARCH).url)).toThrow(OutOfRangeError);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('requests', () => {
  it('asks for the film page (trailing slash) when the slug is known, with the search as its fallback', () => {
    const movie: MovieContext = { id: 'tt0468569', ids: { metacritic: 'movie/the-dark-knight' }, title: 'The Dark Knight', year: 2008 };
    const [request, ...rest] = metacritic.requests(movie);
    expect(rest).toEqual([]);
    expect(request!.url).toBe('https://www.metacritic.com/movie/the-dark-knight/');
    expect(request!.fallback?.map((r) => r.url)).toEqual(['https://www.metacritic.com/search/movie/The+Dark+Knight/results']);
    expect(metacritic.requests({ id: 'tt0468569', ids: { metacritic: 'movie/the-dark-knight' } })[0]!.fallback).toBeUndefined();
  });

  it('searches by title when the slug is unknown (or not a slug), and asks for nothing without a title', () => {
    const matrix: MovieContext = { id: 'tt0133093', ids: { imdb: 'tt0133093' }, title: 'The Matrix', year: 1999 };
    expect(metacritic.requests(matrix).map((r) => r.url)).toEqual(['https://www.metacritic.com/search/movie/The+Matrix/results']);
    expect(metacritic.requests({ ...matrix, ids: { metacritic: 'tv/the-matrix' } }).map((r) => r.label)).toEqual(['search']);
    expect(metacritic.requests({ id: 'tt0133093', ids: {} })).toEqual([]);
    expect(searchUrl('Amélie & Co/2')).toBe('https://www.metacritic.com/search/movie/Am%C3%A9lie+%26+Co%2F2/results');
  });

  it('after a search, asks for the page of the film it found', () => {
    const request = searchRequest('The Matrix', 1999);
    const entry = corpusEntry(SEARCH);
    const body = corpusText(SEARCH);
    const observations = observationsOf(request.parse(body, entry.url));
    const next = request.next!(observations, { id: 'tt0133093', ids: {} }, { body, url: entry.url });
    expect(next.map((r) => r.url)).toEqual(['https://www.metacritic.com/movie/the-matrix/']);
    expect(filmPageRequest('movie/the-matrix-4').url).toBe('https://www.metacritic.com/movie/the-matrix-4/');
  });

  it('a search that falls back from a page does not ask for that same page again', () => {
    const movie: MovieContext = { id: 'tt0133093', ids: { metacritic: 'movie/the-matrix' }, title: 'The Matrix', year: 1999 };
    const search = metacritic.requests(movie)[0]!.fallback![0]!;
    const entry = corpusEntry(SEARCH);
    const body = corpusText(SEARCH);
    const answer = { body, url: entry.url };
    expect(search.next!(observationsOf(search.parse(body, entry.url)), movie, answer)).toEqual([]);
    // A search that finds another slug (a renamed page) asks for it.
    const renamed = searchRequest('The Matrix', 1999, 'movie/matrix');
    expect(renamed.next!(observationsOf(renamed.parse(body, entry.url)), movie, answer).map((r) => r.url)).toEqual([
      'https://www.metacritic.com/movie/the-matrix/',
    ]);
  });
});

describe('replayed from the corpus', () => {
  const corpus = ReplayCorpus.load(CORPUS_DIR, new Map());

  const crawlFilm = (movie: MovieContext) => crawl(corpus, metacritic.requests(movie), movie, FILING);

  it('a film with a known slug: its page', () => {
    const { files, observations } = crawlFilm({ id: 'tt0468569', ids: { metacritic: 'movie/the-dark-knight' } });
    expect(files).toEqual([DARK_KNIGHT]);
    expect(onlyScore(observations, 'metacritic')).toMatchObject({ metascore: 85, criticCount: 41 });
  });

  it('a film known by title: the search, then its page (not recorded)', () => {
    const { files, observations, unanswered } = crawlFilm({ id: 'tt0133093', ids: { imdb: 'tt0133093' }, title: 'The Matrix', year: 1999 });
    expect(files).toEqual([SEARCH]);
    expect(unanswered).toEqual(['https://www.metacritic.com/movie/the-matrix/']);
    expect(one(observations, 'ids').ids).toEqual({ metacritic: 'movie/the-matrix' });
  });
});

describe('source definition', () => {
  it('is polite: one request at a time, 2 s apart, robots.txt read', () => {
    expect(metacritic).toMatchObject({
      id: 'metacritic',
      hosts: ['www.metacritic.com'],
      limits: { concurrency: 1, minIntervalMs: 2000 },
      robots: true,
      refresh: { score: 1, default: 7 },
    });
    expect(metacritic.gives.includes('\n')).toBe(false);
  });
});
