/**
 * Wikidata source: both Wikidata files of the recorded corpus, each `expected` value asserted (a key without
 * an assertion fails the test). The corpus item (City Streets, 2018) has no TMDB/Rotten Tomatoes/Metacritic
 * ids and no review scores, so those mappings are tested on bodies BUILT here by adding statements to that
 * real item — the added values are test values, not Wikidata's. The statement shapes follow the item's own
 * (snaks, ranks, qualifiers); the P444 qualifier items are those other projects' Wikidata code uses (see
 * `src/scrapers/wikidata/parse.ts`). Lookup and error bodies are likewise built, from the documented shapes.
 */
import { describe, expect, it } from 'vitest';
import { NoMatchError, SourceApiError, UnexpectedContentError } from '../../src/errors.ts';
import { ReplayCorpus } from '../../src/http/replay.ts';
import type { ParsedObservation } from '../../src/schema/observation.ts';
import type { MovieContext, ParseOutput } from '../../src/scrapers/source.ts';
import { ENTITY_PARAMS, entityRequest, imdbLookupRequest, wikidata, wikidataRequests } from '../../src/scrapers/wikidata/index.ts';
import {
  imdbIdOfLookup,
  parseApiError,
  parseEntityResponse,
  parseImdbLookup,
  statementStrings,
  type WikidataReviewScore,
} from '../../src/scrapers/wikidata/parse.ts';
import { CORPUS_DIR, corpusEntries, corpusEntry, corpusText, expectedOf } from '../helpers/corpus.ts';
import { assertEvery, expectValid, find, one, presentIds, sameValue, scoreOf } from '../helpers/observations.ts';

// ---------------------------------------------------------------------------------------------------------
// The corpus item, and bodies built from it

const ENTITY_FILE = 'wikidata/city-streets-1931-Q2262932__wbgetentities-entity__we-framework-2018.json';
const MISSING_FILE = 'wikidata/error-missing-entity-Q10908976__wbgetentities__wptools-2017.json';
const ENTITY_URL = corpusEntry(ENTITY_FILE).url;

const corpus = ReplayCorpus.load(CORPUS_DIR, new Map([['www.wikidata.org', wikidata.replay]]));

type Json = Record<string, unknown>;
type Claims = Record<string, Json[]>;

/**
 * The corpus item, edited, wrapped as `wbgetentities` answers (`{"entities":{"Q…":…},"success":1}`: the
 * wrapping the replay applies to this entity-only recording).
 */
function entityBody(edit?: (entity: Json & { claims: Claims }) => void): string {
  const entity = JSON.parse(corpusText(ENTITY_FILE)) as Json & { claims: Claims; id: string };
  edit?.(entity);
  return JSON.stringify({ entities: { [entity.id]: entity }, success: 1 });
}

const entityRef = (id: string) => ({ value: { 'entity-type': 'item', 'numeric-id': Number(id.slice(1)), id }, type: 'wikibase-entityid' });
const text = (value: string) => ({ value, type: 'string' });
const time = (value: string, precision: number) => ({
  value: { time: value, timezone: 0, before: 0, after: 0, precision, calendarmodel: 'http://www.wikidata.org/entity/Q1985727' },
  type: 'time',
});
const quantity = (amount: string, unit: string) => ({ value: { amount, unit: `http://www.wikidata.org/entity/${unit}` }, type: 'quantity' });
const snak = (property: string, datavalue: Json) => ({ snaktype: 'value', property, datavalue });

function statement(property: string, datavalue: Json, options: { rank?: string; qualifiers?: Record<string, Json> } = {}): Json {
  const qualifiers = Object.fromEntries(Object.entries(options.qualifiers ?? {}).map(([p, v]) => [p, [snak(p, v)]]));
  return {
    mainsnak: snak(property, datavalue),
    type: 'statement',
    rank: options.rank ?? 'normal',
    ...(Object.keys(qualifiers).length > 0 && { qualifiers }),
  };
}

