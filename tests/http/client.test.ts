/**
 * The HTTP client against a loopback server: retries and backoff, deadlines, size limits, decoding,
 * redirects, key redaction and per-host politeness. `sleep` is injected (records the delay, resolves at once)
 * so backoff is asserted, not waited for; the timeout and politeness tests use small real clocks.
 */
import { gzipSync, brotliCompressSync, deflateSync, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import { HttpClient, type ClientOptions } from '../../src/http/client.ts';
import { registerSecret } from '../../src/http/redact.ts';
import {
  BodyTooLargeError,
  HttpError,
  NetworkError,
  RateLimitedError,
  RedirectError,
  TimeoutError,
} from '../../src/errors.ts';
import { GET, recordingClient, useLoopbackSites } from '../helpers/http.ts';

const sites = useLoopbackSites();

function makeClient(overrides: Partial<ClientOptions> = {}) {
  return recordingClient(sites.agent, {
    timeouts: { headersMs: 2_000, bodyMs: 2_000, totalMs: 5_000 },
    retry: { attempts: 4, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 },
    random: () => 1,
    ...overrides,
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the request to fail, it succeeded');
}

describe('retries and backoff', () => {
  it('waits what a 429 Retry-After (seconds) asks, then succeeds', async () => {
    sites.server.on('/429-seconds', (_req, res, hit) => {
      if (hit === 1) res.writeHead(429, { 'retry-after': '2' }).end('slow down');
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    const { client, delays, events } = makeClient();
    const response = await client.get(sites.server.url('/429-seconds'), GET);
    expect(response.status).toBe(200);
    expect(response.body).toBe('ok');
    expect(sites.server.hits('/429-seconds')).toBe(2);
    expect(delays).toEqual([2_000]);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ reason: 'rate-limited', delayMs: 2_000 });
  });

  it('waits what a 429 Retry-After (HTTP date) asks', async () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    sites.server.on('/429-date', (_req, res, hit) => {
      if (hit === 1) res.writeHead(429, { 'retry-after': new Date(now + 7_000).toUTCString() }).end();
      else res.end('ok');
    });
    const { client, delays } = makeClient({ now: () => now });
    const response = await client.get(sites.server.url('/429-date'), GET);
    expect(response.body).toBe('ok');
    expect(delays).toEqual([7_000]);
  });

  it('backs off exponentially on 503, with full jitter bounded by the policy', async () => {
    for (const [random, expected] of [
      [1, [500, 1_000]],
      [0.5, [250, 500]],
    ] as const) {
      const path = `/503-twice-${random}`;
      sites.server.on(path, (_req, res, hit) => {
        if (hit <= 2) res.writeHead(503).end('busy');
        else res.end('ok');
      });
      const { client, delays, events } = makeClient({ random: () => random });
      const response = await client.get(sites.server.url(path), GET);
      expect(response.body).toBe('ok');
      expect(sites.server.hits(path)).toBe(3);
      expect(delays).toEqual(expected);
      expect(events.filter((e) => e.type === 'attempt').map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2, 3]);
    }
  });

  it('never waits longer than maxDelayMs between attempts', async () => {
    sites.server.on('/503-capped', (_req, res, hit) => {
      if (hit <= 3) res.writeHead(502).end();
      else res.end('ok');
    });
    const { client, delays } = makeClient({ retry: { attempts: 4, baseDelayMs: 500, maxDelayMs: 700 } });
    await client.get(sites.server.url('/503-capped'), GET);
    expect(delays).toEqual([500, 700, 700]);
  });

  it('gives up with HttpError after `attempts` tries of 5xx', async () => {
    sites.server.on('/500-always', (_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('boom'));
    const { client, delays, events } = makeClient({ retry: { attempts: 3 } });
    const error = await rejection(client.get(sites.server.url('/500-always'), GET));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 500, method: 'GET', source: 'test', body: 'boom', retryable: true });
    expect((error as HttpError).url).toBe(sites.server.url('/500-always'));
    expect(sites.server.hits('/500-always')).toBe(3);
    expect(delays).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'failure', error });
  });

  it('does not retry a 404', async () => {
    sites.server.on('/404', (_req, res) => res.writeHead(404).end('nope'));
    const { client, delays } = makeClient();
    const error = await rejection(client.get(sites.server.url('/404'), GET));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).not.toBeInstanceOf(RateLimitedError);
    expect((error as HttpError).status).toBe(404);
    expect(sites.server.hits('/404')).toBe(1);
    expect(delays).toEqual([]);
  });

  it('fails at once with RateLimitedError when Retry-After exceeds maxRetryAfterMs', async () => {
    sites.server.on('/429-long', (_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end());
    const { client, delays } = makeClient({ retry: { maxRetryAfterMs: 60_000 } });
    const error = await rejection(client.get(sites.server.url('/429-long'), GET));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(3_600_000);
    expect(sites.server.hits('/429-long')).toBe(1);
    expect(delays).toEqual([]);
  });

  it('treats a 503 with Retry-After as a rate limit', async () => {
    sites.server.on('/503-retry-after', (_req, res, hit) => {
      if (hit === 1) res.writeHead(503, { 'retry-after': '3' }).end();
      else res.end('ok');
    });
    const { client, delays } = makeClient();
    await client.get(sites.server.url('/503-retry-after'), GET);
    expect(delays).toEqual([3_000]);
  });
});

