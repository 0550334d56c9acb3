/**
 * `ReplayCorpus` over the real recorded corpus (read in place), asserted through the `HttpClient` in replay
 * mode: which recording answers which request (exact, variant, alias, newest capture), what is never served,
 * and that replay metadata is trusted in replay only.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, type MockAgent } from 'undici';
import { HttpClient, type HttpResponse } from '../../src/http/client.ts';
import { ReplayCorpus, capturedBy, type ReplayPolicy } from '../../src/http/replay.ts';
import { BodyTooLargeError, HttpError, NotRecordedError, ReplayCorpusError } from '../../src/errors.ts';
import { parseAsOf } from '../../src/cli.ts';
import { CORPUS_DIR, corpusEntry, corpusIndex, corpusText } from '../helpers/corpus.ts';
import { startLoopback, type Loopback } from '../helpers/loopback.ts';

/** The replay policies the TMDB and OMDb sources declare. */
const POLICIES = new Map<string, ReplayPolicy>([
  [
    'api.themoviedb.org',
    { defaultParams: { page: '1' }, caseInsensitiveParams: ['query'], variantParams: ['append_to_response', 'language'] },
  ],
  [
    'www.omdbapi.com',
    {
      caseInsensitiveParams: ['t', 's'],
      variantParams: ['y'],
      aliases: (body) => {
        const record = JSON.parse(body) as { Response?: string; imdbID?: unknown };
        return record.Response === 'True' && typeof record.imdbID === 'string' ? [`https://www.omdbapi.com/?i=${record.imdbID}`] : [];
      },
    },
  ],
]);

let corpus: ReplayCorpus;
let dispatcher: MockAgent;
let client: HttpClient;
const delays: number[] = [];

beforeAll(() => {
  corpus = ReplayCorpus.load(CORPUS_DIR, POLICIES);
  dispatcher = corpus.dispatcher();
  client = new HttpClient({
    dispatcher,
    mode: 'replay',
    userAgent: 'stingerdb-test/1.0',
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 1,
  });
});

afterAll(async () => {
  await dispatcher.close();
});

function get(url: string): Promise<HttpResponse> {
  return client.get(url, { source: 'test', allowedHosts: [new URL(url).hostname] });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the request to fail, it succeeded');
}