const RT = 'Q105584';
const METACRITIC = 'Q150248';
const IMDB = 'Q37312';
const TOMATOMETER = 'Q108403393';
const RT_AVERAGE = 'Q108403540';
const POPCORNMETER = 'Q131100566';
const METASCORE = 'Q106515043';
const IMDB_RATING = 'Q107218751';

/** A P444 review score, qualified like Wikidata's bot-added scores (reviewer, method, count, date). */
function review(value: string, reviewer: string, options: { method?: string; count?: string; at?: string; rank?: string } = {}): Json {
  const qualifiers: Record<string, Json> = { P447: entityRef(reviewer) };
  if (options.method) qualifiers.P459 = entityRef(options.method);
  if (options.count) qualifiers.P7887 = quantity(options.count, 'Q80698083');
  if (options.at) qualifiers.P585 = time(`+${options.at}T00:00:00Z`, 11);
  return statement('P444', text(value), { rank: options.rank, qualifiers });
}

// ---------------------------------------------------------------------------------------------------------

describe('Wikidata corpus: every file, every expected value', () => {
  const entries = corpusEntries((e) => e.source === 'wikidata');

  it('holds the two files this test was written for', () => {
    expect(entries.map((e) => e.file).sort()).toEqual([ENTITY_FILE, MISSING_FILE]);
  });

  it(ENTITY_FILE, () => {
    const entry = corpusEntry(ENTITY_FILE);
    const body = corpus.body(entry).toString('utf8');
    const film = parseEntityResponse(body, entry.url);
    expectValid(film.observations, { source: 'wikidata', url: entry.url });
    expect(film.problems).toEqual([]);
    const details = one(film.observations, 'details');
    assertEvery(expectedOf(entry), {
      title: sameValue('title', film, details),
      year: sameValue('year', film, details),
      // Precision 9: "+1931-01-01T00:00:00Z" is the year 1931, not 1 January.
      releaseDate: sameValue('releaseDate', film, details),
      releaseDatePrecision: (v) => expect(film.releaseDatePrecision).toBe(v),
      runtimeMinutes: sameValue('runtimeMinutes', film, details),
      ids: (v) => {
        expect(film.ids).toEqual(presentIds(v));
        for (const o of film.observations) expect(o.ids).toEqual(presentIds(v));
      },
      allocine: (v) => expect(statementStrings(film.entity, 'P1265')).toEqual([v]),
      enwikiTitle: (v) => expect(film.enwikiTitle).toBe(v),
      reviewScores: (v) => {
        expect(film.reviewScores).toEqual(v);
        expect(film.observations.filter((o) => o.kind === 'score')).toEqual([]);
      },
    });
  });

  it(MISSING_FILE, () => {
    const entry = corpusEntry(MISSING_FILE);
    const body = corpusText(MISSING_FILE);
    const entity = (JSON.parse(body) as { entities: Record<string, Json> }).entities.Q10908976!;
    const error = wikidata.apiError(entry.status!, body, entry.url);
    expect(error).toBeInstanceOf(SourceApiError);
    expect(() => parseEntityResponse(body, entry.url)).toThrow(SourceApiError);
    assertEvery(expectedOf(entry), {
      // Present but empty: the key's presence is the signal, its value is falsy.
      missing: (v) => {
        expect(Object.hasOwn(entity, 'missing')).toBe(v);
        expect(entity.missing).toBe('');
      },
      ids: (v) => {
        expect(entity.id).toBe((v as { wikidata: string }).wikidata);
        expect(error!.apiMessage).toContain((v as { wikidata: string }).wikidata);
      },
      error: (v) => {
        const { status, code, message } = v as { status: number; code: string; message: null };
        expect(error).toMatchObject({ status, apiCode: code, kind: 'not-found', retryable: false, source: 'wikidata', url: entry.url });
        // The body carries no message (null): the error's text is ours, naming the item.
        expect(message).toBeNull();
        expect(Object.keys(entity).sort()).toEqual(['id', 'missing']);
        expect(error!.apiMessage).toBe('no entity Q10908976 (deleted, or never created)');
      },
    });
  });
});

