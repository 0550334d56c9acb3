/**
 * TMDB source: every TMDB file of the recorded corpus, each `expected` value asserted field by field (a key
 * without an assertion fails the test), plus the traps the corpus does not hold (stinger keywords, broken
 * bodies, rate-limit errors) built from real bodies, and the request chain replayed from the corpus.
 */
import { describe, expect, it } from 'vitest';
import {
  IdentityMismatchError,
  NoMatchError,
  OutOfRangeError,
  SourceApiError,
  UnexpectedContentError,
} from '../../src/errors.ts';
import { ReplayCorpus, type CorpusEntry } from '../../src/http/replay.ts';
import type { ParsedObservation } from '../../src/schema/observation.ts';
import type { MovieContext, SourceRequest } from '../../src/scrapers/source.ts';
import {
  changesRequest,
  DETAILS_APPEND,
  creditScenesTtl,
  detailsRequest,
  searchRequest,
  tmdb,
} from '../../src/scrapers/tmdb/index.ts';
import {
  parseApiError,
  parseChangeList,
  parseChangeTime,
  parseCreditsResponse,
  parseExternalIdsResponse,
  parseFind,
  parseFindResults,
  parseKeywordsResponse,
  parseLegacyReleasesResponse,
  parseMovieChanges,
  parseMovieResponse,
  parseReleaseDatesResponse,
  parseSearch,
  parseSearchResults,
  parseUpcoming,
  parseUpcomingResults,
  pickSearchMatch,
  stingerKeywordsOf,
  type MovieListEntry,
} from '../../src/scrapers/tmdb/parse.ts';
import { CORPUS_DIR, corpusEntries, corpusEntry, corpusText, expectedOf } from '../helpers/corpus.ts';
import { assertEvery, crawl, editedJson, expectValid, find, observationsOf, one, onlyScore, presentIds } from '../helpers/observations.ts';
import { sameTitle, titleKey } from '../../src/scrapers/match.ts';

function listView(results: readonly MovieListEntry[]): { title: string | null; year: number | null; id: number; score: number | null }[] {
  return results.map(({ title, year, id, score }) => ({ title, year, id, score }));
}

/** Expected result lists give the first few results, in order. */
function expectResultsStartWith(results: readonly MovieListEntry[], expected: unknown): void {
  const wanted = expected as unknown[];
  expect(listView(results).slice(0, wanted.length)).toEqual(wanted);
}

// ---------------------------------------------------------------------------------------------------------

const tmdbEntries = corpusEntries((e) => e.source === 'tmdb');

function assertMovieEntry(entry: CorpusEntry, body: string): void {
  const parsed = parseMovieResponse(body, entry.url);
  const { movie, observations } = parsed;
  expectValid(observations, { source: 'tmdb', url: entry.url });
  const details = one(observations, 'details');
  const score = onlyScore(observations, 'tmdb');
  const ids = one(observations, 'ids');
  // A section the body does not carry gives no observation (absent, not empty).
  expect(find(observations, 'credits') !== undefined).toBe(movie.credits !== undefined);
  expect(find(observations, 'releases') !== undefined).toBe(movie.release_dates !== undefined || movie.releases !== undefined);
  if (!movie.keywords) expect(find(observations, 'creditScenes')).toBeUndefined();

  assertEvery(expectedOf(entry), {
    title: (v) => {
      if (entry.locale) {
        expect(details.localizedTitle).toBe(v);
        expect(details.language).toBe(entry.locale);
        expect('title' in details).toBe(false);
      } else {
        expect(details.title).toBe(v);
        expect(details.localizedTitle).toBeUndefined();
      }
    },
    originalTitle: (v) => expect(details.originalTitle).toBe(v),
    year: (v) => expect(details.year).toBe(v),
    releaseDate: (v) => expect(details.releaseDate).toBe(v),
    runtimeMinutes: (v) => expect(details.runtimeMinutes).toBe(v),
    status: (v) => expect(details.status).toBe(v),
    tmdbVoteAverage: (v) => expect(score.voteAverage).toBe(v),
    tmdbVoteCount: (v) => {
      if (v === 0) {
        expect(score.voteCount).toBeNull();
        expect(score.voteAverage).toBeNull();
      } else expect(score.voteCount).toBe(v);
    },
    ids: (v) => {
      expect(ids.ids).toEqual(presentIds(v));
      for (const o of observations) expect(o.ids).toEqual(ids.ids);
    },
    castCount: (v) => expect(movie.credits?.cast.length).toBe(v),
    crewCount: (v) => expect(movie.credits?.crew.length).toBe(v),
    directors: (v) => expect(one(observations, 'credits').directors).toEqual(v),
    releaseDateCountries: (v) => {
      expect(movie.release_dates?.results.length).toBe(v);
      expect(one(observations, 'releases').countries).toBe(v);
    },
    alternativeTitleCount: (v) => expect(movie.alternative_titles?.titles.length).toBe(v),
    keywordCount: (v) => {
      expect(movie.keywords?.keywords.length).toBe(v);
      expect(find(observations, 'creditScenes') !== undefined).toBe((v as number) > 0);
    },
    stingerKeywords: (v) => {
      expect(stingerKeywordsOf(movie.keywords!.keywords)).toEqual(v);
      const scenes = find(observations, 'creditScenes');
      if (scenes) {
        expect(scenes.during).toBe((v as string[]).includes('duringcreditsstinger'));
        expect(scenes.after).toBe((v as string[]).includes('aftercreditsstinger'));
      }
    },
  });
}

