/**
 * OMDb source: every OMDb file of the recorded corpus (the 2011 imdbapi.com bodies included), each
 * `expected` value asserted field by field (a key without an assertion fails the test); the traps the corpus
 * does not hold (key and quota errors, out-of-range scores, broken bodies) built from real bodies; and the
 * by-id request answered through the replay alias from a by-title recording.
 */
import { describe, expect, it } from 'vitest';
import { NoMatchError, OutOfRangeError, SourceApiError, UnexpectedContentError } from '../../src/errors.ts';
import { ReplayCorpus, type CorpusEntry } from '../../src/http/replay.ts';
import type { ParsedObservation } from '../../src/schema/observation.ts';
import { omdb, omdbRequests, searchRequest, titleByIdRequest, titleLookupRequest } from '../../src/scrapers/omdb/index.ts';
import {
  parseApiError,
  parseSearch,
  parseSearchResults,
  parseTitle,
  parseTitleLookup,
  pickSearchMovie,
  readTitle,
  recordImdbId,
  type OmdbSearchResult,
} from '../../src/scrapers/omdb/parse.ts';
import type { MovieContext, SourceRequest } from '../../src/scrapers/source.ts';
import { CORPUS_DIR, corpusEntries, corpusEntry, corpusText, expectedOf } from '../helpers/corpus.ts';
import { assertEvery, editedJson, expectValid, observationsOf, one, sameValue, scoreOf, type Of } from '../helpers/observations.ts';

// ---------------------------------------------------------------------------------------------------------

const omdbEntries = corpusEntries((e) => e.source === 'omdb');

function assertTitleEntry(entry: CorpusEntry, body: string): void {
  const record = readTitle(body, entry.url);
  const featureFilm = record.type === null || record.type === 'movie';
  let observations: ParsedObservation[] = [];
  if (featureFilm) {
    observations = parseTitle(body, entry.url);
    expectValid(observations, { source: 'omdb', url: entry.url });
    for (const o of observations) expect(o.ids).toEqual({ imdb: record.imdbId });
  } else {
    expect(() => parseTitle(body, entry.url)).toThrow(new RegExp(`not a feature film: ${record.type}`));
  }
  const details = featureFilm ? one(observations, 'details') : undefined;
  const expected = expectedOf(entry);
  // A legacy body carries the Tomatometer only with tomatoes=true: its group is asserted where expected says so.
  if (!('tomatometer' in expected)) expect(record.rottenTomatoes).toBeUndefined();
  if (!('metascore' in expected)) expect(record.metacritic).toBeUndefined();

  assertEvery(expected, {
    title: sameValue('title', record, details),
    year: sameValue('year', record, details),
    releaseDate: sameValue('releaseDate', record, details),
    runtimeMinutes: sameValue('runtimeMinutes', record, details),
    rated: sameValue('contentRating', record, details),
    imdbRating: (v) => {
      expect(record.imdb?.rating).toBe(v);
      if (featureFilm) expect(scoreOf(observations, 'imdb')?.rating).toBe(v);
    },
    imdbVotes: (v) => {
      expect(record.imdb?.votes).toBe(v);
      if (featureFilm) expect(scoreOf(observations, 'imdb')?.votes).toBe(v);
    },
    metascore: (v) => {
      // "N/A" is carried and missing: the group is there, with null.
      expect(record.metacritic).toEqual({ metascore: v });
      if (featureFilm) expect(scoreOf(observations, 'metacritic')).toMatchObject({ metascore: v });
    },
    tomatometer: (v) => {
      // Without a Rotten Tomatoes entry in Ratings[], OMDb does not carry the group at all.
      if (v === null) {
        expect(record.rottenTomatoes).toBeUndefined();
        expect(scoreOf(observations, 'rottenTomatoes')).toBeUndefined();
      } else {
        expect(record.rottenTomatoes?.tomatometer).toBe(v);
        if (featureFilm) expect(scoreOf(observations, 'rottenTomatoes')?.tomatometer).toBe(v);
      }
    },
    tomatometerCount: (v) => {
      expect(record.rottenTomatoes?.criticCount).toBe(v);
      expect(scoreOf(observations, 'rottenTomatoes')?.criticCount).toBe(v);
    },
    ratingSources: (v) => expect(record.ratingSources).toEqual(v),
    type: (v) => expect(record.type).toBe(v),
    totalSeasons: (v) => expect(record.totalSeasons).toBe(v),
    ids: (v) => {
      expect({ imdb: record.imdbId }).toEqual(v);
      if (featureFilm) expect(one(observations, 'ids').ids).toEqual(v);
    },
  });
}