describe('details', () => {
  it('gives a release date only for a date stated to the day', () => {
    const day = parseEntityResponse(
      entityBody((e) => {
        e.claims.P577 = [statement('P577', time('+1931-04-18T00:00:00Z', 11))];
      }),
      ENTITY_URL,
    );
    expect(day).toMatchObject({ year: 1931, releaseDate: '1931-04-18', releaseDatePrecision: 'day' });
    const month = parseEntityResponse(
      entityBody((e) => {
        e.claims.P577 = [statement('P577', time('+1931-04-01T00:00:00Z', 10))];
      }),
      ENTITY_URL,
    );
    expect(month).toMatchObject({ year: 1931, releaseDate: null, releaseDatePrecision: 'month' });
  });

  it('takes the earliest year, its day-precision date, and never a deprecated statement', () => {
    const film = parseEntityResponse(
      entityBody((e) => {
        e.claims.P577!.push(
          statement('P577', time('+1931-04-18T00:00:00Z', 11)),
          statement('P577', time('+1932-02-01T00:00:00Z', 11)),
          statement('P577', time('+1929-01-01T00:00:00Z', 11), { rank: 'deprecated' }),
        );
      }),
      ENTITY_URL,
    );
    expect(film).toMatchObject({ year: 1931, releaseDate: '1931-04-18', releaseDatePrecision: 'day' });
    expect(one(film.observations, 'details')).toMatchObject({ year: 1931, releaseDate: '1931-04-18' });
  });

  it('reads a runtime only in minutes', () => {
    const hours = parseEntityResponse(
      entityBody((e) => {
        e.claims.P2047 = [statement('P2047', quantity('+1.5', 'Q25235'))];
      }),
      ENTITY_URL,
    );
    expect(hours.runtimeMinutes).toBeNull();
    const none = parseEntityResponse(
      entityBody((e) => {
        delete e.claims.P2047;
        delete e.claims.P577;
      }),
      ENTITY_URL,
    );
    const details = one(none.observations, 'details');
    for (const key of ['runtimeMinutes', 'year', 'releaseDate']) expect(key in details, key).toBe(false);
  });

  it('falls back to the English Wikipedia title without its "(1931 film)" suffix', () => {
    const film = parseEntityResponse(
      entityBody((e) => {
        delete (e.labels as Json).en;
      }),
      ENTITY_URL,
    );
    expect(film.title).toBe('City Streets');
    const bare = parseEntityResponse(
      entityBody((e) => {
        delete (e.labels as Json).en;
        delete (e.sitelinks as Json).enwiki;
        delete e.claims.P2047;
        delete e.claims.P577;
      }),
      ENTITY_URL,
    );
    expect(bare.title).toBeNull();
    // Nothing left to say: no details observation rather than an empty one.
    expect(find(bare.observations, 'details')).toBeUndefined();
  });
});