function assertEntry(entry: CorpusEntry): void {
  const body = corpusText(entry.file);
  const expected = expectedOf(entry);
  switch (entry.kind) {
    case 'movie':
    case 'movie+append':
    case 'latest':
      return assertMovieEntry(entry, body);
    case 'keywords': {
      const parsed = parseKeywordsResponse(body, entry.url);
      expectValid(parsed.observations, { source: 'tmdb', url: entry.url });
      const scenes = one(parsed.observations, 'creditScenes');
      return assertEvery(expected, {
        ids: (v) => expect(scenes.ids).toEqual(presentIds(v)),
        keywordCount: (v) => {
          expect(parsed.keywords.length).toBe(v);
          expect(scenes.detail).toBe(`TMDB keywords (${v as number}) without stinger keywords`);
        },
        stingerKeywords: (v) => {
          expect(parsed.stingerKeywords).toEqual(v);
          expect(scenes).toMatchObject({ during: false, after: false, strength: 'weak', scenes: [] });
        },
        firstKeyword: (v) => expect(parsed.keywords[0]).toBe(v),
      });
    }
    case 'credits': {
      const parsed = parseCreditsResponse(body, entry.url);
      expectValid(parsed.observations, { source: 'tmdb', url: entry.url });
      const credits = one(parsed.observations, 'credits');
      expect(credits.cast).toHaveLength(10);
      return assertEvery(expected, {
        ids: (v) => expect(credits.ids).toEqual(presentIds(v)),
        castCount: (v) => expect(parsed.response.cast.length).toBe(v),
        crewCount: (v) => expect(parsed.response.crew.length).toBe(v),
        directors: (v) => expect(credits.directors).toEqual(v),
        firstCast: (v) => {
          const { name, character, order } = v as { name: string; character: string; order: number };
          expect(parsed.response.cast[0]).toMatchObject({ name, character, order });
          expect(credits.cast[0]).toEqual({ name, character });
        },
      });
    }
    case 'external_ids': {
      const parsed = parseExternalIdsResponse(body, entry.url);
      expectValid(parsed.observations, { source: 'tmdb', url: entry.url });
      return assertEvery(expected, {
        ids: (v) => {
          expect(parsed.ids).toEqual(presentIds(v));
          expect(one(parsed.observations, 'ids').ids).toEqual(presentIds(v));
        },
        facebook: (v) => expect(parsed.social.facebook).toBe(v),
        instagram: (v) => expect(parsed.social.instagram).toBe(v),
        twitter: (v) => expect(parsed.social.twitter).toBe(v),
      });
    }
    case 'release_dates': {
      const parsed = parseReleaseDatesResponse(body, entry.url);
      expectValid(parsed.observations, { source: 'tmdb', url: entry.url });
      const releases = one(parsed.observations, 'releases');
      return assertEvery(expected, {
        ids: (v) => expect(releases.ids).toEqual(presentIds(v)),
        countries: (v) => {
          expect(parsed.countries).toBe(v);
          expect(releases.countries).toBe(v);
        },
        usEntries: (v) => expect(parsed.usEntries).toEqual(v),
        usTheatrical: (v) => {
          expect(parsed.usTheatrical).toEqual(v);
          const { date, certification } = v as { date: string; certification: string };
          expect(releases).toMatchObject({ usTheatricalDate: date, usCertification: certification });
        },
      });
    }
    case 'releases-legacy': {
      const parsed = parseLegacyReleasesResponse(body, entry.url);
      expectValid(parsed.observations, { source: 'tmdb', url: entry.url });
      const releases = one(parsed.observations, 'releases');
      return assertEvery(expected, {
        ids: (v) => expect(releases.ids).toEqual(presentIds(v)),
        // The corpus counts entries of countries[] (68); a country may appear several times, so the
        // observation counts distinct countries (asserted in the targeted release tests).
        countries: (v) => expect(parsed.response.countries.length).toBe(v),
        usEntries: (v) => expect(parsed.usEntries).toEqual(v),
      });
    }
    case 'changes': {
      const parsed = parseMovieChanges(body, entry.url);
      return assertEvery(expected, {
        changeKeys: (v) => expect(parsed.keys).toEqual(v),
        itemCount: (v) => expect(parsed.items.length).toBe(v),
        items: (v) => {
          // The corpus gives TMDB's own "YYYY-MM-DD HH:MM:SS UTC"; the parser gives ISO 8601.
          const wanted = (v as { action: string; time: string; hasOriginalValue: boolean }[]).map((item) => ({
            ...item,
            time: item.time.replace(' ', 'T').replace(' UTC', 'Z'),
          }));
          expect(parsed.items.map(({ action, time, hasOriginalValue }) => ({ action, time, hasOriginalValue }))).toEqual(wanted);
        },
      });
    }
    case 'changes-list': {
      const parsed = parseChangeList(body, entry.url);
      return assertEvery(expected, {
        page: (v) => expect(parsed.page).toBe(v),
        totalPages: (v) => expect(parsed.totalPages).toBe(v),
        totalResults: (v) => expect(parsed.totalResults).toBe(v),
        resultCount: (v) => expect(parsed.movies.length).toBe(v),
        firstIds: (v) => expect(parsed.movies.slice(0, (v as number[]).length).map((m) => m.id)).toEqual(v),
        adultNullCount: (v) => expect(parsed.movies.filter((m) => m.adult === null).length).toBe(v),
      });
    }
    case 'search': {
      const parsed = parseSearchResults(body, entry.url);
      return assertEvery(expected, {
        page: (v) => expect(parsed.page).toBe(v),
        totalPages: (v) => expect(parsed.totalPages).toBe(v),
        totalResults: (v) => expect(parsed.totalResults).toBe(v),
        resultCount: (v) => expect(parsed.results.length).toBe(v),
        results: (v) => expectResultsStartWith(parsed.results, v),
      });
    }
    case 'find': {
      const parsed = parseFindResults(body, entry.url);
      return assertEvery(expected, {
        results: (v) => expect(listView(parsed.results)).toEqual(v),
        mediaArrays: (v) => expect(parsed.mediaArrays).toEqual(v),
      });
    }
    case 'upcoming': {
      const parsed = parseUpcomingResults(body, entry.url);
      return assertEvery(expected, {
        dates: (v) => expect(parsed.dates).toEqual(v),
        page: (v) => expect(parsed.page).toBe(v),
        totalPages: (v) => expect(parsed.totalPages).toBe(v),
        totalResults: (v) => expect(parsed.totalResults).toBe(v),
        results: (v) => expectResultsStartWith(parsed.results, v),
      });
    }
    case 'error': {
      const error = tmdb.apiError(entry.status!, body, entry.url);
      expect(error).toBeInstanceOf(SourceApiError);
      return assertEvery(expected, {
        error: (v) => {
          const { status, code, message } = v as { status: number; code: number | null; message: string };
          expect(entry.status).toBe(status);
          expect(error).toMatchObject({ status, apiCode: code, apiMessage: message, source: 'tmdb', url: entry.url });
        },
      });
    }
    default:
      throw new Error(`no assertions for TMDB corpus kind "${entry.kind}" (${entry.file})`);
  }
}