interface ExpectedResult {
  title: string;
  year: number;
  id: string;
  type: string;
  score: null;
  endYear?: number | null;
}

function assertSearchEntry(entry: CorpusEntry, body: string): void {
  const page = parseSearchResults(body, entry.url);
  const raw = (JSON.parse(body) as { Search: Record<string, unknown>[] }).Search;
  assertEvery(expectedOf(entry), {
    totalResults: (v) => expect(page.totalResults).toBe(v),
    resultCount: (v) => expect(page.results.length).toBe(v),
    types: (v) => expect([...new Set(page.results.map((r) => r.type))].sort()).toEqual(v),
    results: (v) => {
      const wanted = v as ExpectedResult[];
      const view: OmdbSearchResult[] = page.results.slice(0, wanted.length);
      expect(view).toEqual(wanted.map(({ score: _score, ...rest }) => rest));
      // score null: search items carry no rating at all.
      for (const item of raw) for (const key of ['imdbRating', 'Ratings', 'Metascore']) expect(key in item).toBe(false);
      expect(wanted.every((r) => r.score === null)).toBe(true);
    },
  });
}

function assertErrorEntry(entry: CorpusEntry, body: string): void {
  const error = omdb.apiError(entry.status!, body, entry.url);
  expect(error).toBeInstanceOf(SourceApiError);
  assertEvery(expectedOf(entry), {
    error: (v) => {
      const { status, code, message } = v as { status: number; code: null; message: string };
      expect(entry.status).toBe(status);
      expect(error).toMatchObject({ status, apiCode: code, apiMessage: message, source: 'omdb', url: entry.url });
    },
  });
  // Served with HTTP 200, the same body reaching a parser is thrown as the same API error.
  const parse = new URL(entry.url).searchParams.has('s') ? parseSearchResults : readTitle;
  expect(() => parse(body, entry.url)).toThrow(SourceApiError);
}

function assertEntry(entry: CorpusEntry): void {
  const body = corpusText(entry.file);
  switch (entry.kind) {
    case 'movie':
      return assertTitleEntry(entry, body);
    case 'search':
      return assertSearchEntry(entry, body);
    case 'error':
      return assertErrorEntry(entry, body);
    default:
      throw new Error(`no assertions for OMDb corpus kind "${entry.kind}" (${entry.file})`);
  }
}

describe('OMDb corpus: every file, every expected value', () => {
  it('holds the files this test was written for (2011 bodies included)', () => {
    expect(omdbEntries.length).toBe(29);
    expect(omdbEntries.filter((e) => e.file.startsWith('omdb/legacy-2011/'))).toHaveLength(5);
  });
  it.each(omdbEntries.map((e) => [e.file, e] as const))('%s', (_file, entry) => assertEntry(entry));
});

// ---------------------------------------------------------------------------------------------------------

const MAN_OF_STEEL = 'omdb/man-of-steel-2013-tt0770828__by-id__subliminal-2026.json';
const CAPTAIN_MARVEL_1962 = 'omdb/captain-marvel-1962-tt3959390__by-title__fopp-2018.json';
const INHUMANS = 'omdb/inhumans-2017-tt4154858__by-title__fopp-2018.json';
const AMERICAN_ASSASSIN = 'omdb/american-assassin-2017-tt1961175__by-title__fopp-2018.json';
const ANT_MAN = 'omdb/ant-man-and-the-wasp-2018-tt5095030__by-title__fopp-2018.json';
const LIVE_FREE = 'omdb/legacy-2011/live-free-or-die-hard-2007-tt0337978__by-id-tomatoes__imdbapi-2011.json';
const SEARCH_PAGE1 = 'omdb/search-man-of-steel-page1__subliminal-2026.json';
const SEARCH_Y2013 = 'omdb/search-man-of-steel-y2013__subliminal-2026.json';
const SEARCH_SERIES = 'omdb/search-type-series-the-big-bang-theory__subliminal-2026.json';
const BY_ID_URL = 'https://www.omdbapi.com/?i=tt0770828';