describe('id crosswalk', () => {
  it('reads the IMDb id of the real item, whose statement id is lower-case', () => {
    const entity = JSON.parse(corpusText(ENTITY_FILE)) as { claims: Claims };
    expect(entity.claims.P345![0]!.id).toMatch(/^q2262932\$/);
    expect(parseEntityResponse(entityBody(), ENTITY_URL).ids.imdb).toBe('tt0021750');
  });

  it('links TMDB (as a number), Rotten Tomatoes and Metacritic ids (test values added to the real item)', () => {
    const film = parseEntityResponse(
      entityBody((e) => {
        e.claims.P4947 = [statement('P4947', text('84214'))];
        e.claims.P1258 = [statement('P1258', text('m/city_streets'))];
        e.claims.P1712 = [statement('P1712', text('movie/city-streets'))];
      }),
      ENTITY_URL,
    );
    expect(film.problems).toEqual([]);
    expect(film.ids).toEqual({
      wikidata: 'Q2262932',
      imdb: 'tt0021750',
      tmdb: 84214,
      rottenTomatoes: 'm/city_streets',
      metacritic: 'movie/city-streets',
    });
    expectValid(film.observations, { source: 'wikidata', url: ENTITY_URL });
  });

  it('skips values that fail their pattern, each reported', () => {
    const film = parseEntityResponse(
      entityBody((e) => {
        e.claims.P4947 = [statement('P4947', text('0084214'))];
        e.claims.P1258 = [statement('P1258', text('tv/city_streets')), statement('P1258', text('m/city_streets'))];
        e.claims.P1712 = [statement('P1712', text('game/city-streets'))];
      }),
      ENTITY_URL,
    );
    expect(film.ids).toEqual({ wikidata: 'Q2262932', imdb: 'tt0021750', rottenTomatoes: 'm/city_streets' });
    expect(film.problems).toEqual([
      'P4947: "0084214" is not a TMDB movie id (skipped)',
      'P1258: "tv/city_streets" is not a Rotten Tomatoes film id (m/slug) (skipped)',
      'P1712: "game/city-streets" is not a Metacritic film id (movie/slug) (skipped)',
    ]);
  });

  it('a preferred value beats normal ones; several of the best rank are ambiguous; deprecated never counts', () => {
    const preferred = parseEntityResponse(
      entityBody((e) => {
        e.claims.P345!.push(statement('P345', text('tt0021751'), { rank: 'preferred' }));
        e.claims.P1258 = [statement('P1258', text('m/city_streets_1931'), { rank: 'deprecated' }), statement('P1258', text('m/city_streets'))];
      }),
      ENTITY_URL,
    );
    expect(preferred.ids).toMatchObject({ imdb: 'tt0021751', rottenTomatoes: 'm/city_streets' });
    const ambiguous = parseEntityResponse(
      entityBody((e) => {
        e.claims.P345!.push(statement('P345', text('tt0021751')));
      }),
      ENTITY_URL,
    );
    expect(ambiguous.ids.imdb).toBeUndefined();
    expect(ambiguous.problems).toEqual(['P345: 2 values (tt0021750, tt0021751): ambiguous, none used']);
  });
});