describe('TMDB corpus: every file, every expected value', () => {
  it.each(tmdbEntries.map((e) => [e.file, e] as const))('%s', (_file, entry) => assertEntry(entry));
});

// ---------------------------------------------------------------------------------------------------------

const FIGHT_CLUB_DETAILS = 'tmdb/fight-club-550__movie-details__18months-2022.json';
const AVENGERS_FR = 'tmdb/avengers-endgame-299534__movie-details+append-language-fr-PRE-RELEASE__sensorr-2019.json';
const DIE_HARD_DE = 'tmdb/die-hard-562__movie-details-language-de__ahmetabdi-2014.json';
const BEFORE_SUNRISE = 'tmdb/before-sunrise-76__movie-details+append-ALL-TRIMMED__leandcesar-2024.json';
const JACK_REACHER = 'tmdb/jack-reacher-never-go-back-343611__movie-details+external_ids__subliminal-2025.json';
const KEYWORDS_2024 = 'tmdb/fight-club-550__keywords__jdrouet-2024.json';

describe('details', () => {
  it('reads every detail field of an English body', () => {
    const { url } = corpusEntry(FIGHT_CLUB_DETAILS);
    const details = one(parseMovieResponse(corpusText(FIGHT_CLUB_DETAILS), url).observations, 'details');
    expect(details).toMatchObject({
      title: 'Fight Club',
      genres: ['Drama', 'Thriller', 'Comedy'],
      countries: ['DE', 'US'],
      languages: ['en'],
      status: 'Released',
    });
    expect(details.companies).toContain('Regency Enterprises');
    expect(details.companies).toHaveLength(6);
    expect(details.synopsis).toMatch(/^A ticking-time-bomb insomniac/);
  });

  it('keeps a localised title apart and drops localised text (French)', () => {
    const { url } = corpusEntry(AVENGERS_FR);
    const { observations, localized } = parseMovieResponse(corpusText(AVENGERS_FR), url);
    expect(localized).toBe(true);
    const details = one(observations, 'details');
    expect(details.localizedTitle).toBe('Avengers : Endgame');
    expect(details.language).toBe('fr');
    for (const key of ['title', 'genres', 'synopsis']) expect(key in details, key).toBe(false);
    // Language-neutral values stay.
    expect(details).toMatchObject({ originalTitle: 'Avengers: Endgame', runtimeMinutes: 180, releaseDate: '2019-04-24', languages: ['en'] });
    expect(one(observations, 'credits').cast[0]).toEqual({ name: 'Robert Downey Jr.', character: 'Tony Stark / Iron Man' });
  });

  it('treats German like French, and en-US like English', () => {
    const body = corpusText(DIE_HARD_DE);
    const german = one(parseMovieResponse(body, 'https://api.themoviedb.org/3/movie/562?language=de').observations, 'details');
    expect(german).toMatchObject({ localizedTitle: 'Stirb Langsam', language: 'de', originalTitle: 'Die Hard' });
    expect('title' in german).toBe(false);
    const english = one(parseMovieResponse(body, 'https://api.themoviedb.org/3/movie/562?language=en-US').observations, 'details');
    expect(english.title).toBe('Stirb Langsam');
    expect(english.localizedTitle).toBeUndefined();
  });

  it('turns stub values into null: empty release date, runtime 0, 0 votes, null imdb_id', () => {
    const entry = corpusEntry('tmdb/better-than-me-1236474__movie-latest__jdrouet-2024.json');
    const { observations } = parseMovieResponse(corpusText(entry.file), entry.url);
    expect(one(observations, 'details')).toMatchObject({ releaseDate: null, year: null, runtimeMinutes: null, synopsis: null, genres: [] });
    expect(one(observations, 'score')).toMatchObject({ voteAverage: null, voteCount: null });
    expect(one(observations, 'ids').ids).toEqual({ tmdb: 1236474 });
  });

  it('reads the 2014 shape with popularity as a string and no original_language', () => {
    const entry = corpusEntry('tmdb/superman-batman-public-enemies-22855__movie-details+append-legacy__ahmetabdi-2014.json');
    expect(corpusText(entry.file)).toContain('"popularity":"0.899541407888388"');
    const { observations } = parseMovieResponse(corpusText(entry.file), entry.url);
    expect(one(observations, 'score')).toEqual(expect.objectContaining({ voteAverage: 7.3, voteCount: 26 }));
  });

  it('drops the "xx" (no language) spoken language', () => {
    const body = editedJson(FIGHT_CLUB_DETAILS, (json) => {
      json.spoken_languages = [{ iso_639_1: 'xx', name: 'No Language' }, { iso_639_1: 'en', name: 'English' }];
    });
    expect(one(parseMovieResponse(body, corpusEntry(FIGHT_CLUB_DETAILS).url).observations, 'details').languages).toEqual(['en']);
  });

  it('keeps the top 10 cast by billing order, not array order', () => {
    const entry = corpusEntry(AVENGERS_FR);
    const body = editedJson(AVENGERS_FR, (json) => {
      (json.credits as { cast: unknown[] }).cast.reverse();
    });
    const credits = one(parseMovieResponse(body, entry.url).observations, 'credits');
    expect(credits.cast).toHaveLength(10);
    expect(credits.cast[0]!.name).toBe('Robert Downey Jr.');
    expect(credits.directors).toEqual(['Joe Russo', 'Anthony Russo']);
  });

  it('rejects a vote average outside 0-10 rather than passing it on', () => {
    const body = editedJson(FIGHT_CLUB_DETAILS, (json) => {
      json.vote_average = 84.28;
    });
    expect(() => parseMovieResponse(body, corpusEntry(FIGHT_CLUB_DETAILS).url)).toThrow(OutOfRangeError);
  });

  it('refuses a body about another film than the URL asks for', () => {
    expect(() => parseMovieResponse(corpusText(FIGHT_CLUB_DETAILS), 'https://api.themoviedb.org/3/movie/551')).toThrow(IdentityMismatchError);
    expect(() => parseKeywordsResponse(corpusText(KEYWORDS_2024), 'https://api.themoviedb.org/3/movie/5/keywords')).toThrow(
      IdentityMismatchError,
    );
  });
});

