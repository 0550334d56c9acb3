/**
 * Nothing lost: a first live run (against a loopback serving real recordings) publishes; then every source but
 * one starts failing — HTTP 500s, a changed layout, hostile bodies (a bomb, a redirect away, a consent page, a
 * bot challenge, an HTML error page, a truncated feed) — while TMDB stays healthy and reports a new score for
 * one film. A forced second run keeps every failing source's observations byte for byte; the quality gate
 * refuses to publish and the previous snapshot stays as it was; published anyway, every record equals the
 * previous one but for what the healthy source changed.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Movie } from '../../src/schema/movie.ts';
import type { RunReport } from '../../src/pipeline/run.ts';
import { CORPUS_DIR, corpusText } from '../helpers/corpus.ts';
import { runDirs, startLiveSites, type LiveSites } from '../helpers/live-run.ts';
import { filesOf } from '../helpers/folder.ts';

const FILMS = [
  { imdb: 'tt0137523', tmdb: 550 },
  { imdb: 'tt0133093', tmdb: 603 },
  { imdb: 'tt0468569', rottenTomatoes: 'm/the_dark_knight', metacritic: 'movie/the-dark-knight' },
  { imdb: 'tt0110912', rottenTomatoes: 'm/pulp_fiction' },
  { imdb: 'tt0111161', rottenTomatoes: 'm/shawshank_redemption' },
  { imdb: 'tt0478970' },
  { imdb: 'tt0770828' },
];
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-27T03:00:00Z');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const send = (type: string, body: string | Buffer, status = 200, headers: Record<string, string> = {}): Handler => (_req, res) => res.writeHead(status, { 'content-type': type, ...headers }).end(body);
const json = (body: string) => send('application/json; charset=utf-8', body);
const html = (body: string | Buffer, charset = 'utf-8') => send(`text/html; charset=${charset}`, body);

/** Real recordings, by path: what every source answers while healthy. */
function healthy(): Record<string, Handler> {
  const fightClub = (file: string) => json(corpusText(`tmdb/fight-club-550__${file}__jdrouet-2024.json`));
  return {
    '/3/movie/550': fightClub('movie-details'),
    '/3/movie/550/credits': fightClub('credits'),
    '/3/movie/550/keywords': fightClub('keywords'),
    '/3/movie/550/external_ids': fightClub('external_ids'),
    '/3/movie/550/release_dates': fightClub('release_dates'),
    '/3/movie/603': json(corpusText('tmdb/the-matrix-603__movie-details+alternative_titles__flexget-2017.json')),
    '/': (req, res) => {
      if (new URL(req.url!, 'http://x').searchParams.get('i') === 'tt0770828') json(corpusText('omdb/man-of-steel-2013-tt0770828__by-id__subliminal-2026.json'))(req, res);
      else res.writeHead(404).end();
    },
    '/m/the_dark_knight': html(corpusText('rottentomatoes/rt_m_the_dark_knight_2008_2026_media-scorecard-json_TRIMMED.html')),
    '/m/pulp_fiction': html(readFileSync(path.join(CORPUS_DIR, 'rottentomatoes/rt_m_pulp_fiction_1994_2008_very-old-markup.html')), 'ISO-8859-1'),
    '/m/shawshank_redemption': html(corpusText('rottentomatoes/rt_m_shawshank_redemption_1994_2019-07_old-mop.html')),
    '/movie/the-dark-knight/': html(corpusText('metacritic/metacritic_movie_the-dark-knight_2008_2026_jsonld_TRIMMED.html')),
    '/title/tt0111161/': html(corpusText('imdb/imdb_tt0111161_shawshank_1994_title_2023-02_new-nextjs-hu.html')),
    '/title/tt0478970/': html(corpusText('imdb/imdb_tt0478970_ant-man_2015_title_2017-01_old.html')),
    '/title/tt0478970/crazycredits': html(corpusText('imdb/imdb_tt0478970_ant-man_2015_crazycredits_2017-03_old.html')),
    '/title/tt0133093/reference': html(corpusText('imdb/imdb_tt0133093_the-matrix_1999_reference-view_2023-09-18.html')),
    '/Kometa-Team/AfterCredits/master/aftercredits.yml': send('text/plain; charset=utf-8', feed()),
  };
}