describe('review scores (P444), on the real item with statements added for the test', () => {
  const scored = () =>
    parseEntityResponse(
      entityBody((e) => {
        e.claims.P444 = [
          review('7.6/10', RT, { method: RT_AVERAGE, at: '2024-02-01' }),
          review('90%', RT, { method: TOMATOMETER, count: '+20', at: '2021-09-01' }),
          review('93%', RT, { method: TOMATOMETER, count: '+29', at: '2024-02-01' }),
          review('50%', RT),
          review('99%', RT, { method: TOMATOMETER, at: '2025-01-01', rank: 'deprecated' }),
          review('88%', RT, { method: POPCORNMETER, count: '+1000', at: '2024-02-01' }),
          review('81/100', METACRITIC, { method: METASCORE, count: '+12' }),
          review('7.2/10', IMDB, { method: IMDB_RATING, count: '+3456' }),
          review('4/5', 'Q1', { method: 'Q2' }),
        ];
      }),
      ENTITY_URL,
    );

  it('maps reviewer and method to the score groups: newest Tomatometer, Popcornmeter, Metascore, IMDb rating', () => {
    const film = scored();
    expect(film.problems).toEqual([]);
    expectValid(film.observations, { source: 'wikidata', url: ENTITY_URL });
    const base = { source: 'wikidata', url: ENTITY_URL, ids: { wikidata: 'Q2262932', imdb: 'tt0021750' }, kind: 'score' };
    expect(scoreOf(film.observations, 'rottenTomatoes')).toEqual({
      ...base,
      group: 'rottenTomatoes',
      tomatometer: 93,
      criticCount: 29,
      audienceScore: 88,
      audienceCount: 1000,
    });
    expect(scoreOf(film.observations, 'metacritic')).toEqual({ ...base, group: 'metacritic', metascore: 81, criticCount: 12 });
    expect(scoreOf(film.observations, 'imdb')).toEqual({ ...base, group: 'imdb', rating: 7.2, votes: 3456 });
  });

  it('never takes the critics\' average ("7.6/10") or a deprecated or unknown reviewer\'s score', () => {
    const film = scored();
    expect(film.reviewScores.map((s) => s.stated)).toEqual(['90%', '93%', '50%', '88%', '81/100', '7.2/10']);
    expect(film.reviewScores.find((s) => s.stated === '50%')).toMatchObject<Partial<WikidataReviewScore>>({ measure: 'tomatometer', method: null });
    expect(film.reviewScores[1]).toEqual({
      group: 'rottenTomatoes',
      measure: 'tomatometer',
      stated: '93%',
      value: 93,
      count: 29,
      method: TOMATOMETER,
      pointInTime: '2024-02-01',
      rank: 'normal',
    });
  });

  it('takes a statement without a method by its reviewer and form, unless one with a method exists', () => {
    const film = parseEntityResponse(
      entityBody((e) => {
        e.claims.P444 = [review('91%', RT), review('7.5/10', RT), review('64/100', METACRITIC)];
      }),
      ENTITY_URL,
    );
    expect(film.problems).toEqual([]);
    expect(scoreOf(film.observations, 'rottenTomatoes')).toMatchObject({ tomatometer: 91 });
    expect('audienceScore' in scoreOf(film.observations, 'rottenTomatoes')!).toBe(false);
    expect(scoreOf(film.observations, 'metacritic')).toMatchObject({ metascore: 64 });
    expect(scoreOf(film.observations, 'imdb')).toBeUndefined();
  });

  it('a preferred statement beats a newer normal one', () => {
    const film = parseEntityResponse(
      entityBody((e) => {
        e.claims.P444 = [review('80%', RT, { method: TOMATOMETER, at: '2020-01-01', rank: 'preferred' }), review('85%', RT, { method: TOMATOMETER, at: '2024-01-01' })];
      }),
      ENTITY_URL,
    );
    expect(scoreOf(film.observations, 'rottenTomatoes')?.tomatometer).toBe(80);
  });

  it('rejects out-of-range and misshapen values one by one, reported, never clamped', () => {
    const film = parseEntityResponse(
      entityBody((e) => {
        e.claims.P444 = [
          review('140%', RT, { method: TOMATOMETER }),
          review('11.2/10', IMDB, { method: IMDB_RATING }),
          review('8.1', METACRITIC, { method: METASCORE }),
          review('62/100', METACRITIC, { method: METASCORE, count: 'lots' as never }),
        ];
      }),
      ENTITY_URL,
    );
    expect(scoreOf(film.observations, 'rottenTomatoes')).toBeUndefined();
    expect(scoreOf(film.observations, 'imdb')).toBeUndefined();
    expect(scoreOf(film.observations, 'metacritic')).toMatchObject({ metascore: 62 });
    expect(film.problems).toHaveLength(4);
    expect(film.problems[0]).toMatch(/P444 rottenTomatoes tomatometer = "140%" is out of range: rejected \(skipped\)$/);
    expect(film.problems[1]).toMatch(/P444 imdb rating = "11.2\/10" is out of range/);
    expect(film.problems[2]).toBe(`P444 ${METACRITIC}/${METASCORE}: "8.1" is not a score out of 100 (skipped)`);
    expect(film.problems[3]).toMatch(/review count .* is not a count \(ignored\)/);
    // The ids and details of the item still count.
    expect(film.ids.imdb).toBe('tt0021750');
  });

  it('zero reviews is no score: value and count null', () => {
    const film = parseEntityResponse(
      entityBody((e) => {
        e.claims.P444 = [review('0%', RT, { method: TOMATOMETER, count: '+0' })];
      }),
      ENTITY_URL,
    );
    expect(scoreOf(film.observations, 'rottenTomatoes')).toMatchObject({ tomatometer: null, criticCount: null });
  });
});