describe('exact matches', () => {
  it('answers an exact URL with the recorded body, status, content type and capture date', async () => {
    const file = 'tmdb/fight-club-550__movie-details__jdrouet-2024.json';
    const entry = corpusEntry(file);
    const response = await get('https://api.themoviedb.org/3/movie/550');
    expect(response).toMatchObject({
      status: 200,
      url: entry.url,
      body: corpusText(file),
      from: 'replay',
      observedAt: entry.capturedAt,
      replay: { file, match: 'exact' },
    });
    expect(response.headers['content-type']).toBe(entry.contentType);
    expect(response.observedAt).toBe('2024-02');
  });

  it('answers every served recording at its own URL, with itself or a newer capture of that URL', async () => {
    const unserved = new Set(corpus.unserved.map((u) => u.file));
    const served = corpusIndex().filter((e) => !unserved.has(e.file));
    expect(served.length).toBeGreaterThan(90);
    for (const entry of served) {
      if (entry.status! >= 200 && entry.status! < 300) {
        const response = await get(entry.url);
        expect(response.replay?.match, entry.file).toBe('exact');
        const answered = corpusEntry(response.replay!.file);
        expect(answered.capturedAt >= entry.capturedAt, entry.file).toBe(true);
        expect(response.status, entry.file).toBe(entry.status);
      } else {
        // Recorded API errors (not illustrative ones) are answered as recorded: as the error they were.
        const error = await rejection(get(entry.url));
        expect(error, entry.file).toBeInstanceOf(HttpError);
        expect((error as HttpError).status, entry.file).toBe(entry.status);
      }
    }
  });

  it('serves a recording byte for byte, whatever its charset', async () => {
    const file = 'rottentomatoes/rt_m_pulp_fiction_1994_2008_very-old-markup.html';
    const response = await get(corpusEntry(file).url);
    expect(response.replay?.file).toBe(file);
    expect(response.bytes).toBe(readFileSync(path.join(CORPUS_DIR, file)).length);
    expect(response.body).toBe(corpusText(file));
  });

  it('prefers the exact capture to one with other presentation parameters', async () => {
    const response = await get('https://api.themoviedb.org/3/movie/550/keywords');
    expect(response.replay).toEqual({ file: 'tmdb/fight-club-550__keywords__jdrouet-2024.json', match: 'exact' });
    expect(response.observedAt).toBe('2024-02');
  });

  it('serves the newest of two recordings of one URL', async () => {
    const cases = [
      ['https://www.rottentomatoes.com/m/the_dark_knight', 'rottentomatoes/rt_m_the_dark_knight_2008_2026-05_jsonld_TRIMMED.html', '2026-05-14'],
      ['https://www.imdb.com/title/tt0111161/', 'imdb/imdb_tt0111161_shawshank_1994_title_2023-02_new-nextjs-hu.html', '2023-02-08'],
      // Trailing slash ignored.
      ['https://www.imdb.com/title/tt0111161', 'imdb/imdb_tt0111161_shawshank_1994_title_2023-02_new-nextjs-hu.html', '2023-02-08'],
      [
        'https://www.rottentomatoes.com/m/harry_potter_and_the_deathly_hallows_part_2',
        'rottentomatoes/rt_m_harry_potter_and_the_deathly_hallows_part_2_2011_2024-04_media-scorecard-json_TRIMMED.html',
        '2024-04-28',
      ],
    ] as const;
    for (const [url, file, capturedAt] of cases) {
      const response = await get(url);
      expect(response.replay?.file, url).toBe(file);
      expect(response.observedAt, url).toBe(capturedAt);
    }
  });

  it('drops default parameters and compares case-insensitive ones in any case', async () => {
    const response = await get('https://api.themoviedb.org/3/search/movie?query=man%20of%20steel&language=en-US&year=2013');
    expect(response.replay).toEqual({ file: 'tmdb/search-movie-man-of-steel-year2013__subliminal-2025.json', match: 'exact' });
    const page2 = await get('https://api.themoviedb.org/3/search/movie?query=James+Bond&language=en-US&page=2');
    expect(page2.replay?.file).toBe('tmdb/search-movie-james-bond-page2__subliminal-2025.json');
  });

  it('serves the Wikidata entity file wrapped as the API answers it', async () => {
    const file = 'wikidata/city-streets-1931-Q2262932__wbgetentities-entity__we-framework-2018.json';
    const response = await get('https://www.wikidata.org/w/api.php?action=wbgetentities&ids=Q2262932&format=json');
    expect(response.replay?.file).toBe(file);
    const body = JSON.parse(response.body) as { entities: Record<string, unknown>; success: number };
    expect(Object.keys(body)).toEqual(['entities', 'success']);
    expect(body.success).toBe(1);
    expect(Object.keys(body.entities)).toEqual(['Q2262932']);
    expect(body.entities.Q2262932).toEqual(JSON.parse(corpusText(file)));
  });
});

describe('variant matches', () => {
  it('answers an append_to_response request with the newest plain capture, without the key', async () => {
    const response = await get(
      'https://api.themoviedb.org/3/movie/550?append_to_response=credits,external_ids,keywords,release_dates&api_key=XYZ',
    );
    expect(response.replay).toEqual({ file: 'tmdb/fight-club-550__movie-details__jdrouet-2024.json', match: 'variant' });
    expect(response.url).toBe('https://api.themoviedb.org/3/movie/550');
    expect(response.observedAt).toBe('2024-02');
    expect(JSON.stringify({ ...response, body: '' })).not.toContain('XYZ');
  });

  it('answers through a capture with another language when no other exists', async () => {
    const response = await get('https://api.themoviedb.org/3/movie/550/releases');
    expect(response.replay).toEqual({ file: 'tmdb/fight-club-550__releases-legacy__18months-2022.json', match: 'variant' });
    expect(response.url).toBe('https://api.themoviedb.org/3/movie/550/releases?language=en');
  });
});