describe('bodies that are not what a parser expects', () => {
  const url = 'https://api.themoviedb.org/3/movie/550';
  const truncated = corpusText(FIGHT_CLUB_DETAILS).slice(0, 700);

  it.each([
    ['HTML where JSON was expected', '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>'],
    ['an empty body', ''],
    ['a whitespace-only body', ' \n'],
    ['a truncated JSON body', truncated],
    ['JSON of another shape', '[]'],
    ['a details body without a title', '{"id": 550, "vote_average": 8.4}'],
  ])('%s → UnexpectedContentError', (_what, body) => {
    expect(() => parseMovieResponse(body, url)).toThrow(UnexpectedContentError);
  });

  it('says why, with the URL', () => {
    expect(() => parseMovieResponse('', url)).toThrow(/empty body/);
    expect(() => parseMovieResponse('<html></html>', url)).toThrow(/HTML/);
    expect(() => parseMovieResponse(truncated, url)).toThrow(/not JSON/);
    expect(() => parseMovieResponse('{"id": 550}', url)).toThrow(/title/);
  });

  it('every parser refuses HTML and truncated JSON', () => {
    const parsers: [string, (body: string, url: string) => unknown][] = [
      ['keywords', parseKeywordsResponse],
      ['credits', parseCreditsResponse],
      ['external ids', parseExternalIdsResponse],
      ['release dates', parseReleaseDatesResponse],
      ['legacy releases', parseLegacyReleasesResponse],
      ['search', parseSearchResults],
      ['find', parseFindResults],
      ['upcoming', parseUpcomingResults],
      ['changes', parseMovieChanges],
      ['change list', parseChangeList],
    ];
    for (const [name, parse] of parsers) {
      expect(() => parse('<html><body>Service Unavailable</body></html>', url), name).toThrow(UnexpectedContentError);
      expect(() => parse('{"results": [', url), name).toThrow(UnexpectedContentError);
      expect(() => parse('{}', url), name).toThrow(UnexpectedContentError);
    }
  });

  it('throws a TMDB error body served with 200 as the API error it is', () => {
    const body = corpusText('tmdb/error-404-resource-not-found__jdrouet-2022.json');
    expect(() => parseMovieResponse(body, url)).toThrow(SourceApiError);
  });
});

describe('keywords → credit scenes', () => {
  const url = corpusEntry(KEYWORDS_2024).url;
  // No corpus file holds a stinger keyword: these bodies are a real keyword list with one added.
  const withKeywords = (...added: { id: number; name: string }[]) =>
    editedJson(KEYWORDS_2024, (json) => {
      (json.keywords as unknown[]).push(...added);
    });
  const AFTER = { id: 179430, name: 'aftercreditsstinger' };
  const DURING = { id: 179431, name: 'duringcreditsstinger' };

  it('aftercreditsstinger → after true, during weakly false', () => {
    const parsed = parseKeywordsResponse(withKeywords(AFTER), url);
    expectValid(parsed.observations, { source: 'tmdb', url });
    expect(parsed.stingerKeywords).toEqual(['aftercreditsstinger']);
    expect(one(parsed.observations, 'creditScenes')).toMatchObject({
      during: false,
      after: true,
      strength: 'weak',
      scenes: [],
      detail: 'TMDB keywords: aftercreditsstinger',
    });
  });

  it('duringcreditsstinger and aftercreditsstinger → both true', () => {
    const scenes = one(parseKeywordsResponse(withKeywords(AFTER, DURING), url).observations, 'creditScenes');
    expect(scenes).toMatchObject({ during: true, after: true, detail: 'TMDB keywords: duringcreditsstinger, aftercreditsstinger' });
  });

  it('matches a stinger keyword by id or by name', () => {
    expect(stingerKeywordsOf([{ id: 179431, name: 'renamed' }])).toEqual(['duringcreditsstinger']);
    expect(stingerKeywordsOf([{ id: 1, name: 'AfterCreditsStinger' }])).toEqual(['aftercreditsstinger']);
  });

  it('reads appended keywords at keywords.keywords[]', () => {
    const entry = corpusEntry(BEFORE_SUNRISE);
    const body = editedJson(BEFORE_SUNRISE, (json) => {
      (json.keywords as { keywords: unknown[] }).keywords.push(DURING);
    });
    const scenes = one(parseMovieResponse(body, entry.url).observations, 'creditScenes');
    expect(scenes).toMatchObject({ during: true, after: false, strength: 'weak', detail: 'TMDB keywords: duringcreditsstinger' });
  });

  it('an empty keyword list says nothing: no observation', () => {
    const body = editedJson('tmdb/four-rooms-5__keywords__ahmetabdi-2013.json', (json) => {
      json.keywords = [];
    });
    const parsed = parseKeywordsResponse(body, 'https://api.themoviedb.org/3/movie/5/keywords');
    expect(parsed.observations).toEqual([]);
    const details = editedJson(BEFORE_SUNRISE, (json) => {
      (json.keywords as { keywords: unknown[] }).keywords = [];
    });
    expect(find(parseMovieResponse(details, corpusEntry(BEFORE_SUNRISE).url).observations, 'creditScenes')).toBeUndefined();
  });
});

