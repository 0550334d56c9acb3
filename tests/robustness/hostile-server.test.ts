/**
 * A hostile server on the loopback: decompression bombs (1 GB of gzip, deflate and brotli), a body that never
 * ends, headers that never end, a slow drip under the per-chunk timeout but over the total deadline, redirect
 * loops and redirects to another host, a `Retry-After` of a year, a `Content-Type` (or `Content-Encoding`)
 * that lies, invalid UTF-8, a windows-1252 page and 10,000 `Set-Cookie` headers. Each ends within a bounded
 * time in a typed error (or, for what a client must read, in the right text), with bounded memory; and
 * through the whole pipeline, a source that meets such a server fails alone: the run goes on without it.
 */
import { readFileSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BodyTooLargeError,
  RateLimitedError,
  RedirectError,
  StingerError,
  TimeoutError,
  UnexpectedContentError,
} from '../../src/errors.ts';
import type { ClientOptions } from '../../src/http/client.ts';
import { Observation } from '../../src/schema/observation.ts';
import { formatSummary } from '../../src/pipeline/summary.ts';
import { filmPageRequest } from '../../src/scrapers/rottentomatoes/index.ts';
import { detailsRequest } from '../../src/scrapers/tmdb/index.ts';
import { CORPUS_DIR, corpusEntry, corpusText, expectedOf } from '../helpers/corpus.ts';
import { runDirs, startLiveSites, type LiveSites } from '../helpers/live-run.ts';
import { GET, recordingClient, useLoopbackSites } from '../helpers/http.ts';
import { outputOf } from '../helpers/parsers.ts';

const GB = 1024 ** 3;
const MB = 1024 ** 2;
const net = useLoopbackSites();

function makeClient(overrides: Partial<ClientOptions> = {}) {
  return recordingClient(net.agent, {
    timeouts: { headersMs: 500, bodyMs: 500, totalMs: 2_000 },
    // The live policy (four attempts): whatever a hostile server does must not make the client wait on it.
    retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  });
}

interface Measured {
  error: unknown;
  body: string | undefined;
  ms: number;
  /** Peak growth of the JS heap, and of memory outside it (Buffers), over the request. */
  heapGrowth: number;
  externalGrowth: number;
}

/** Runs a request, sampling memory while it runs (and once it has: buffers it dropped are not yet collected). */
async function measured(request: () => Promise<{ body: string }>): Promise<Measured> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  let heap = before.heapUsed;
  let external = before.external;
  const sample = () => {
    const now = process.memoryUsage();
    heap = Math.max(heap, now.heapUsed);
    external = Math.max(external, now.external);
  };
  const sampler = setInterval(sample, 2);
  const started = performance.now();
  let error: unknown;
  let body: string | undefined;
  try {
    body = (await request()).body;
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  sample();
  return { error, body, ms, heapGrowth: heap - before.heapUsed, externalGrowth: external - before.external };
}

function expectBounded(m: Measured, { ms = 5_000, heap = 64 * MB, external = 160 * MB } = {}): void {
  expect(m.ms, 'time').toBeLessThan(ms);
  expect(m.heapGrowth, 'heap growth').toBeLessThan(heap);
  expect(m.externalGrowth, 'memory outside the heap').toBeLessThan(external);
}

/** 1 GB of zeros as gzip (concatenated members), zlib deflate (sync-flushed blocks repeated) and brotli. */
function bombs(): Record<string, Buffer> {
  const sixteenMb = Buffer.alloc(16 * MB);
  const member = zlib.gzipSync(sixteenMb, { level: 9 });
  const blocks = zlib.deflateRawSync(sixteenMb, { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  // adler32 of n zero bytes: a = 1, b = n mod 65521 (a valid stream, whose end no capped reader reaches).
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((GB % 65521) << 16) | 1) >>> 0);
  const deflate = Buffer.concat([Buffer.from([0x78, 0x9c]), ...Array<Buffer>(64).fill(blocks), Buffer.from([0x03, 0x00]), adler]);
  const br = zlib.brotliCompressSync(Buffer.alloc(GB / 16), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } });
  // Sixteen brotli streams do not make one: the brotli bomb is one stream of 64 MB, twice the cap.
  return { gzip: Buffer.concat(Array<Buffer>(64).fill(member)), deflate, br };
}