describe('what is never served', () => {
  it('never serves an error body whose URL is illustrative', async () => {
    expect(corpus.unserved).toContainEqual({ file: 'tmdb/error-401-invalid-api-key__adamayoung.json', reason: 'error body with an illustrative URL' });
    // Its URL still answers, as a variant of the real capture: never with the illustrative 401.
    const response = await get('https://api.themoviedb.org/3/movie/550?append_to_response=keywords');
    expect(response.status).toBe(200);
    expect(response.replay?.file).toBe('tmdb/fight-club-550__movie-details__jdrouet-2024.json');
    for (const url of ['https://api.themoviedb.org/3/movie/999999999', 'https://api.themoviedb.org/3/movie/0']) {
      expect(await rejection(get(url)), url).toBeInstanceOf(NotRecordedError);
    }
  });

  it('never serves a JSON-LD extract', async () => {
    for (const file of ['jsonld/rt_m_wonder_woman_1984_2021-05_jsonld-extract.json', 'jsonld/metacritic_movie_wonder-woman-1984_2021-05_jsonld-extract.json']) {
      expect(corpus.unserved).toContainEqual({ file, reason: 'not an HTTP body (extract)' });
      expect(await rejection(get(corpusEntry(file).url)), file).toBeInstanceOf(NotRecordedError);
    }
  });

  it('refuses an unrecorded URL with NotRecordedError, without retrying or touching the network', async () => {
    const server = await startLoopback();
    try {
      server.on('/movie', (_req, res) => res.end('live'));
      delays.length = 0;
      const error = await rejection(client.get(server.url('/movie'), { source: 'test', allowedHosts: ['127.0.0.1'] }));
      expect(error).toBeInstanceOf(NotRecordedError);
      expect(server.totalHits()).toBe(0);
      const tmdb = await rejection(get('https://api.themoviedb.org/3/movie/1?api_key=XYZ'));
      expect(tmdb).toBeInstanceOf(NotRecordedError);
      expect(tmdb.message).toBe('GET https://api.themoviedb.org/3/movie/1 is not recorded in the replay corpus');
      expect(delays).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('OMDb', () => {
  it('answers ?i= exactly, the key dropped', async () => {
    const response = await get('https://www.omdbapi.com/?i=tt0770828&apikey=K3Y');
    expect(response.replay).toEqual({ file: 'omdb/man-of-steel-2013-tt0770828__by-id__subliminal-2026.json', match: 'exact' });
    expect(response.url).toBe('https://www.omdbapi.com/?i=tt0770828');
  });

  it('answers ?i= of a film recorded only by title through the alias', async () => {
    const response = await get('https://www.omdbapi.com/?i=tt1961175');
    expect(response.replay).toEqual({ file: 'omdb/american-assassin-2017-tt1961175__by-title__fopp-2018.json', match: 'alias' });
    expect(JSON.parse(response.body)).toMatchObject({ imdbID: 'tt1961175', Title: 'American Assassin' });
  });

  it('answers a title in another case', async () => {
    const response = await get('https://www.omdbapi.com/?t=the%20fate%20of%20the%20furious');
    expect(response.replay).toEqual({ file: 'omdb/the-fate-of-the-furious-2017-tt4630562__by-title__fopp-2018.json', match: 'exact' });
  });

  it('answers a title with a year through the recording without one (identity is the parser’s check)', async () => {
    const response = await get('https://www.omdbapi.com/?t=Captain%20Marvel&y=2019');
    expect(response.replay).toEqual({ file: 'omdb/captain-marvel-1962-tt3959390__by-title__fopp-2018.json', match: 'variant' });
    expect(JSON.parse(response.body)).toMatchObject({ Year: '1962' });
  });

});

describe('matching rules', () => {
  it('does not let an encoded & or = pass for another parameter', () => {
    const base = corpusEntry('omdb/the-heat-2013-tt2404463__by-title__fopp-2018.json');
    const synthetic = new ReplayCorpus(CORPUS_DIR, [{ ...base, url: 'https://example.test/search?q=a%26r%3Dc' }], POLICIES);
    expect(synthetic.match('https://example.test/search?q=a%26r%3Dc')?.match).toBe('exact');
    expect(synthetic.match('https://example.test/search?q=a&r=c')).toBeNull();
  });

  it('loads when a policy cannot read some bodies (no aliases for them)', () => {
    const strict = new Map(POLICIES).set('www.rottentomatoes.com', {
      aliases: (body: string) => [(JSON.parse(body) as { url: string }).url],
    });
    const loaded = ReplayCorpus.load(CORPUS_DIR, strict);
    expect(loaded.match('https://www.rottentomatoes.com/m/the_dark_knight')?.entry.file).toBe(
      'rottentomatoes/rt_m_the_dark_knight_2008_2026-05_jsonld_TRIMMED.html',
    );
  });
});

describe('as of a moment (--as-of)', () => {
  const FEED = 'https://raw.githubusercontent.com/Kometa-Team/AfterCredits/master/aftercredits.yml';
  const servedAt = (asOf: string) => ReplayCorpus.load(CORPUS_DIR, POLICIES, { asOf: parseAsOf(asOf)! }).match(FEED)?.entry.file ?? null;

  it('answers a feed from the newest of its nightly captures not after the moment', () => {
    expect(servedAt('2025-07-12')).toBe('feeds/kometa-aftercredits/history/2025-07-12T02-01-54Z_e2b291a761d8.yml');
    expect(servedAt('2025-07-11T04:59:00Z')).toBe('feeds/kometa-aftercredits/history/2025-07-11T04-58-04Z_43183f5879d1.yml');
    expect(servedAt('2025-07-11T04:59:48Z')).toBe('feeds/kometa-aftercredits/history/2025-07-11T04-59-48Z_2118039f4c14.yml');
    expect(servedAt('2026-08-22')).toBe('feeds/kometa-aftercredits/aftercredits.yml');
    expect(servedAt('2025-07-09')).toBeNull();
    // Without a moment, the newest capture of all.
    expect(corpus.match(FEED)?.entry.file).toBe('feeds/kometa-aftercredits/aftercredits.yml');
  });

  it('never serves a capture that may be from after the moment (a month or a year counts to its end)', () => {
    expect(new Date(capturedBy('2026-05')).toISOString()).toBe('2026-05-31T23:59:59.999Z');
    expect(new Date(capturedBy('2024')).toISOString()).toBe('2024-12-31T23:59:59.999Z');
    expect(new Date(capturedBy('2025-02-13')).toISOString()).toBe('2025-02-13T23:59:59.999Z');
    expect(new Date(capturedBy('2025-07-10T05:57:09Z')).toISOString()).toBe('2025-07-10T05:57:09.000Z');
    // The Dark Knight's RT pages: one captured "2025" (the year only), one on 2026-05-14.
    const rt = 'https://www.rottentomatoes.com/m/the_dark_knight';
    const at = (asOf: string) => ReplayCorpus.load(CORPUS_DIR, POLICIES, { asOf: parseAsOf(asOf)! }).match(rt)?.entry.file ?? null;
    expect(at('2026-05-14')).toBe('rottentomatoes/rt_m_the_dark_knight_2008_2026-05_jsonld_TRIMMED.html');
    expect(at('2026-05-13')).toBe('rottentomatoes/rt_m_the_dark_knight_2008_2026_media-scorecard-json_TRIMMED.html');
    expect(at('2025-12-31')).toBe('rottentomatoes/rt_m_the_dark_knight_2008_2026_media-scorecard-json_TRIMMED.html');
    expect(at('2025-12-30')).toBeNull();
  });

  it('reads --as-of as a date-time, or a date meaning the end of that day (UTC)', () => {
    expect(parseAsOf('2025-08-01')?.toISOString()).toBe('2025-08-01T23:59:59.999Z');
    expect(parseAsOf('2025-08-01T02:00:00Z')?.toISOString()).toBe('2025-08-01T02:00:00.000Z');
    expect(parseAsOf('2025-08-01T04:00:00+02:00')?.toISOString()).toBe('2025-08-01T02:00:00.000Z');
    for (const bad of ['yesterday', '2025-13-01', '2025-08-01 02:00', '20250801', '']) expect(parseAsOf(bad), bad).toBeNull();
  });
});

describe('a corpus is contained in its folder', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'stingerdb-corpus-'));
  const entry = (file: string, url: string) => ({ file, source: 'test', kind: 'feed', url, status: 200, contentType: 'text/plain', capturedAt: '2026-01-01' });
  const write = (entries: object[]) => writeFileSync(path.join(root, 'index.json'), JSON.stringify(entries));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses an index that names a file outside the folder, by path or through a link, or a missing one', () => {
    writeFileSync(path.join(root, 'good.txt'), 'fine');
    symlinkSync('/etc/passwd', path.join(root, 'passwd-link.txt'));
    write([
      entry('good.txt', 'https://example.test/good'),
      entry('../../../etc/passwd', 'https://example.test/escape'),
      entry('passwd-link.txt', 'https://example.test/link'),
      entry('missing.txt', 'https://example.test/missing'),
    ]);
    let error: unknown;
    try {
      ReplayCorpus.load(root, new Map());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReplayCorpusError);
    const message = (error as Error).message;
    expect(message).toContain('"../../../etc/passwd": outside the corpus folder');
    expect(message).toContain('"passwd-link.txt": a link to /etc/passwd, outside the corpus folder');
    expect(message).toContain('"missing.txt": no such file');
    expect(message).not.toContain('good.txt');
  });

  it('answers a recording larger than the body limit with BodyTooLargeError, without reading it', async () => {
    rmSync(path.join(root, 'passwd-link.txt'));
    const huge = path.join(root, 'huge.txt');
    writeFileSync(huge, '');
    truncateSync(huge, 1_900_000_000); // sparse: 1.9 GB long, nothing on disk
    write([entry('good.txt', 'https://example.test/good'), entry('huge.txt', 'https://example.test/huge')]);
    const small = ReplayCorpus.load(root, new Map());
    const agent = small.dispatcher();
    const replay = new HttpClient({ dispatcher: agent, mode: 'replay', userAgent: 'stingerdb-test/1.0', retry: { attempts: 1 } });
    const before = process.memoryUsage().rss;
    const error = await rejection(replay.get('https://example.test/huge', { source: 'test', allowedHosts: ['example.test'] }));
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(error.message).toContain('https://example.test/huge');
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    expect((await replay.get('https://example.test/good', { source: 'test', allowedHosts: ['example.test'] })).body).toBe('fine');
    await agent.close();
  });

  it('refuses an index too large to be one, before reading it', () => {
    truncateSync(path.join(root, 'index.json'), 100 * 1024 * 1024);
    expect(() => ReplayCorpus.load(root, new Map())).toThrow(/index\.json[\s\S]*more than a corpus index can be/);
  });
});