describe('release dates', () => {
  it('takes the US type-3 release; an empty certification is null', () => {
    const entry = corpusEntry(AVENGERS_FR);
    const releases = one(parseMovieResponse(corpusText(entry.file), entry.url).observations, 'releases');
    expect(releases).toMatchObject({ countries: 15, usTheatricalDate: '2019-04-26', usCertification: null });
  });

  it('counts distinct countries in the legacy shape, as release_dates does', () => {
    const legacy = corpusEntry('tmdb/fight-club-550__releases-legacy__18months-2022.json');
    const parsed = parseLegacyReleasesResponse(corpusText(legacy.file), legacy.url);
    expect(parsed.countries).toBe(50);
    expect(one(parsed.observations, 'releases')).toMatchObject({ countries: 50, usTheatricalDate: '1999-10-15', usCertification: 'R' });
    const current = corpusEntry('tmdb/fight-club-550__release_dates__jdrouet-2024.json');
    expect(parseReleaseDatesResponse(corpusText(current.file), current.url).countries).toBe(50);
  });

  it('prefers release_dates over legacy releases when a body carries both, and reads legacy-only appends', () => {
    const riddick = corpusEntry('tmdb/riddick-87421__movie-details+append-ALL-legacy-composite__phptmdb.json');
    expect(one(parseMovieResponse(corpusText(riddick.file), riddick.url).observations, 'releases')).toMatchObject({
      countries: 46,
      usTheatricalDate: '2013-09-06',
      usCertification: 'R',
    });
    const superman = corpusEntry('tmdb/superman-batman-public-enemies-22855__movie-details+append-legacy__ahmetabdi-2014.json');
    const parsed = parseMovieResponse(corpusText(superman.file), superman.url);
    expect(one(parsed.observations, 'releases')).toMatchObject({ countries: 1, usTheatricalDate: '2009-09-29', usCertification: 'PG-13' });
    expect(parsed.sections).toContain('release_dates');
  });
});

describe('lists: search, find, upcoming', () => {
  const search = (file: string) => {
    const entry = corpusEntry(`tmdb/${file}`);
    return parseSearchResults(corpusText(entry.file), entry.url);
  };

  it('scores zero-vote results null and keeps empty release dates null', () => {
    const page2 = search('search-movie-james-bond-page2__subliminal-2025.json');
    expect(page2.results.find((r) => r.id === 1184696)).toMatchObject({ year: null, releaseDate: null, score: null, voteCount: null });
  });

  it('picks the one exact title and primary-year match', () => {
    const list = search('search-movie-man-of-steel__subliminal-2025.json');
    const url = 'https://api.themoviedb.org/3/search/movie?query=Man+of+Steel';
    expect(pickSearchMatch(list, { title: 'Man of Steel', year: 2013 }, url).id).toBe(49521);
    expect(pickSearchMatch(list, { title: 'man of steel', year: 1967 }, url).id).toBe(334166);
    expect(() => pickSearchMatch(list, { title: 'Man of Steel', year: 2020 }, url)).toThrow(NoMatchError);
    expect(() => pickSearchMatch(list, { title: 'Man of Steel' }, url)).toThrow(/3 results.*ambiguous/);
    // "Stalin: Man of Steel" is not "Man of Steel".
    expect(() => pickSearchMatch(list, { title: 'Stalin', year: 2003 }, url)).toThrow(NoMatchError);
  });

  it('checks the primary year again: TMDB year= matches any release in that year', () => {
    const list = search('search-movie-house-year1977__ahmetabdi-2020.json');
    const url = 'https://api.themoviedb.org/3/search/movie?query=House&year=1977';
    expect(() => pickSearchMatch(list, { title: 'House of Mortal Sin', year: 1977 }, url)).toThrow(NoMatchError);
    expect(pickSearchMatch(list, { title: 'House of Mortal Sin', year: 1976 }, url).id).toBe(106679);
  });

  it('compares titles folded, "&" as "and" (the one matcher of every title lookup)', () => {
    expect(titleKey('Spider-Man: No Way Home')).toBe('spider man no way home');
    expect(sameTitle('Amélie', 'AMELIE')).toBe(true);
    expect(sameTitle('Fast & Furious', 'Fast and Furious')).toBe(true);
    expect(sameTitle('Fast & Furious', 'Fast Five')).toBe(false);
  });

  it('a search without hits is no match', () => {
    const entry = corpusEntry('tmdb/search-movie-no-results__subliminal-2025.json');
    expect(() => parseSearch(corpusText(entry.file), entry.url, { title: 'Meen of Stal' })).toThrow(NoMatchError);
  });

  it('find links the IMDb id to the one film found, with the summary the result carries', () => {
    const entry = corpusEntry('tmdb/find-imdb-tt0137523-fight-club__adamayoung.json');
    const observations = parseFind(corpusText(entry.file), entry.url);
    expectValid(observations, { source: 'tmdb', url: entry.url });
    const ids = { tmdb: 550, imdb: 'tt0137523' };
    expect(observations).toEqual([
      { source: 'tmdb', url: entry.url, kind: 'ids', ids },
      { source: 'tmdb', url: entry.url, kind: 'details', ids, title: 'Fight Club', originalTitle: 'Fight Club', releaseDate: '1999-10-15', year: 1999 },
      { source: 'tmdb', url: entry.url, kind: 'score', group: 'tmdb', ids, voteAverage: 8.436, voteCount: expect.any(Number) },
    ]);
    const empty = editedJson(entry.file, (json) => {
      json.movie_results = [];
    });
    expect(() => parseFind(empty, entry.url)).toThrow(NoMatchError);
  });

  it('upcoming gives one observation set per film, filed under its TMDB id', () => {
    const entry = corpusEntry('tmdb/movie-upcoming-list__jdrouet-2024.json');
    const observations = parseUpcoming(corpusText(entry.file), entry.url);
    expectValid(observations, { source: 'tmdb', url: entry.url });
    expect(observations).toHaveLength(20 * 3);
    const wonka = observations.filter((o) => o.ids.tmdb === 787699);
    expect(wonka.map((o) => o.kind)).toEqual(['ids', 'details', 'score']);
    expect(one(wonka, 'details')).toMatchObject({ title: 'Wonka', originalTitle: 'Wonka', releaseDate: '2023-12-06', year: 2023 });
    expect(one(wonka, 'score')).toMatchObject({ group: 'tmdb', voteAverage: 7.2, voteCount: 1411 });
  });
});