describe('decompression bombs', () => {
  it('stops inflating at the cap: 1 GB of gzip or deflate, 64 MB of brotli, each a typed error in bounded memory', async () => {
    for (const [encoding, body] of Object.entries(bombs())) {
      net.server.on(`/bomb-${encoding}`, (_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding }).end(body));
      const m = await measured(() => makeClient().client.get(net.server.url(`/bomb-${encoding}`), GET));
      expect(m.error, encoding).toBeInstanceOf(BodyTooLargeError);
      expect((m.error as BodyTooLargeError).what, encoding).toBe('decompressed body');
      expect(net.server.hits(`/bomb-${encoding}`), `${encoding}: a bomb is not fetched again`).toBe(1);
      expectBounded(m);
    }
  });
});

describe('bodies and headers that never end', () => {
  it('a body that never ends (as fast as the socket takes it) stops at the size limit', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    net.server.on('/endless-body', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const m = await measured(() => makeClient().client.get(net.server.url('/endless-body'), GET));
    expect(m.error).toBeInstanceOf(BodyTooLargeError);
    expect((m.error as BodyTooLargeError).what).toBe('body');
    expectBounded(m);
  });

  it('a declared length beyond the limit is refused before reading', async () => {
    net.server.on('/huge-length', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(50 * GB) });
      res.write('x');
    });
    const m = await measured(() => makeClient().client.get(net.server.url('/huge-length'), GET));
    expect(m.error).toBeInstanceOf(BodyTooLargeError);
    expectBounded(m, { ms: 1_000 });
  });

  it('headers that never end: fast, they overflow the header limit; slow, the headers deadline ends them', async () => {
    const endlessHeaders = (intervalMs: number) => (_req: unknown, res: ServerResponse) => {
      const socket = res.socket!;
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n');
      let n = 0;
      const timer = setInterval(() => {
        if (socket.destroyed) return clearInterval(timer);
        socket.write(`X-Endless-${n++}: ${'v'.repeat(100)}\r\n`.repeat(intervalMs === 0 ? 100 : 1));
      }, Math.max(1, intervalMs));
      socket.on('close', () => clearInterval(timer));
    };
    net.server.on('/endless-headers-fast', endlessHeaders(0));
    net.server.on('/endless-headers-slow', endlessHeaders(50));
    const fast = await measured(() => makeClient().client.get(net.server.url('/endless-headers-fast'), GET));
    expect(fast.error).toBeInstanceOf(StingerError);
    expect((fast.error as StingerError).code).toMatch(/body-too-large|timeout/);
    expectBounded(fast);
    const slow = await measured(() => makeClient().client.get(net.server.url('/endless-headers-slow'), GET));
    expect(slow.error).toBeInstanceOf(TimeoutError);
    expect((slow.error as TimeoutError).phase).toBe('headers');
    expectBounded(slow);
  });

  it('a slow drip under the per-chunk timeout but over the total deadline', async () => {
    net.server.on('/drip', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const m = await measured(() => makeClient({ timeouts: { headersMs: 500, bodyMs: 500, totalMs: 1_000 }, retry: { attempts: 1 } }).client.get(net.server.url('/drip'), GET));
    expect(m.error).toBeInstanceOf(TimeoutError);
    expect((m.error as TimeoutError).phase).toBe('total');
    expect(m.ms).toBeGreaterThanOrEqual(900);
    expectBounded(m, { ms: 2_000 });
  });

  it('10,000 Set-Cookie headers', async () => {
    net.server.on('/cookies', (_req, res) => {
      res.setHeader('set-cookie', Array.from({ length: 10_000 }, (_, i) => `c${i}=${'x'.repeat(20)}; Path=/; HttpOnly`));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    const m = await measured(() => makeClient().client.get(net.server.url('/cookies'), GET));
    expect(m.error).toBeInstanceOf(BodyTooLargeError);
    expect((m.error as BodyTooLargeError).what).toBe('headers');
    expectBounded(m);
  });
});

describe('redirects', () => {
  it('a redirect loop, a redirect to 127.0.0.2 or to a foreign host, an endless chain: refused, nothing fetched elsewhere', async () => {
    net.server.on('/loop-a', (_req, res) => res.writeHead(302, { location: '/loop-b' }).end());
    net.server.on('/loop-b', (_req, res) => res.writeHead(301, { location: net.server.url('/loop-a') }).end());
    net.server.on('/to-internal', (_req, res) => res.writeHead(307, { location: `${net.foreign.origin}/` }).end());
    net.server.on('/to-foreign', (_req, res) => res.writeHead(302, { location: 'https://evil.example/steal' }).end());
    net.server.on('/to-script', (_req, res) => res.writeHead(302, { location: 'javascript:alert(1)' }).end());
    net.server.on('/chain', (req, res) => res.writeHead(302, { location: `/chain?n=${Number(new URL(req.url!, 'http://x').searchParams.get('n') ?? 0) + 1}` }).end());
    const reasons: Record<string, RegExp> = {
      '/loop-a': /redirect loop/,
      '/to-internal': /host 127\.0\.0\.2 is not among/,
      '/to-foreign': /host evil\.example is not among/,
      '/to-script': /scheme javascript:/,
      '/chain': /more than 5 redirects/,
    };
    for (const [route, reason] of Object.entries(reasons)) {
      const m = await measured(() => makeClient().client.get(net.server.url(route), GET));
      expect(m.error, route).toBeInstanceOf(RedirectError);
      expect((m.error as RedirectError).reason, route).toMatch(reason);
      expectBounded(m, { ms: 1_000 });
    }
    expect(net.foreign.totalHits()).toBe(0);
    expect(net.server.hits('/chain')).toBe(6);
  });
});

describe('Retry-After of a year', () => {
  it('is not waited for (429 with seconds, 429 with a date, 503): the request fails at once', async () => {
    const year = 365 * 86_400;
    net.server.on('/year-seconds', (_req, res) => res.writeHead(429, { 'retry-after': String(year) }).end('slow down'));
    net.server.on('/year-date', (_req, res) => res.writeHead(429, { 'retry-after': new Date(Date.now() + year * 1000).toUTCString() }).end());
    net.server.on('/year-503', (_req, res) => res.writeHead(503, { 'retry-after': String(year) }).end());
    for (const route of ['/year-seconds', '/year-date', '/year-503']) {
      const { client, delays } = makeClient({ retry: { attempts: 4, maxRetryAfterMs: 120_000 } });
      const m = await measured(() => client.get(net.server.url(route), GET));
      expect(m.error, route).toBeInstanceOf(RateLimitedError);
      expect((m.error as RateLimitedError).retryAfterMs, route).toBeGreaterThan(364 * 86_400_000);
      expect(delays, route).toEqual([]);
      expect(net.server.hits(route), route).toBe(1);
      expectBounded(m, { ms: 1_000 });
    }
  });
});

describe('what the bytes say they are', () => {
  const fightClub = 'tmdb/fight-club-550__movie-details__jdrouet-2024.json';
  const recorded = expectedOf(corpusEntry(fightClub));
  const score = { voteAverage: recorded.tmdbVoteAverage, voteCount: recorded.tmdbVoteCount };
  const details = detailsRequest(550);
  const parseTmdb = (body: string) => {
    try {
      return outputOf(details.parse(body, 'https://api.themoviedb.org/3/movie/550'));
    } catch (error) {
      return error;
    }
  };

  it('a Content-Type or Content-Encoding that lies ends in the right text or a typed error', async () => {
    const json = readFileSync(path.join(CORPUS_DIR, fightClub));
    const html = Buffer.from('<!DOCTYPE html><html><head><title>Fight Club</title></head><body>{"id":550}</body></html>');
    const answers: Record<string, { headers: Record<string, string>; body: Buffer; expect: 'observations' | typeof UnexpectedContentError }> = {
      'JSON labelled HTML': { headers: { 'content-type': 'text/html' }, body: json, expect: 'observations' },
      'JSON labelled an image': { headers: { 'content-type': 'image/png' }, body: json, expect: 'observations' },
      'HTML labelled JSON': { headers: { 'content-type': 'application/json' }, body: html, expect: UnexpectedContentError },
      'UTF-8 labelled UTF-16': { headers: { 'content-type': 'application/json; charset=utf-16le' }, body: json, expect: UnexpectedContentError },
      'plain labelled gzip': { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: json, expect: UnexpectedContentError },
      'an unknown encoding': { headers: { 'content-type': 'application/json', 'content-encoding': 'compress' }, body: json, expect: UnexpectedContentError },
    };
    for (const [what, answer] of Object.entries(answers)) {
      const route = `/lie-${what.replace(/\W+/g, '-')}`;
      net.server.on(route, (_req, res) => res.writeHead(200, answer.headers).end(answer.body));
      const m = await measured(() => makeClient().client.get(net.server.url(route), GET));
      expectBounded(m, { ms: 1_000 });
      const result = m.error ?? parseTmdb(m.body!);
      if (answer.expect === 'observations') {
        const { observations } = result as ReturnType<typeof outputOf>;
        expect(observations.find((o) => o.kind === 'score'), what).toMatchObject(score);
      } else {
        expect(result, what).toBeInstanceOf(answer.expect);
      }
    }
  });

  it('invalid UTF-8 becomes U+FFFD: a title keeps what it could, the numbers stay right', async () => {
    const json = corpusText(fightClub).replace(/("title":\s*)"Fight Club"/, '$1"Fight \u0000BAD\u0000 Club"');
    const [before, after] = json.split('\u0000BAD\u0000') as [string, string];
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from(after)]);
    net.server.on('/bad-utf8', (_req, res) => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(bytes));
    const m = await measured(() => makeClient().client.get(net.server.url('/bad-utf8'), GET));
    const { observations } = parseTmdb(m.body!) as ReturnType<typeof outputOf>;
    expect(observations.find((o) => o.kind === 'details')).toMatchObject({ title: expect.stringMatching(/^Fight \uFFFD+\(?\uFFFD* Club$/) });
    expect(observations.find((o) => o.kind === 'score')).toMatchObject(score);
    for (const o of observations) expect(Observation.safeParse({ ...o, movie: 'tt0137523', observedAt: '2026-01-01' }).success).toBe(true);
  });

  it('a windows-1252 page (declared, or declared UTF-8 and lying) reads the same scores', async () => {
    const file = 'rottentomatoes/rt_m_pulp_fiction_1994_2008_very-old-markup.html';
    const entry = corpusEntry(file);
    const bytes = readFileSync(path.join(CORPUS_DIR, file));
    const page = filmPageRequest('m/pulp_fiction');
    const expected = expectedOf(entry);
    for (const charset of ['windows-1252', 'utf-8']) {
      net.server.on(`/cp1252-${charset}`, (_req, res) => res.writeHead(200, { 'content-type': `text/html; charset=${charset}` }).end(bytes));
      const m = await measured(() => makeClient().client.get(net.server.url(`/cp1252-${charset}`), GET));
      const { observations } = outputOf(page.parse(m.body!, entry.url));
      expect(observations.find((o) => o.kind === 'score'), charset).toMatchObject({ tomatometer: expected.tomatometer, criticCount: expected.tomatometerCount });
      for (const o of observations) expect(Observation.safeParse({ ...o, movie: 'tt0110912', observedAt: '2008-01-01' }).success, charset).toBe(true);
    }
  });
});