describe('title records', () => {
  it('reads details, credits and every score group of a current record', () => {
    const observations = parseTitle(corpusText(MAN_OF_STEEL), BY_ID_URL);
    expect(one(observations, 'details')).toMatchObject({ genres: ['Action', 'Adventure', 'Sci-Fi'], contentRating: 'PG-13' });
    expect(one(observations, 'credits')).toMatchObject({
      directors: ['Zack Snyder'],
      cast: [{ name: 'Henry Cavill' }, { name: 'Amy Adams' }, { name: 'Michael Shannon' }],
    });
    expect(observations.filter((o) => o.kind === 'score').map((o) => (o as Of<'score'>).group)).toEqual(['imdb', 'rottenTomatoes', 'metacritic']);
  });

  it('leaves out what OMDb does not carry: no audience score, no user score, no critic counts', () => {
    const observations = parseTitle(corpusText(MAN_OF_STEEL), BY_ID_URL);
    expect(scoreOf(observations, 'rottenTomatoes')).toEqual({ source: 'omdb', url: BY_ID_URL, ids: { imdb: 'tt0770828' }, kind: 'score', group: 'rottenTomatoes', tomatometer: 57 });
    expect(scoreOf(observations, 'metacritic')).toEqual({ source: 'omdb', url: BY_ID_URL, ids: { imdb: 'tt0770828' }, kind: 'score', group: 'metacritic', metascore: 55 });
  });

  it('splits comma lists of directors', () => {
    const entry = corpusEntry('omdb/avengers-infinity-war-2018-tt4154756__by-title__fopp-2018.json');
    expect(one(parseTitle(corpusText(entry.file), entry.url), 'credits').directors).toEqual(['Anthony Russo', 'Joe Russo']);
  });

  it('turns "Not Rated", "Unrated" and "N/A" ratings into null, and keeps real certificates', () => {
    for (const [rated, expected] of [['Not Rated', null], ['UNRATED', null], ['N/A', null], ['TV-MA', 'TV-MA'], ['R', 'R']] as const) {
      const body = editedJson(MAN_OF_STEEL, (json) => {
        json.Rated = rated;
      });
      expect(readTitle(body, BY_ID_URL).contentRating, rated).toBe(expected);
    }
  });

  it('takes the Metascore from Ratings[] when the Metascore field is absent or "N/A"', () => {
    const absent = editedJson(MAN_OF_STEEL, (json) => {
      delete json.Metascore;
    });
    expect(readTitle(absent, BY_ID_URL).metacritic).toEqual({ metascore: 55 });
    const na = editedJson(MAN_OF_STEEL, (json) => {
      json.Metascore = 'N/A';
    });
    expect(readTitle(na, BY_ID_URL).metacritic).toEqual({ metascore: 55 });
    const neither = editedJson(MAN_OF_STEEL, (json) => {
      delete json.Metascore;
      json.Ratings = (json.Ratings as { Source: string }[]).filter((r) => r.Source !== 'Metacritic');
    });
    expect(readTitle(neither, BY_ID_URL).metacritic).toBeUndefined();
  });

  it('zero votes is no score; a rating without a count keeps no count key', () => {
    const zero = editedJson(MAN_OF_STEEL, (json) => {
      json.imdbVotes = '0';
    });
    expect(scoreOf(parseTitle(zero, BY_ID_URL), 'imdb')).toMatchObject({ rating: null, votes: null });
    const noCount = editedJson(MAN_OF_STEEL, (json) => {
      json.imdbVotes = 'N/A';
    });
    const imdb = scoreOf(parseTitle(noCount, BY_ID_URL), 'imdb')!;
    expect(imdb.rating).toBe(7.1);
    expect('votes' in imdb).toBe(false);
    const unrated = editedJson(MAN_OF_STEEL, (json) => {
      json.imdbRating = 'N/A';
      json.imdbVotes = 'N/A';
    });
    expect(scoreOf(parseTitle(unrated, BY_ID_URL), 'imdb')).toMatchObject({ rating: null, votes: null });
  });

  it('rejects a score out of range (imdbRating "11.2") rather than passing it on', () => {
    const cases: [string, (json: Record<string, unknown>) => void][] = [
      ['imdbRating', (json) => void (json.imdbRating = '11.2')],
      ['Ratings "Rotten Tomatoes"', (json) => void ((json.Ratings as { Source: string; Value: string }[])[1]!.Value = '140%')],
      ['Metascore', (json) => void (json.Metascore = '101')],
    ];
    for (const [field, edit] of cases) {
      const body = editedJson(MAN_OF_STEEL, edit);
      expect(() => parseTitle(body, BY_ID_URL), field).toThrow(OutOfRangeError);
      expect(() => readTitle(body, BY_ID_URL), field).toThrow(new RegExp(`${field} = `));
    }
  });

  it('refuses a score in a form it cannot read', () => {
    const body = editedJson(MAN_OF_STEEL, (json) => {
      (json.Ratings as { Source: string; Value: string }[])[1]!.Value = 'Certified Fresh';
    });
    expect(() => parseTitle(body, BY_ID_URL)).toThrow(UnexpectedContentError);
  });

  it('a series asked for by id is not a feature film; nor an episode or a game', () => {
    const url = 'https://www.omdbapi.com/?i=tt4154858';
    expect(() => parseTitle(corpusText(INHUMANS), url)).toThrow(UnexpectedContentError);
    expect(() => parseTitle(corpusText(INHUMANS), url)).toThrow(/not a feature film: series/);
    expect(() => titleByIdRequest('tt4154858').parse(corpusText(INHUMANS), url)).toThrow(/not a feature film: series/);
    for (const type of ['episode', 'game']) {
      const body = editedJson(MAN_OF_STEEL, (json) => {
        json.Type = type;
      });
      expect(() => parseTitle(body, BY_ID_URL)).toThrow(`not a feature film: ${type}`);
    }
  });

  it('reads a 2011 imdbapi.com body: old names, "2 hrs 8 mins", tomato fields, no Type', () => {
    const entry = corpusEntry(LIVE_FREE);
    const record = readTitle(corpusText(entry.file), entry.url);
    expect(record).toMatchObject({ legacy: true, type: null, imdbId: 'tt0337978', runtimeMinutes: 128 });
    expect(scoreOf(parseTitle(corpusText(entry.file), entry.url), 'rottenTomatoes')).toMatchObject({ tomatometer: 82, criticCount: 198 });
  });

  it('puts the record\'s own imdbID into ids, whatever was asked for', () => {
    const observations = parseTitle(corpusText(CAPTAIN_MARVEL_1962), 'https://www.omdbapi.com/?i=tt4154664');
    expect(one(observations, 'ids').ids).toEqual({ imdb: 'tt3959390' });
  });

  it('a record without a valid IMDb id cannot be filed', () => {
    const body = editedJson(MAN_OF_STEEL, (json) => {
      json.imdbID = 'N/A';
    });
    expect(() => readTitle(body, BY_ID_URL)).toThrow(/without a valid IMDb id/);
  });
});