describe('change feeds', () => {
  it('never pages on total_results (the 2022 capture says 1 with 2687 ids)', () => {
    const old = corpusEntry('tmdb/movie-changes-list__18months-2022.json');
    expect(parseChangeList(corpusText(old.file), old.url)).toMatchObject({ totalResults: 1, morePages: false });
    const current = corpusEntry('tmdb/movie-changes-list__jdrouet-2024.json');
    expect(parseChangeList(corpusText(current.file), current.url).morePages).toBe(true);
  });

  it('parses change times to ISO 8601 and refuses unknown forms', () => {
    expect(parseChangeTime('2022-10-10 17:09:48 UTC')).toBe('2022-10-10T17:09:48Z');
    expect(parseChangeTime('2022-10-10T17:09:48.000Z')).toBe('2022-10-10T17:09:48Z');
    expect(parseChangeTime('2022-02-30 17:09:48 UTC')).toBeNull();
    expect(parseChangeTime('10/10/2022')).toBeNull();
    const entry = corpusEntry('tmdb/fight-club-550__changes-start2022-10-10__jdrouet-2024.json');
    const parsed = parseMovieChanges(corpusText(entry.file), entry.url);
    expect(parsed.tmdbId).toBe(550);
    expect(parsed.items[1]).toMatchObject({ key: 'images', language: 'he', country: null });
    const broken = corpusText(entry.file).replace('2022-10-10 17:09:48 UTC', 'yesterday');
    expect(() => parseMovieChanges(broken, entry.url)).toThrow(UnexpectedContentError);
  });
});

describe('API errors', () => {
  const url = 'https://api.themoviedb.org/3/movie/550';

  it('maps TMDB codes to kinds', () => {
    const error = (status: number, code: number) =>
      tmdb.apiError(status, JSON.stringify({ success: false, status_code: code, status_message: 'm' }), url) as SourceApiError;
    expect(error(401, 7).kind).toBe('auth');
    expect(error(404, 34).kind).toBe('not-found');
    expect(error(400, 22).kind).toBe('invalid-request');
    expect(error(422, 20).kind).toBe('invalid-request');
    const limited = error(429, 25);
    expect(limited).toMatchObject({ kind: 'rate-limited', code: 'api-rate-limited', retryable: true, apiCode: 25 });
    expect(error(503, 46)).toMatchObject({ kind: 'server', retryable: true });
    expect(error(401, 7).retryable).toBe(false);
  });

  it('reads the {"errors": [...]} shape', () => {
    const error = tmdb.apiError(422, '{"errors":["page must be less than or equal to 500","query must be provided"]}', url);
    expect(error).toMatchObject({ apiCode: null, apiMessage: 'page must be less than or equal to 500; query must be provided', kind: 'invalid-request' });
  });

  it('returns null for a body that is not a TMDB error', () => {
    expect(tmdb.apiError(502, '<html><body>Bad Gateway</body></html>', url)).toBeNull();
    expect(tmdb.apiError(500, '', url)).toBeNull();
    expect(tmdb.apiError(200, corpusText(FIGHT_CLUB_DETAILS), url)).toBeNull();
    expect(tmdb.apiError(201, '{"success":true,"status_code":1,"status_message":"Success."}', url)).toBeNull();
    expect(parseApiError(404, '{"errors":[]}', url)).toBeNull();
  });
});