describe('IMDb id lookup (list=search; the corpus holds no recording: bodies built from the documented shape)', () => {
  const url = imdbLookupRequest('tt0021750').url;
  const searchBody = (titles: string[]) =>
    JSON.stringify({
      batchcomplete: '',
      query: { searchinfo: { totalhits: titles.length }, search: titles.map((title, i) => ({ ns: 0, title, pageid: 1000 + i })) },
    });

  it('links the IMDb id to the one item that has it', () => {
    expect(imdbIdOfLookup(url)).toBe('tt0021750');
    const observations = parseImdbLookup(searchBody(['Q2262932']), url);
    expect(observations).toEqual([{ source: 'wikidata', url, ids: { wikidata: 'Q2262932', imdb: 'tt0021750' }, kind: 'ids' }]);
    expectValid(observations, { source: 'wikidata', url });
  });

  it('no item, or several, is no match', () => {
    expect(() => parseImdbLookup(searchBody([]), url)).toThrow(NoMatchError);
    expect(() => parseImdbLookup(searchBody(['Q2262932', 'Q42']), url)).toThrow(/2 items have tt0021750 \(Q2262932, Q42\): ambiguous/);
    expect(() => parseImdbLookup(searchBody(['Property:P345']), url)).toThrow(NoMatchError);
  });
});

describe('error bodies (built from the MediaWiki error shape)', () => {
  const url = ENTITY_URL;
  const error = (code: string, status = 200) => parseApiError(status, JSON.stringify({ error: { code, info: `info for ${code}` }, servedby: 'mw1' }), url);

  it('maps codes to kinds', () => {
    expect(error('no-such-entity')).toMatchObject({ kind: 'not-found', apiCode: 'no-such-entity', apiMessage: 'info for no-such-entity' });
    expect(error('ratelimited')).toMatchObject({ kind: 'rate-limited', retryable: true });
    expect(error('maxlag')).toMatchObject({ kind: 'server', retryable: true });
    expect(error('readapidenied')?.kind).toBe('auth');
    expect(error('internal_api_error_DBQueryError')?.kind).toBe('server');
    expect(error('param-missing')?.kind).toBe('invalid-request');
    expect(error('unknown-code', 503)?.kind).toBe('server');
  });

  it('a parser throws the API error it finds in a 200 body', () => {
    const body = JSON.stringify({ error: { code: 'no-such-entity', info: 'Could not find an entity with the ID "Q0".' } });
    expect(() => parseEntityResponse(body, url)).toThrow(SourceApiError);
    expect(() => parseImdbLookup(body, url)).toThrow(/Could not find an entity/);
  });

  it('returns null for a success body or one that is not JSON', () => {
    expect(wikidata.apiError(200, entityBody(), url)).toBeNull();
    expect(wikidata.apiError(403, 'Please set a user-agent and respect our robot policy.', url)).toBeNull();
    expect(wikidata.apiError(502, '<html><body>Bad Gateway</body></html>', url)).toBeNull();
  });
});

describe('bodies that are not what a parser expects', () => {
  const truncated = entityBody().slice(0, 2000);

  it.each([
    ['HTML where JSON was expected', '<!DOCTYPE html><html><head><title>Wikimedia Error</title></head><body></body></html>'],
    ['an empty body', ''],
    ['a truncated body', truncated],
    ['the bare entity without its wrapper', corpusText(ENTITY_FILE)],
    ['two entities where one was asked for', JSON.stringify({ entities: { Q1: { id: 'Q1' }, Q2: { id: 'Q2' } }, success: 1 })],
  ])('%s → UnexpectedContentError', (_what, body) => {
    expect(() => parseEntityResponse(body, ENTITY_URL)).toThrow(UnexpectedContentError);
  });

  it('says why', () => {
    expect(() => parseEntityResponse('', ENTITY_URL)).toThrow(/empty body/);
    expect(() => parseEntityResponse('<html></html>', ENTITY_URL)).toThrow(/HTML/);
    expect(() => parseEntityResponse(truncated, ENTITY_URL)).toThrow(/not JSON, or is cut short/);
    expect(() => parseImdbLookup('', ENTITY_URL)).toThrow(UnexpectedContentError);
  });
});