describe('lookups by title', () => {
  const url = 'https://www.omdbapi.com/?t=Captain+Marvel&y=2019';

  it('refuses another film than the one whose IMDb id is known (t=Captain Marvel gave the 1962 short)', () => {
    expect(() => parseTitleLookup(corpusText(CAPTAIN_MARVEL_1962), url, { title: 'Captain Marvel', year: 2019, imdb: 'tt4154664' })).toThrow(NoMatchError);
    const same = parseTitleLookup(corpusText(CAPTAIN_MARVEL_1962), url, { title: 'Captain Marvel', imdb: 'tt3959390' });
    expect(one(same, 'ids').ids).toEqual({ imdb: 'tt3959390' });
  });

  it('without an IMDb id, checks the title (normalized) and the year', () => {
    expect(() => parseTitleLookup(corpusText(CAPTAIN_MARVEL_1962), url, { title: 'Captain Marvel', year: 2019 })).toThrow(/1962, not 2019/);
    expect(parseTitleLookup(corpusText(CAPTAIN_MARVEL_1962), url, { title: 'Captain Marvel', year: 1962 })).toHaveLength(5);
    const antMan = corpusEntry(ANT_MAN);
    expect(() => parseTitleLookup(corpusText(ANT_MAN), antMan.url, { title: 'Ant-Man And The Wasp', year: 2018 })).not.toThrow();
    const yahsi = corpusEntry('omdb/yahsi-bati-the-ottoman-cowboys-2009-tt1567448__by-title__fopp-2018.json');
    expect(() => parseTitleLookup(corpusText(yahsi.file), yahsi.url, { title: 'Yahşi Batı', year: 2009 })).toThrow(NoMatchError);
  });

  it('still refuses a series found by title', () => {
    const inhumans = corpusEntry(INHUMANS);
    expect(() => parseTitleLookup(corpusText(INHUMANS), inhumans.url, { title: 'Inhumans', year: 2017 })).toThrow(/not a feature film/);
  });
});