describe('requests', () => {
  const fightClub: MovieContext = { id: 'tt0137523', ids: { tmdb: 550, imdb: 'tt0137523' }, title: 'Fight Club', year: 1999 };

  function parseWith(request: SourceRequest, file: string): ParsedObservation[] {
    return observationsOf(request.parse(corpusText(file), corpusEntry(file).url));
  }

  /** `next` of a request, as the pipeline calls it: with what parse returned and the answer itself. */
  function nextOf(request: SourceRequest, file: string, movie: MovieContext): SourceRequest[] {
    const answer = { body: corpusText(file), url: corpusEntry(file).url };
    return request.next!(observationsOf(request.parse(answer.body, answer.url)), movie, answer);
  }

  it('asks for details with the sub-resources appended when the TMDB id is known', () => {
    const requests = tmdb.requests(fightClub);
    expect(requests.map((r) => r.url)).toEqual([`https://api.themoviedb.org/3/movie/550?append_to_response=${DETAILS_APPEND}`]);
    expect(DETAILS_APPEND).toBe('credits,external_ids,keywords,release_dates');
  });

  it('asks for every section a plain details body lacks, release_dates with the legacy fallback', () => {
    const [details] = tmdb.requests(fightClub);
    const next = nextOf(details!, FIGHT_CLUB_DETAILS, fightClub);
    expect(next.map((r) => r.url)).toEqual([
      'https://api.themoviedb.org/3/movie/550/credits',
      'https://api.themoviedb.org/3/movie/550/keywords',
      'https://api.themoviedb.org/3/movie/550/external_ids',
      'https://api.themoviedb.org/3/movie/550/release_dates',
    ]);
    expect(next[3]!.fallback?.map((r) => r.url)).toEqual(['https://api.themoviedb.org/3/movie/550/releases']);
  });

  it('a details body without keywords asks for /keywords (and what else it lacks)', () => {
    const movie: MovieContext = { id: 'tt3393786', ids: { tmdb: 343611 } };
    const [details] = tmdb.requests(movie);
    const next = nextOf(details!, JACK_REACHER, movie);
    expect(next.map((r) => new URL(r.url).pathname)).toEqual([
      '/3/movie/343611/credits',
      '/3/movie/343611/keywords',
      '/3/movie/343611/release_dates',
    ]);
    const avengers = detailsRequest(299534);
    const avengersNext = nextOf(avengers, AVENGERS_FR, { id: 'tt4154796', ids: { tmdb: 299534 } });
    expect(avengersNext.map((r) => new URL(r.url).pathname)).toEqual(['/3/movie/299534/keywords', '/3/movie/299534/external_ids']);
  });

  it('a body with all sections asks for nothing more (read from the body: an empty list or a null id is present)', () => {
    const entry = corpusEntry(BEFORE_SUNRISE);
    const movie: MovieContext = { id: 'tt0112471', ids: { tmdb: 76 } };
    expect(parseMovieResponse(corpusText(entry.file), entry.url).missingSections).toEqual([]);
    // Its external_ids section carries a null Wikidata id: present, so not asked again.
    expect(nextOf(detailsRequest(76), BEFORE_SUNRISE, movie)).toEqual([]);
  });

  it('finds a film known only by IMDb id, then asks for its details', () => {
    const movie: MovieContext = { id: 'tt0137523', ids: { imdb: 'tt0137523' }, title: 'Fight Club', year: 1999 };
    const [findRequest] = tmdb.requests(movie);
    expect(findRequest!.url).toBe('https://api.themoviedb.org/3/find/tt0137523?external_source=imdb_id');
    expect(findRequest!.fallback?.map((r) => r.url)).toEqual(['https://api.themoviedb.org/3/search/movie?query=Fight+Club&year=1999']);
    const found = parseWith(findRequest!, 'tmdb/find-imdb-tt0137523-fight-club__adamayoung.json');
    const answer = { body: corpusText('tmdb/find-imdb-tt0137523-fight-club__adamayoung.json'), url: corpusEntry('tmdb/find-imdb-tt0137523-fight-club__adamayoung.json').url };
    expect(findRequest!.next!(found, movie, answer).map((r) => r.url)).toEqual([
      `https://api.themoviedb.org/3/movie/550?append_to_response=${DETAILS_APPEND}`,
    ]);
    expect(tmdb.requests({ id: 'tt0137523', ids: { imdb: 'tt0137523' } })[0]!.fallback).toBeUndefined();
    expect(tmdb.requests({ id: 'tmdb:1', ids: {} })).toEqual([]);
  });

  it('the search fallback picks by title and year, then asks for details', () => {
    const file = 'tmdb/search-movie-man-of-steel-year2013__subliminal-2025.json';
    const request = searchRequest('Man of Steel', 2013);
    const observations = parseWith(request, file);
    expect(observations).toMatchObject([{ kind: 'ids', ids: { tmdb: 49521 } }]);
    const answer = { body: corpusText(file), url: corpusEntry(file).url };
    expect(request.next!(observations, { id: 'tt0770828', ids: { imdb: 'tt0770828' } }, answer).map((r) => new URL(r.url).pathname)).toEqual([
      '/3/movie/49521',
    ]);
    expect(() => searchRequest('Superman', 2013).parse(corpusText(file), corpusEntry(file).url)).toThrow(NoMatchError);
  });

  it('discovers upcoming films, and reads the change feed since the last check when it is within 14 days', () => {
    const now = new Date('2026-11-27T03:00:00Z');
    expect(tmdb.discover({ now }).map((r) => r.url)).toEqual(['https://api.themoviedb.org/3/movie/upcoming?page=1']);
    expect(tmdb.discover({ now, lastCheckedAt: '2026-11-26T03:00:00Z' }).map((r) => r.url)).toEqual([
      'https://api.themoviedb.org/3/movie/upcoming?page=1',
      'https://api.themoviedb.org/3/movie/changes?start_date=2026-11-26&end_date=2026-11-27&page=1',
    ]);
    expect(tmdb.discover({ now, lastCheckedAt: '2026-10-01T03:00:00Z' })).toHaveLength(1);
  });

  it('the change feed marks the films it lists due, and pages on total_pages', () => {
    const file = 'tmdb/movie-changes-list__jdrouet-2024.json';
    const request = changesRequest('2024-02-01T00:00:00Z', new Date('2024-02-02T00:00:00Z'))!;
    const output = request.parse(corpusText(file), corpusEntry(file).url);
    expect(Array.isArray(output)).toBe(false);
    const { due, observations } = output as { due: { tmdb: number }[]; observations: unknown[] };
    expect(observations).toEqual([]);
    expect(due.slice(0, 3)).toEqual([{ tmdb: 118488 }, { tmdb: 797420 }, { tmdb: 595674 }]);
    expect(due).toHaveLength(100);
    const next = request.next!([], { id: '', ids: {} }, { body: corpusText(file), url: corpusEntry(file).url });
    expect(next.map((r) => new URL(r.url).searchParams.get('page'))).toEqual(['2']);
    // The 2022 capture says total_pages 1 (with 2687 ids and total_results 1): no second page.
    const odd = 'tmdb/movie-changes-list__18months-2022.json';
    expect(request.next!([], { id: '', ids: {} }, { body: corpusText(odd), url: corpusEntry(odd).url })).toEqual([]);
  });
});