describe('requests', () => {
  it('fetches the item by Wikidata id, English parts only, falling back to the IMDb lookup', () => {
    const movie: MovieContext = { id: 'tt0021750', ids: { imdb: 'tt0021750', wikidata: 'Q2262932' } };
    const [request] = wikidataRequests(movie);
    expect(request!.url).toBe(
      'https://www.wikidata.org/w/api.php?action=wbgetentities&ids=Q2262932&format=json&props=labels%7Cclaims%7Csitelinks&languages=en&sitefilter=enwiki',
    );
    expect(request!.fallback?.map((r) => r.url)).toEqual([
      'https://www.wikidata.org/w/api.php?action=query&list=search&srsearch=haswbstatement%3AP345%3Dtt0021750&format=json',
    ]);
    expect(entityRequest('Q2262932').fallback).toBeUndefined();
  });

  it('without a Wikidata id, looks the IMDb id up, then fetches the item found', () => {
    const movie: MovieContext = { id: 'tt0021750', ids: { imdb: 'tt0021750' } };
    const [lookup] = wikidataRequests(movie);
    expect(lookup!.url).toBe(imdbLookupRequest('tt0021750').url);
    const body = JSON.stringify({ query: { search: [{ ns: 0, title: 'Q2262932' }] } });
    const found = lookup!.parse(body, lookup!.url) as ParsedObservation[];
    expect(lookup!.next!(found, movie, { body, url: lookup!.url }).map((r) => r.url)).toEqual([entityRequest('Q2262932').url]);
    expect(wikidataRequests({ id: 'tmdb:1', ids: { tmdb: 1 } })).toEqual([]);
  });

  it('reports skipped statements as problems through the request', () => {
    const body = entityBody((e) => {
      e.claims.P1258 = [statement('P1258', text('tv/x'))];
    });
    const output = entityRequest('Q2262932').parse(body, ENTITY_URL) as ParseOutput;
    expect(output.problems).toEqual(['P1258: "tv/x" is not a Rotten Tomatoes film id (m/slug) (skipped)']);
    expect(output.observations.map((o) => o.kind)).toEqual(['details', 'ids']);
  });
});

describe('replayed from the corpus', () => {
  it('the entity request (with props, languages, sitefilter) is answered by the recording of the whole item', () => {
    const request = entityRequest('Q2262932', 'tt0021750');
    const found = corpus.match(request.url);
    expect(found).toMatchObject({ entry: { file: ENTITY_FILE }, match: 'variant' });
    const output = request.parse(corpus.body(found!.entry).toString('utf8'), found!.entry.url) as ParseOutput;
    expect(output.problems).toEqual([]);
    expectValid(output.observations, { source: 'wikidata', url: ENTITY_URL });
    expect(one(output.observations, 'ids').ids).toEqual({ wikidata: 'Q2262932', imdb: 'tt0021750' });
  });

  it('the IMDb lookup is not recorded: a miss, not an invented answer', () => {
    expect(corpus.match(imdbLookupRequest('tt0021750').url)).toBeNull();
  });
});

describe('source definition', () => {
  it('declares its host, serial limits, refresh, CC0 terms and replay policy', () => {
    expect(wikidata).toMatchObject({
      id: 'wikidata',
      hosts: ['www.wikidata.org'],
      limits: { concurrency: 1, minIntervalMs: 200 },
      refresh: { ids: 30, score: 7, default: 30 },
      replay: { variantParams: Object.keys(ENTITY_PARAMS) },
    });
    expect(wikidata.terms.licence).toMatch(/^CC0/);
    expect('auth' in wikidata).toBe(false);
    expect(wikidata.gives.includes('\n')).toBe(false);
  });
});