describe('deadlines', () => {
  const fast = { timeouts: { headersMs: 200, bodyMs: 200, totalMs: 2_000 }, retry: { attempts: 1 } };

  it('times out (headers) on a server that accepts but never answers', async () => {
    sites.server.on('/no-headers', () => undefined);
    const { client } = makeClient(fast);
    const started = performance.now();
    const error = await rejection(client.get(sites.server.url('/no-headers'), GET));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ phase: 'headers', timeoutMs: 200 });
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(1_500);
  });

  it('times out (body) on a body that stalls mid-way', async () => {
    sites.server.on('/stall-body', (_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('x'.repeat(100));
    });
    const { client } = makeClient(fast);
    const error = await rejection(client.get(sites.server.url('/stall-body'), GET));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ phase: 'body', timeoutMs: 200 });
  });

  it('times out (total) on a slow drip that beats the per-chunk timeout', async () => {
    sites.server.on('/drip', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), 40);
      res.on('close', () => clearInterval(timer));
    });
    const { client } = makeClient({ timeouts: { headersMs: 200, bodyMs: 200, totalMs: 400 }, retry: { attempts: 1 } });
    const started = performance.now();
    const error = await rejection(client.get(sites.server.url('/drip'), GET));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ phase: 'total', timeoutMs: 400 });
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('retries a timeout (it is retryable)', async () => {
    sites.server.on('/timeout-then-ok', (_req, res, hit) => {
      if (hit > 1) res.end('ok');
    });
    const { client } = makeClient({ timeouts: { headersMs: 200 } });
    const response = await client.get(sites.server.url('/timeout-then-ok'), GET);
    expect(response.body).toBe('ok');
    expect(sites.server.hits('/timeout-then-ok')).toBe(2);
  });
});