describe('replayed from the corpus', () => {
  const corpus = ReplayCorpus.load(CORPUS_DIR, new Map([['api.themoviedb.org', tmdb.replay]]));

  const crawlFilm = (movie: MovieContext) => crawl(corpus, tmdb.requests(movie), movie, { source: 'tmdb' });

  it('a film whose details were not recorded: /find gives its summary, else /external_ids its ids (Inception, Barbie)', () => {
    const inception = crawlFilm({ id: 'tt1375666', ids: { tmdb: 27205, imdb: 'tt1375666' } });
    expect(inception.files).toEqual(['tmdb/find-imdb-tt1375666-inception__ahmetabdi-2013.json']);
    expect(inception.observations.find((o) => o.kind === 'details')).toMatchObject({ title: 'Inception', year: 2010 });
    const barbie = crawlFilm({ id: 'tt1517268', ids: { tmdb: 346698, imdb: 'tt1517268' } });
    expect(barbie.files).toEqual(['tmdb/barbie-346698__external_ids__adamayoung.json']);
    expect(barbie.observations).toMatchObject([{ kind: 'ids', ids: { tmdb: 346698, imdb: 'tt1517268', wikidata: 'Q55436290' } }]);
  });

  it('Fight Club: details, then each missing section from its own recording', () => {
    const { files, observations, unanswered } = crawlFilm({ id: 'tt0137523', ids: { tmdb: 550, imdb: 'tt0137523' } });
    expect(unanswered).toEqual([]);
    expect(files).toEqual([
      'tmdb/fight-club-550__movie-details__jdrouet-2024.json',
      'tmdb/fight-club-550__credits__jdrouet-2024.json',
      'tmdb/fight-club-550__keywords__jdrouet-2024.json',
      'tmdb/fight-club-550__external_ids__jdrouet-2024.json',
      'tmdb/fight-club-550__release_dates__jdrouet-2024.json',
    ]);
    expect(observations.map((o) => o.kind).sort()).toEqual(['creditScenes', 'credits', 'details', 'ids', 'ids', 'releases', 'score']);
    expect(one(observations, 'releases')).toMatchObject({ usTheatricalDate: '1999-10-15', usCertification: 'R' });
  });

  it('a film known by IMDb id only: find, then details', () => {
    const { files, observations } = crawlFilm({ id: 'tt0936501', ids: { imdb: 'tt0936501' }, title: 'Taken', year: 2008 });
    expect(files.slice(0, 2)).toEqual([
      'tmdb/find-imdb-tt0936501-taken__flexget-2017.json',
      'tmdb/taken-8681__movie-details+alternative_titles__flexget-2017.json',
    ]);
    expect(observations.filter((o) => o.kind === 'ids').map((o) => o.ids)).toContainEqual({ tmdb: 8681, imdb: 'tt0936501' });
  });

  it('a French recording answering a request without language gives a localised title', () => {
    const { observations } = crawlFilm({ id: 'tt4154796', ids: { tmdb: 299534 } });
    expect(one(observations, 'details')).toMatchObject({ localizedTitle: 'Avengers : Endgame', language: 'fr' });
  });
});

describe('source definition', () => {
  it('declares its host, limits, key and terms', () => {
    expect(tmdb).toMatchObject({
      id: 'tmdb',
      hosts: ['api.themoviedb.org'],
      limits: { concurrency: 8, minIntervalMs: 25 },
      replay: { defaultParams: { page: '1' }, caseInsensitiveParams: ['query'], variantParams: ['append_to_response', 'language'] },
    });
    expect(tmdb.auth.env).toBe('TMDB_API_KEY');
    expect(tmdb.terms.attribution).toBe('This product uses the TMDB API but is not endorsed or certified by TMDB.');
    expect(tmdb.gives.includes('\n')).toBe(false);
  });

  it('sends a v3 key as api_key and a v4 token as a Bearer header', () => {
    const url = new URL('https://api.themoviedb.org/3/movie/550?append_to_response=credits');
    const v3 = tmdb.auth.apply(url, '0123456789abcdef0123456789abcdef');
    expect(v3.url.searchParams.get('api_key')).toBe('0123456789abcdef0123456789abcdef');
    expect(v3.headers).toBeUndefined();
    const v4 = tmdb.auth.apply(url, 'eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl');
    expect(v4.headers).toEqual({ Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl' });
    expect(v4.url.searchParams.has('api_key')).toBe(false);
    expect(url.searchParams.has('api_key')).toBe(false);
  });

  it('refreshes credit scenes daily in a film\'s first 90 days, monthly otherwise', () => {
    const now = new Date('2024-06-01T12:00:00Z');
    const ttl = (releaseDate?: string) => creditScenesTtl({ id: 'tmdb:1', ids: {}, ...(releaseDate ? { releaseDate } : {}) }, now);
    expect(ttl('2024-05-20')).toBe(1);
    expect(ttl('2024-03-04')).toBe(1);
    expect(ttl('2024-03-01')).toBe(30);
    expect(ttl('2024-07-01')).toBe(30);
    expect(ttl()).toBe(30);
    expect(tmdb.refresh).toMatchObject({ score: 1, details: 7, credits: 30, ids: 30, releases: 30, default: 7 });
    expect(tmdb.refresh.creditScenes).toBe(creditScenesTtl);
  });
});