/** The recorded feed's first 40 entries (every film a feed brings is asked of every source). */
function feed(): string {
  return `${corpusText('feeds/kometa-aftercredits/aftercredits.yml').split('\n').slice(0, 40).join('\n')}\n`;
}

/** What the failing sources answer instead; `slow500` also sends Metacritic 500s, which cost the client its retries. */
function failing({ slow500 }: { slow500: boolean }): Record<string, Handler> {
  const moved = (body: string) => JSON.stringify({ data: { type: 'movie', attributes: JSON.parse(body) as unknown } });
  const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
  const fightClub = JSON.parse(corpusText('tmdb/fight-club-550__movie-details__jdrouet-2024.json')) as { vote_average: number; vote_count: number };
  return {
    // TMDB stays healthy: a new score for Fight Club, the rest as before.
    '/3/movie/550': json(JSON.stringify({ ...fightClub, vote_average: 9.1, vote_count: fightClub.vote_count + 5000 })),
    '/': html('<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>'),
    '/m/the_dark_knight': send('text/html', bomb, 200, { 'content-encoding': 'gzip' }),
    '/m/pulp_fiction': (_req, res) => res.writeHead(302, { location: 'https://evil.example/m/pulp_fiction' }).end(),
    '/m/shawshank_redemption': html('<!DOCTYPE html><html><head><title>Rotten Tomatoes</title><link rel="canonical" href="https://www.rottentomatoes.com/"></head><body><h1>We value your privacy</h1></body></html>'),
    '/movie/the-dark-knight/': slow500
      ? send('text/plain', 'Internal Server Error', 500)
      : html(corpusText('metacritic/metacritic_movie_the-dark-knight_2008_2026_jsonld_TRIMMED.html').replace('"@type":"Movie"', '"@type":"CreativeWork"')),
    '/title/tt0111161/': html('<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>'),
    '/title/tt0478970/': html(corpusText('imdb/imdb_tt0478970_ant-man_2015_title_2017-01_old.html').replace(/itemprop="ratingValue"/g, 'itemprop="score"')),
    '/title/tt0478970/crazycredits': html(corpusText('imdb/imdb_tt0478970_ant-man_2015_crazycredits_2017-03_old.html').slice(0, 40_000)),
    '/title/tt0133093/reference': (_req, res) => res.writeHead(302, { location: '/title/tt0133093/reference' }).end(),
    '/3/movie/603': json(moved(corpusText('tmdb/the-matrix-603__movie-details+alternative_titles__flexget-2017.json'))),
    '/Kometa-Team/AfterCredits/master/aftercredits.yml': send('text/plain; charset=utf-8', feed().slice(0, Math.floor(feed().length / 2))),
  };
}