describe('body size and decoding', () => {
  it('refuses a body over maxBodyBytes declared by Content-Length', async () => {
    sites.server.on('/big-declared', (_req, res) => res.writeHead(200, { 'content-length': '5000' }).end(Buffer.alloc(5_000, 0x61)));
    const { client } = makeClient({ maxBodyBytes: 1_000 });
    const error = await rejection(client.get(sites.server.url('/big-declared'), GET));
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(error).toMatchObject({ what: 'body', limitBytes: 1_000 });
    expect(sites.server.hits('/big-declared')).toBe(1);
  });

  it('refuses a chunked body that grows over maxBodyBytes', async () => {
    sites.server.on('/big-chunked', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 10; i++) res.write(Buffer.alloc(500, 0x61));
      res.end();
    });
    const { client } = makeClient({ maxBodyBytes: 1_000 });
    const error = await rejection(client.get(sites.server.url('/big-chunked'), GET));
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(error).toMatchObject({ what: 'body', limitBytes: 1_000 });
  });

  it('refuses a gzip body that inflates beyond maxDecodedBytes', async () => {
    const bomb = gzipSync(Buffer.alloc(2_000_000));
    expect(bomb.length).toBeLessThan(10_000);
    sites.server.on('/gzip-bomb', (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb));
    const { client } = makeClient({ maxDecodedBytes: 100_000 });
    const error = await rejection(client.get(sites.server.url('/gzip-bomb'), GET));
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(error).toMatchObject({ what: 'decompressed body', limitBytes: 100_000 });
  });

  it('decodes gzip, br, deflate (zlib and raw) bodies', async () => {
    const text = 'Ça tourne — après le générique ✓ '.repeat(50);
    const encoded: Record<string, Buffer> = {
      gzip: gzipSync(text),
      br: brotliCompressSync(text),
      deflate: deflateSync(text),
      'deflate-raw': deflateRawSync(text),
    };
    for (const [name, body] of Object.entries(encoded)) {
      sites.server.on(`/enc-${name}`, (req, res) => {
        expect(req.headers['accept-encoding']).toContain(name.replace('-raw', ''));
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-encoding': name.replace('-raw', '') }).end(body);
      });
      const { client } = makeClient();
      const response = await client.get(sites.server.url(`/enc-${name}`), GET);
      expect(response.body, name).toBe(text);
      expect(response.bytes, name).toBe(body.length);
    }
  });

  it('decodes a charset declared in Content-Type (windows-1252, ISO-8859-1)', async () => {
    // “Hi” café €: 0x93 and 0x94 are curly quotes and 0x80 the euro sign in windows-1252, which is what
    // browsers (and WHATWG TextDecoder) use for a body labelled ISO-8859-1.
    const bytes = Buffer.from([0x93, 0x48, 0x69, 0x94, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x20, 0x80]);
    for (const charset of ['windows-1252', 'ISO-8859-1']) {
      sites.server.on(`/cs-${charset}`, (_req, res) => res.writeHead(200, { 'content-type': `text/plain; charset=${charset}` }).end(bytes));
      const { client } = makeClient();
      const response = await client.get(sites.server.url(`/cs-${charset}`), GET);
      expect(response.body, charset).toBe('“Hi” café €');
    }
  });

  it('decodes a charset declared in <meta> when Content-Type has none', async () => {
    const pages = {
      '/meta-charset': '<html><head><meta charset="ISO-8859-1"><title>Pulp</title></head><body>Caf\xe9 \xab 92% \xbb</body></html>',
      '/meta-http-equiv':
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>Caf\xe9 \xab 92% \xbb</body></html>',
    };
    for (const [path, html] of Object.entries(pages)) {
      sites.server.on(path, (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(Buffer.from(html, 'latin1')));
      const { client } = makeClient();
      const response = await client.get(sites.server.url(path), GET);
      expect(response.body, path).toContain('Café « 92% »');
    }
  });

  it('turns invalid UTF-8 into U+FFFD without throwing', async () => {
    sites.server.on('/bad-utf8', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.concat([Buffer.from('{"t":"a'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('b"}')])),
    );
    const { client } = makeClient();
    const response = await client.get(sites.server.url('/bad-utf8'), GET);
    expect(response.body).toMatch(/^\{"t":"a\uFFFD+b"\}$/);
  });

  it('answers a 304 to a conditional request with an empty body', async () => {
    sites.server.on('/conditional', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"' && req.headers['if-modified-since'] === 'Wed, 21 Oct 2015 07:28:00 GMT') {
        res.writeHead(304, { etag: '"v1"' }).end();
      } else res.writeHead(200, { etag: '"v1"' }).end('full');
    });
    const { client } = makeClient();
    const response = await client.get(sites.server.url('/conditional'), {
      ...GET,
      conditional: { etag: '"v1"', lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' },
    });
    expect(response).toMatchObject({ status: 304, body: '', bytes: 0, from: 'network' });
    expect(response.headers.etag).toBe('"v1"');
  });

  it('identifies itself with the configured User-Agent', async () => {
    let userAgent: string | undefined;
    sites.server.on('/ua', (req, res) => {
      userAgent = req.headers['user-agent'];
      res.end('ok');
    });
    const { client } = makeClient();
    await client.get(sites.server.url('/ua'), GET);
    expect(userAgent).toBe('stingerdb-test/1.0 (+https://example.test/stingerdb)');
  });
});