describe('search', () => {
  it('picks the one movie with the title and year, leaving games and series out', () => {
    const entry = corpusEntry(SEARCH_Y2013);
    const page = parseSearchResults(corpusText(entry.file), entry.url);
    expect(pickSearchMovie(page, { title: 'Man of Steel', year: 2013 }, entry.url).id).toBe('tt0770828');
    expect(parseSearch(corpusText(entry.file), entry.url, { title: 'man of steel', year: 2013 })).toEqual([
      { source: 'omdb', url: entry.url, ids: { imdb: 'tt0770828' }, kind: 'ids' },
    ]);
    // "Man of Steel 'Soldier of Steel'" is a game, and a title match must be whole.
    expect(() => pickSearchMovie(page, { title: "Man of Steel 'Soldier of Steel'", year: 2013 }, entry.url)).toThrow(NoMatchError);
  });

  it('refuses ambiguity: two "Man of Steel" movies without a year; a partial page without a year', () => {
    const entry = corpusEntry(SEARCH_PAGE1);
    const page = parseSearchResults(corpusText(entry.file), entry.url);
    expect(() => pickSearchMovie(page, { title: 'Man of Steel' }, entry.url)).toThrow(/2 movies titled "Man of Steel": ambiguous/);
    expect(pickSearchMovie(page, { title: 'Man of Steel', year: 1967 }, entry.url).id).toBe('tt0263704');
    // One match, but 32 results over 4 pages: the others may hold another.
    expect(() => pickSearchMovie(page, { title: 'Superman: Man of Steel' }, entry.url)).toThrow(/more results than one page/);
  });

  it('never picks a series', () => {
    const entry = corpusEntry(SEARCH_SERIES);
    const page = parseSearchResults(corpusText(entry.file), entry.url);
    expect(() => pickSearchMovie(page, { title: 'The Big Bang Theory', year: 2007 }, entry.url)).toThrow(NoMatchError);
  });

  it('reads a hyphen year range like the EN DASH one', () => {
    const body = editedJson(SEARCH_SERIES, (json) => {
      (json.Search as { Year: string }[])[0]!.Year = '2007-2019';
    });
    expect(parseSearchResults(body, corpusEntry(SEARCH_SERIES).url).results[0]).toMatchObject({ year: 2007, endYear: 2019 });
  });
});

describe('error bodies', () => {
  const url = BY_ID_URL;
  const error = (text: string, status = 200) => parseApiError(status, JSON.stringify({ Response: 'False', Error: text }), url);

  it('maps OMDb error texts to kinds', () => {
    expect(error('Movie not found!')?.kind).toBe('not-found');
    expect(error('Error getting data.')?.kind).toBe('not-found');
    expect(error('Invalid API key!', 401)).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(error('No API key provided.')?.kind).toBe('auth');
    expect(error('Request limit reached!')).toMatchObject({ kind: 'rate-limited', code: 'api-rate-limited', retryable: true });
    expect(error('Too many results.')?.kind).toBe('invalid-request');
    expect(error('Incorrect IMDb ID.')).toMatchObject({ kind: 'invalid-request', apiMessage: 'Incorrect IMDb ID.', apiCode: null });
    expect(parseApiError(200, '{"Response":"False"}', url)?.kind).toBe('invalid-request');
  });

  it('throws the API error from a parser too, so a quota error is never a layout error', () => {
    const body = '{"Response":"False","Error":"Request limit reached!"}';
    expect(() => parseTitle(body, url)).toThrow(SourceApiError);
    expect(() => parseSearchResults(body, url)).toThrow(/Request limit reached!/);
  });

  it('returns null for a success body or one that is not OMDb JSON', () => {
    expect(omdb.apiError(200, corpusText(MAN_OF_STEEL), url)).toBeNull();
    expect(omdb.apiError(200, corpusText(SEARCH_PAGE1), url)).toBeNull();
    expect(omdb.apiError(503, '<html><body>Service Unavailable</body></html>', url)).toBeNull();
    expect(omdb.apiError(500, '', url)).toBeNull();
  });
});