describe('through the whole pipeline: the run goes on without the source that meets a hostile server', () => {
  const FILMS = [
    { imdb: 'tt0137523', tmdb: 550, rottenTomatoes: 'm/fight_club', metacritic: 'movie/fight-club', title: 'Fight Club', year: 1999 },
    { imdb: 'tt0133093', tmdb: 603, rottenTomatoes: 'm/matrix', metacritic: 'movie/the-matrix', title: 'The Matrix', year: 1999 },
  ];
  let sites: LiveSites;
  const dirs = runDirs('hostile-pipeline', FILMS);
  const year = String(365 * 86_400);

  beforeAll(async () => {
    sites = await startLiveSites();
    const { br } = bombs();
    // The recorded feed's first 20 entries: every film a feed brings is asked of every source (and of the bomb).
    const feed = corpusText('feeds/kometa-aftercredits/aftercredits.yml').split('\n').slice(0, 20).join('\n');
    sites.server
      // TMDB asks to come back in a year; OMDb sends a brotli bomb; Rotten Tomatoes redirects to another host;
      // Metacritic sends 10,000 cookies; IMDb loops; Wikidata is not asked (no Wikidata ids). The feed is sane.
      .on('/3/movie/550', (_req, res) => res.writeHead(429, { 'retry-after': year }).end())
      .on('/3/movie/603', (_req, res) => res.writeHead(429, { 'retry-after': year }).end())
      .on('/', (_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' }).end(br))
      .on('/m/fight_club', (_req, res) => res.writeHead(302, { location: `${net.foreign.origin}/` }).end())
      .on('/m/matrix', (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end())
      .on('/movie/fight-club/', (_req, res) => {
        res.setHeader('set-cookie', Array.from({ length: 10_000 }, (_, i) => `c${i}=1`));
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
      })
      .on('/title/tt0137523/', (_req, res) => res.writeHead(302, { location: '/title/tt0137523/' }).end())
      .on('/Kometa-Team/AfterCredits/master/aftercredits.yml', (_req, res) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(feed));
  });
  afterAll(async () => {
    await sites.close();
    rmSync(dirs.root, { recursive: true, force: true });
  });

  it('each failing source fails with a typed error; TMDB is halted, not waited for; the feed is filed', async () => {
    const started = performance.now();
    const report = await sites.run(dirs, { env: { TMDB_API_KEY: 'k-hostile-1', OMDB_API_KEY: 'k-hostile-2' }, steps: { collect: true, build: true }, forcePublish: true, concurrency: 1 });
    expect(performance.now() - started).toBeLessThan(10_000);
    const stats = Object.fromEntries(report.collect!.stats.map((s) => [s.source, s]));
    expect(stats.tmdb!.skipped).toMatch(/halted: rate limited, asked to wait 31536000 s/);
    // Its discovery list, then the first film's details: the second film is not asked for.
    expect(stats.tmdb!.requests).toBe(2);
    expect(sites.server.hits('/3/movie/550') + sites.server.hits('/3/movie/603')).toBe(1);
    expect(stats.omdb!.errors['body-too-large']).toBeGreaterThanOrEqual(1);
    expect(stats.rottentomatoes!.errors['redirect-refused']).toBe(2);
    expect(stats.metacritic!.errors['body-too-large']).toBeGreaterThanOrEqual(1);
    expect(stats.imdb!.errors['redirect-refused']).toBeGreaterThanOrEqual(1);
    expect(net.foreign.totalHits()).toBe(0);
    expect(stats.aftercredits!.observations).toBeGreaterThanOrEqual(10);
    // The run went on: the feed's films were built and published.
    expect(report.build!.movies).toBeGreaterThanOrEqual(10);
    expect(report.publish?.changed).toBe(true);
    expect(formatSummary(report)).toMatch(/tmdb: halted for|tmdb: .*halted/);
  }, 60_000);
});