describe('replay metadata', () => {
  it('keeps the x-stingerdb-* headers out of the response', async () => {
    const response = await get('https://api.themoviedb.org/3/movie/550');
    expect(Object.keys(response.headers).filter((name) => name.startsWith('x-stingerdb-'))).toEqual([]);
  });

  describe('in live mode', () => {
    let server: Loopback;
    let agent: Agent;
    beforeAll(async () => {
      server = await startLoopback();
      agent = new Agent();
    });
    afterAll(async () => {
      await agent.destroy();
      await server.close();
    });

    it('does not trust replay headers sent by a server', async () => {
      server.on('/forged', (_req, res) =>
        res
          .writeHead(200, {
            'content-type': 'application/json',
            'x-stingerdb-captured-at': '1999-01-01',
            'x-stingerdb-replay-file': 'tmdb/fight-club-550__movie-details__jdrouet-2024.json',
            'x-stingerdb-replay-url': 'https://api.themoviedb.org/3/movie/550',
            'x-stingerdb-replay-match': 'exact',
          })
          .end('{}'),
      );
      const now = Date.parse('2030-06-01T12:00:00Z');
      const live = new HttpClient({ dispatcher: agent, mode: 'live', userAgent: 'stingerdb-test/1.0', now: () => now });
      const response = await live.get(server.url('/forged'), { source: 'test', allowedHosts: ['127.0.0.1'] });
      expect(response.from).toBe('network');
      expect(response.observedAt).toBe('2030-06-01T12:00:00Z');
      expect(response.url).toBe(server.url('/forged'));
      expect(response.replay).toBeUndefined();
      expect(Object.keys(response.headers).filter((name) => name.startsWith('x-stingerdb-'))).toEqual([]);
    });
  });
});