describe('bodies that are not what a parser expects', () => {
  const truncated = corpusText(MAN_OF_STEEL).slice(0, 400);

  it.each([
    ['HTML where JSON was expected', '<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head><body></body></html>'],
    ['an empty body', ''],
    ['a whitespace-only body', ' \n'],
    ['a truncated body', truncated],
    ['JSON of another shape', '[]'],
    ['a record without a Title', '{"Response":"True","imdbID":"tt0770828"}'],
  ])('%s → UnexpectedContentError', (_what, body) => {
    expect(() => parseTitle(body, BY_ID_URL)).toThrow(UnexpectedContentError);
    expect(() => parseSearchResults(body, 'https://www.omdbapi.com/?s=Man+of+Steel')).toThrow(UnexpectedContentError);
  });

  it('says why', () => {
    expect(() => parseTitle('', BY_ID_URL)).toThrow(/empty body/);
    expect(() => parseTitle('<html></html>', BY_ID_URL)).toThrow(/HTML/);
    expect(() => parseTitle(truncated, BY_ID_URL)).toThrow(/not JSON, or is cut short/);
  });
});

describe('requests', () => {
  const known: MovieContext = { id: 'tt1961175', ids: { imdb: 'tt1961175' }, title: 'American Assassin', year: 2017 };

  it('asks by IMDb id, with a lookup by title and year as fallback when the title is known', () => {
    const [request] = omdbRequests(known);
    expect(request!.url).toBe('https://www.omdbapi.com/?i=tt1961175');
    expect(request!.fallback?.map((r) => r.url)).toEqual(['https://www.omdbapi.com/?t=American+Assassin&y=2017']);
    expect(omdbRequests({ id: 'tt1961175', ids: { imdb: 'tt1961175' } })[0]!.fallback).toBeUndefined();
  });

  it('the fallback must answer with the film\'s IMDb id', () => {
    const movie: MovieContext = { id: 'tt4154664', ids: { imdb: 'tt4154664' }, title: 'Captain Marvel', year: 2019 };
    const lookup = omdbRequests(movie)[0]!.fallback![0]!;
    expect(() => lookup.parse(corpusText(CAPTAIN_MARVEL_1962), 'https://www.omdbapi.com/?t=Captain+Marvel')).toThrow(NoMatchError);
  });

  it('a film without an IMDb id: lookup by title, then a search whose pick is fetched by id', () => {
    const movie: MovieContext = { id: 'tmdb:49521', ids: { tmdb: 49521 }, title: 'Man of Steel', year: 2013 };
    const [lookup] = omdbRequests(movie);
    expect(lookup!.url).toBe('https://www.omdbapi.com/?t=Man+of+Steel&y=2013');
    expect(lookup!.fallback?.map((r) => r.url)).toEqual(['https://www.omdbapi.com/?s=Man+of+Steel&y=2013']);
    const search = lookup!.fallback![0]!;
    const entry = corpusEntry(SEARCH_Y2013);
    const found = observationsOf(search.parse(corpusText(entry.file), entry.url));
    expect(search.next!(found, movie, { body: corpusText(entry.file), url: entry.url }).map((r) => r.url)).toEqual([
      'https://www.omdbapi.com/?i=tt0770828',
    ]);
    expect(omdbRequests({ id: 'tmdb:1', ids: { tmdb: 1 } })).toEqual([]);
  });

  it('builds the single requests', () => {
    expect(titleByIdRequest('tt0770828').url).toBe(BY_ID_URL);
    expect(titleLookupRequest({ title: 'Yahşi Batı' }).url).toBe('https://www.omdbapi.com/?t=Yah%C5%9Fi+Bat%C4%B1');
    expect(searchRequest('Man of Steel').url).toBe('https://www.omdbapi.com/?s=Man+of+Steel');
  });
});