describe('redirects', () => {
  it('refuses a redirect to a foreign host without contacting it', async () => {
    for (const location of [`${sites.foreign.origin}/`, 'http://example.test/']) {
      sites.server.on('/to-foreign', (_req, res) => res.writeHead(302, { location }).end());
      const { client } = makeClient();
      const error = await rejection(client.get(sites.server.url('/to-foreign'), GET));
      expect(error, location).toBeInstanceOf(RedirectError);
      expect((error as RedirectError).location).toBe(location);
      expect((error as RedirectError).reason).toMatch(/not among test's hosts/);
    }
    expect(sites.foreign.totalHits()).toBe(0);
    expect(sites.server.hits('/to-foreign')).toBe(2);
  });

  it('refuses a request to a host the source does not list', async () => {
    const { client, events } = makeClient();
    const error = await rejection(client.get(`${sites.foreign.origin}/`, GET));
    expect(error).toBeInstanceOf(RedirectError);
    expect(sites.foreign.totalHits()).toBe(0);
    expect(events).toEqual([expect.objectContaining({ type: 'failure', error })]);
  });

  it('follows a redirect to another path of the same host', async () => {
    sites.server.on('/old', (_req, res) => res.writeHead(301, { location: '/new?x=1' }).end());
    sites.server.on('/new', (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('moved here'));
    const { client } = makeClient();
    const response = await client.get(sites.server.url('/old'), GET);
    expect(response).toMatchObject({ status: 200, body: 'moved here', url: sites.server.url('/new?x=1') });
  });

  it('refuses a redirect loop', async () => {
    sites.server.on('/loop-a', (_req, res) => res.writeHead(302, { location: '/loop-b' }).end());
    sites.server.on('/loop-b', (_req, res) => res.writeHead(302, { location: '/loop-a' }).end());
    const { client } = makeClient();
    const error = await rejection(client.get(sites.server.url('/loop-a'), GET));
    expect(error).toBeInstanceOf(RedirectError);
    expect((error as RedirectError).reason).toBe('redirect loop');
    expect(sites.server.hits('/loop-a')).toBe(1);
    expect(sites.server.hits('/loop-b')).toBe(1);
  });

  it('refuses a redirect to itself, however the start URL was spelled', async () => {
    sites.server.on('/self', (_req, res) => res.writeHead(302, { location: '/self' }).end());
    const { client } = makeClient();
    // The caller spelled the scheme in capitals: the loop must be seen all the same.
    const error = await rejection(client.get(sites.server.url('/self').replace('http://', 'HTTP://'), GET));
    expect(error).toBeInstanceOf(RedirectError);
    expect((error as RedirectError).reason).toBe('redirect loop');
    expect(sites.server.hits('/self')).toBe(1);
  });

  it('stops after maxRedirects', async () => {
    for (let i = 0; i < 5; i++) sites.server.on(`/hop-${i}`, (_req, res) => res.writeHead(307, { location: `/hop-${i + 1}` }).end());
    const { client } = makeClient({ maxRedirects: 2 });
    const error = await rejection(client.get(sites.server.url('/hop-0'), GET));
    expect(error).toBeInstanceOf(RedirectError);
    expect((error as RedirectError).reason).toBe('more than 2 redirects');
    expect(sites.server.hits('/hop-3')).toBe(0);
  });

  it('refuses a redirect from https down to http', async () => {
    // No TLS loopback here: a mock origin stands for the https host and redirects to the plain-http sites.server.
    const mock = new MockAgent();
    mock.disableNetConnect();
    // The loopback stays reachable, so a client that followed the downgrade would succeed and fail the test.
    mock.enableNetConnect(`127.0.0.1:${sites.server.port}`);
    mock
      .get('https://127.0.0.1')
      .intercept({ path: '/secure', method: 'GET' })
      .reply(302, '', { headers: { location: sites.server.url('/plain') } });
    sites.server.on('/plain', (_req, res) => res.end('downgraded'));
    const { client } = makeClient({ dispatcher: mock });
    const error = await rejection(client.get('https://127.0.0.1/secure', GET));
    expect(error).toBeInstanceOf(RedirectError);
    expect((error as RedirectError).reason).toMatch(/https to http/);
    expect(sites.server.hits('/plain')).toBe(0);
    await mock.close();
  });
});

describe('keys never leak', () => {
  const SECRET = 'SECRET123456';
  registerSecret(SECRET);

  it('keeps a registered key out of errors, URLs and events', async () => {
    // Each handler echoes the request URL (with the key) wherever a careless client might repeat it.
    sites.server.on('/k-error', (req, res) => res.writeHead(500, { 'content-type': 'text/plain', 'x-echo': req.url ?? '' }).end(`bad request ${req.url}`));
    sites.server.on('/k-ok', (req, res) => res.writeHead(200, { 'x-echo': req.url ?? '', 'content-location': req.url ?? '' }).end('ok'));
    sites.server.on('/k-redirect', (_req, res) => res.writeHead(302, { location: `/k-ok?api_key=${SECRET}&from=redirect` }).end());
    sites.server.on('/k-cut', (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    sites.server.on('/k-stall', () => undefined);
    sites.server.on('/k-429', (_req, res) => res.writeHead(429, { 'retry-after': '99999' }).end(`limit for ${SECRET}`));

    const { client, events } = makeClient({ retry: { attempts: 2 }, timeouts: { headersMs: 150 } });
    const q = `?api_key=${SECRET}&x=1`;
    const outcomes: unknown[] = [];
    for (const path of ['/k-error', '/k-cut', '/k-stall', '/k-429']) {
      outcomes.push(await rejection(client.get(sites.server.url(path + q), GET)));
    }
    outcomes.push(await client.get(sites.server.url(`/k-ok${q}`), GET));
    outcomes.push(await client.get(sites.server.url(`/k-redirect${q}`), GET));

    expect(outcomes.map((o) => o?.constructor.name)).toEqual([
      'HttpError',
      'NetworkError',
      'TimeoutError',
      'RateLimitedError',
      'Object',
      'Object',
    ]);
    const texts = outcomes.flatMap((o) => {
      if (o instanceof Error) return [o.message, String(o.stack), JSON.stringify(o), String((o.cause as Error | undefined)?.message)];
      return [JSON.stringify(o)];
    });
    texts.push(JSON.stringify(events), ...events.flatMap((e) => (e.type === 'failure' ? [e.error.message] : [])));
    for (const text of texts) expect(text).not.toContain(SECRET);
    expect((outcomes[0] as HttpError).url).toBe(sites.server.url('/k-error?x=1'));
    expect((outcomes[4] as { url: string }).url).toBe(sites.server.url('/k-ok?x=1'));
    expect((outcomes[5] as { url: string }).url).toBe(sites.server.url('/k-ok?from=redirect'));
  });

  it('masks an unregistered key echoed in an error body', async () => {
    sites.server.on('/k-echo', (req, res) => res.writeHead(400).end(`{"error":"invalid request GET ${req.url}"}`));
    const { client } = makeClient();
    const error = (await rejection(client.get(sites.server.url('/k-echo?apikey=UNREGISTERED77&i=tt1'), GET))) as HttpError;
    expect(error.url).toBe(sites.server.url('/k-echo?i=tt1'));
    expect(error.message).not.toContain('UNREGISTERED77');
    expect(error.body).not.toContain('UNREGISTERED77');
    expect(error.body).toContain('i=tt1');
  });

  it('removes a key without re-encoding the rest of the URL', async () => {
    sites.server.on('/k-encoding', (_req, res) => res.end('ok'));
    const { client } = makeClient();
    const withKey = await client.get(sites.server.url(`/k-encoding?append_to_response=credits,keywords&api_key=${SECRET}&t=The%20Heat`), GET);
    const withoutKey = await client.get(sites.server.url('/k-encoding?append_to_response=credits,keywords&t=The%20Heat'), GET);
    // A stored URL must be the same whatever the key (or none).
    expect(withKey.url).toBe(withoutKey.url);
    expect(withKey.url).toBe(sites.server.url('/k-encoding?append_to_response=credits,keywords&t=The%20Heat'));
  });
});

describe('per-host limits', () => {
  it('runs requests to one host one at a time, at least minIntervalMs apart (real clock)', async () => {
    const spans: { start: number; end: number }[] = [];
    sites.server.on('/polite', (_req, res) => {
      const span = { start: performance.now(), end: 0 };
      spans.push(span);
      setTimeout(() => {
        span.end = performance.now();
        res.end('ok');
      }, 20);
    });
    const client = new HttpClient({ dispatcher: sites.agent, mode: 'live', userAgent: 'stingerdb-test/1.0' });
    client.configureHosts(['127.0.0.1'], { concurrency: 1, minIntervalMs: 50 });
    // Warm the connection, so that no request below pays a TCP connect the others do not.
    sites.server.on('/polite-warm', (_req, res) => res.end('ok'));
    await client.get(sites.server.url('/polite-warm'), GET);
    await Promise.all([client.get(sites.server.url('/polite'), GET), client.get(sites.server.url('/polite'), GET), client.get(sites.server.url('/polite'), GET)]);
    expect(spans).toHaveLength(3);
    for (let i = 1; i < spans.length; i++) {
      expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
      // A few ms of slack: the server sees a start later than the client made it, by a varying amount.
      expect(spans[i]!.start - spans[i - 1]!.start).toBeGreaterThanOrEqual(45);
    }
  });

  it('lets a declaration after first use set the concurrency', async () => {
    let inFlight = 0;
    let most = 0;
    sites.server.on('/late-config', (_req, res) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => {
        inFlight--;
        res.end('ok');
      }, 20);
    });
    const client = new HttpClient({ dispatcher: sites.agent, mode: 'live', userAgent: 'stingerdb-test/1.0' });
    await client.get(sites.server.url('/late-config'), GET);
    client.configureHosts(['127.0.0.1'], { concurrency: 1, minIntervalMs: 0 });
    most = 0;
    await Promise.all([1, 2, 3].map(() => client.get(sites.server.url('/late-config'), GET)));
    expect(most).toBe(1);
  });
});

describe('broken connections', () => {
  it('retries a socket closed mid-response (NetworkError), then succeeds', async () => {
    sites.server.on('/cut-once', (_req, res, hit) => {
      if (hit === 1) {
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
        setTimeout(() => res.socket?.destroy(), 10);
      } else res.end('whole');
    });
    const { client, events } = makeClient();
    const response = await client.get(sites.server.url('/cut-once'), GET);
    expect(response.body).toBe('whole');
    expect(sites.server.hits('/cut-once')).toBe(2);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ reason: 'network', attempt: 1 });
  });

  it('fails with a retryable NetworkError when every attempt is cut', async () => {
    sites.server.on('/cut-always', (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    sites.server.on('/cut-before-headers', (req) => req.socket.destroy());
    const { client } = makeClient({ retry: { attempts: 2 } });
    for (const path of ['/cut-always', '/cut-before-headers']) {
      const error = await rejection(client.get(sites.server.url(path), GET));
      expect(error, path).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).retryable).toBe(true);
      expect(sites.server.hits(path)).toBe(2);
    }
  });
});