describe('a source that fails keeps its last good observations; the snapshot loses nothing', () => {
  let sites: LiveSites;
  const dirs = runDirs('nothing-lost', FILMS);
  const env = { TMDB_API_KEY: 'k-lost-1', OMDB_API_KEY: 'k-lost-2' };
  const serve = (handlers: Record<string, Handler>) => {
    for (const [route, handler] of Object.entries(handlers)) sites.server.on(route, handler);
  };
  const observations = () => Object.fromEntries(readdirSync(dirs.observationsDir).map((f) => [f, readFileSync(path.join(dirs.observationsDir, f), 'utf8')]));
  const snapshotFiles = () => filesOf(dirs.outDir);
  const moviesOf = () => JSON.parse(readFileSync(path.join(dirs.outDir, 'records', 'movies.json'), 'utf8')) as Movie[];
  let first: { report: RunReport; observations: Record<string, string>; snapshot: Record<string, Buffer>; movies: Movie[] };

  beforeAll(async () => {
    sites = await startLiveSites();
    serve(healthy());
    const report = await sites.run(dirs, { env, now: () => T0, date: new Date(T0), forcePublish: true });
    first = { report, observations: observations(), snapshot: snapshotFiles(), movies: moviesOf() };
  }, 60_000);
  afterAll(async () => {
    await sites.close();
    rmSync(dirs.root, { recursive: true, force: true });
  });

  it('the first run filed every source and published', () => {
    const stats = Object.fromEntries(first.report.collect!.stats.map((s) => [s.source, s]));
    for (const source of ['tmdb', 'omdb', 'rottentomatoes', 'metacritic', 'imdb', 'aftercredits']) expect(stats[source]!.observations, source).toBeGreaterThan(0);
    expect(first.report.publish?.changed).toBe(true);
    expect(first.movies.find((m) => m.id === 'tt0468569')?.scores.rottenTomatoes?.tomatometer).toBeTypeOf('number');
  });

  it('failing sources keep their observations; the gate refuses and the previous snapshot stays byte for byte', async () => {
    serve(failing({ slow500: true }));
    const report = await sites.run(dirs, { env, now: () => T0 + 2 * DAY, date: new Date(T0 + 2 * DAY), force: true });
    const stats = Object.fromEntries(report.collect!.stats.map((s) => [s.source, s]));
    // Each failed, each in its own typed way, and filed nothing new.
    const failed = (source: string, codes: Record<string, number>) => {
      for (const [code, n] of Object.entries(codes)) expect(stats[source]!.errors[code] ?? 0, `${source} ${code}`).toBeGreaterThanOrEqual(n);
    };
    failed('omdb', { 'unexpected-content': 1 });
    failed('rottentomatoes', { 'body-too-large': 1, 'redirect-refused': 1, 'unexpected-content': 1 });
    failed('metacritic', { http: 1 });
    failed('imdb', { 'unexpected-content': 2, 'layout-changed': 1, 'redirect-refused': 1 });
    failed('tmdb', { 'unexpected-content': 1 });
    const now = observations();
    for (const source of ['omdb', 'rottentomatoes', 'metacritic', 'imdb', 'aftercredits']) {
      expect(now[`${source}.jsonl`], `${source}.jsonl`).toBe(first.observations[`${source}.jsonl`]);
    }
    // TMDB: the one healthy answer changed one line; everything else — The Matrix's observations (a changed
    // layout), Fight Club's ids (re-read from two endpoints in turn) — is byte for byte what it was, dates included.
    const lines = (text: string) => text.split('\n').filter(Boolean);
    const changed = lines(now['tmdb.jsonl']!).filter((c) => !lines(first.observations['tmdb.jsonl']!).includes(c));
    expect(changed, changed.join('\n')).toHaveLength(1);
    expect(JSON.parse(changed[0]!)).toMatchObject({ movie: 'tt0137523', kind: 'score', voteAverage: 9.1 });
    const matrix = (text: string) => text.split('\n').filter((l) => l.includes('"movie":"tt0133093"'));
    expect(matrix(now['tmdb.jsonl']!).length).toBeGreaterThan(0);
    expect(matrix(now['tmdb.jsonl']!)).toEqual(matrix(first.observations['tmdb.jsonl']!));
    // The run looked degraded: nothing published, the previous snapshot untouched.
    expect(report.refused?.join('\n')).toMatch(/returned nothing|could not be read/);
    expect(report.publish).toBeUndefined();
    const snapshot = snapshotFiles();
    expect(Object.keys(snapshot).sort()).toEqual(Object.keys(first.snapshot).sort());
    for (const [file, bytes] of Object.entries(first.snapshot)) expect(snapshot[file]!.equals(bytes), file).toBe(true);
  }, 60_000);

  it('published anyway, every record equals the previous one but for the healthy source\'s new score', async () => {
    serve(failing({ slow500: false }));
    const report = await sites.run(dirs, { env, now: () => T0 + 3 * DAY, date: new Date(T0 + 3 * DAY), force: true, forcePublish: true });
    expect(report.overridden?.length).toBeGreaterThan(0);
    expect(report.publish?.changed).toBe(true);
    const before = new Map(first.movies.map((m) => [m.id, m]));
    const after = moviesOf();
    expect(after.map((m) => m.id)).toEqual([...before.keys()]);
    const withoutTmdbScore = (m: Movie) => ({ ...m, scores: { ...m.scores, tmdb: undefined }, sources: m.sources.filter((s) => s.source !== 'tmdb') });
    for (const movie of after) {
      if (movie.id === 'tt0137523') {
        expect(movie.scores.tmdb).toMatchObject({ voteAverage: 9.1 });
        expect(withoutTmdbScore(movie)).toEqual(withoutTmdbScore(before.get(movie.id)!));
      } else {
        expect(movie, movie.id).toEqual(before.get(movie.id));
      }
    }
  }, 60_000);
});