describe('replayed from the corpus', () => {
  const corpus = ReplayCorpus.load(CORPUS_DIR, new Map([['www.omdbapi.com', omdb.replay]]));

  /** The first answered of a request and its fallbacks, parsed as the pipeline would. */
  function answer(request: SourceRequest): { file: string; match: string; observations: ParsedObservation[] } | null {
    for (const candidate of [request, ...(request.fallback ?? [])]) {
      const found = corpus.match(candidate.url);
      if (!found) continue;
      const body = corpus.body(found.entry).toString('utf8');
      try {
        const observations = observationsOf(candidate.parse(body, found.entry.url));
        expectValid(observations, { source: 'omdb', url: found.entry.url });
        return { file: found.entry.file, match: found.match, observations };
      } catch (error) {
        if (error instanceof NoMatchError) continue;
        throw error;
      }
    }
    return null;
  }

  it('answers ?i=tt1961175 from the by-title recording through the alias (the body is the same record)', () => {
    const found = corpus.match('https://www.omdbapi.com/?i=tt1961175');
    expect(found).toMatchObject({ entry: { file: AMERICAN_ASSASSIN }, match: 'alias' });
    const [request] = omdbRequests({ id: 'tt1961175', ids: { imdb: 'tt1961175' } });
    const answered = answer(request!)!;
    expect(answered).toMatchObject({ file: AMERICAN_ASSASSIN, match: 'alias' });
    expect(one(answered.observations, 'ids').ids).toEqual({ imdb: 'tt1961175' });
    expect(scoreOf(answered.observations, 'metacritic')?.metascore).toBe(45);
  });

  it('answers a recorded by-id request exactly, and a by-title request with a year as a variant', () => {
    expect(corpus.match(BY_ID_URL)).toMatchObject({ entry: { file: MAN_OF_STEEL }, match: 'exact' });
    // The recording was made with r=json&v=1&plot=short: the defaults are dropped before matching.
    expect(corpus.match('https://www.omdbapi.com/?i=tt0770828&r=json&plot=short&v=1')?.match).toBe('exact');
    expect(corpus.match('https://www.omdbapi.com/?t=american+assassin&y=2017')).toMatchObject({ entry: { file: AMERICAN_ASSASSIN }, match: 'variant' });
    expect(corpus.match(searchRequest('Man of Steel', 2013).url)).toMatchObject({ entry: { file: SEARCH_Y2013 }, match: 'exact' });
  });

  it('the 1962 short answers its own id, never the 2019 film\'s', () => {
    expect(corpus.match('https://www.omdbapi.com/?i=tt3959390')).toMatchObject({ entry: { file: CAPTAIN_MARVEL_1962 }, match: 'alias' });
    const [request] = omdbRequests({ id: 'tt4154664', ids: { imdb: 'tt4154664' }, title: 'Captain Marvel', year: 2019 });
    expect(corpus.match(request!.url)).toBeNull();
    expect(answer(request!)).toBeNull();
  });

  it('gives error bodies and searches no alias', () => {
    expect(recordImdbId(corpusText('omdb/error-bad-imdb-id-tt9999999__subliminal-2026.json'))).toBeNull();
    expect(recordImdbId(corpusText(SEARCH_PAGE1))).toBeNull();
    expect(recordImdbId('<html></html>')).toBeNull();
    expect(recordImdbId(corpusText(INHUMANS))).toBe('tt4154858');
  });
});

describe('source definition', () => {
  it('declares its host, limits, key, refresh, terms and replay policy', () => {
    expect(omdb).toMatchObject({
      id: 'omdb',
      hosts: ['www.omdbapi.com'],
      limits: { concurrency: 1, minIntervalMs: 100 },
      refresh: { score: 1, details: 30, default: 7 },
      replay: { defaultParams: { r: 'json', v: '1', plot: 'short', page: '1' }, caseInsensitiveParams: ['t', 's'], variantParams: ['y'] },
    });
    expect(omdb.auth.env).toBe('OMDB_API_KEY');
    expect(omdb.terms.licence).toMatch(/CC BY-NC 4\.0 per omdbapi\.com/);
    expect(omdb.gives.includes('\n')).toBe(false);
  });

  it('sends the key as apikey= without touching the request URL', () => {
    const url = new URL(BY_ID_URL);
    const applied = omdb.auth.apply(url, 'abc123');
    expect(applied.url.searchParams.get('apikey')).toBe('abc123');
    expect(url.searchParams.has('apikey')).toBe(false);
  });
});
