/**
 * The one seam to the network. Every request of every source goes through `HttpClient.get`, built on an
 * undici `Dispatcher`: an `Agent` for live runs, the replay dispatcher (`./replay.ts`) for runs over a
 * recorded corpus, an `Agent` pointed at a loopback server in tests. No scraper imports undici.
 *
 * What it guarantees, whatever the server does:
 * - an identifying User-Agent; connect, headers, body and whole-request deadlines;
 * - a maximum body size, before and after decompression (gzip, deflate, br);
 * - per-host concurrency and minimum interval (`HostLimiter`);
 * - retries with exponential backoff and full jitter on network errors, timeouts, 429 and 5xx, honouring
 *   `Retry-After` up to a cap (beyond it the request fails at once with `RateLimitedError`); no retry on
 *   other 4xx;
 * - redirects followed only to the source's allowed hosts, over http(s), at most `maxRedirects`;
 * - typed errors carrying method, URL (keys removed) and status; keys never appear in anything it returns,
 *   bodies included (a registered key a server echoes is replaced by `[redacted]`).
 */
import { request, type Dispatcher } from 'undici';
import zlib from 'node:zlib';
import {
  BodyTooLargeError,
  HttpError,
  NetworkError,
  NotRecordedError,
  RateLimitedError,
  RedirectError,
  StingerError,
  TimeoutError,
  UnexpectedContentError,
} from '../errors.ts';
import { HostLimiter, type HostLimits } from './limiter.ts';
import { redactText, redactUrl, scrubSecrets } from './redact.ts';

export interface Timeouts {
  /** Time from sending the request (connection setup included) to its response headers. */
  headersMs: number;
  /** Longest silence between two body chunks. */
  bodyMs: number;
  /** Deadline for the whole attempt, redirects and body included (defeats slow-drip bodies). */
  totalMs: number;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the request fails with `RateLimitedError`. */
  maxRetryAfterMs: number;
}

export interface ClientOptions {
  dispatcher: Dispatcher;
  /** `replay`: trust the replay dispatcher's metadata headers (capture date, recorded URL). */
  mode: 'live' | 'replay';
  userAgent: string;
  timeouts?: Partial<Timeouts>;
  retry?: Partial<RetryPolicy>;
  maxBodyBytes?: number;
  maxDecodedBytes?: number;
  maxRedirects?: number;
  limiter?: HostLimiter;
  /** Called for every attempt and outcome; the pipeline counts them per source. */
  onEvent?: (event: HttpEvent) => void;
  /** Time for deadlines, intervals and Retry-After (a real clock; tests may fake it). */
  now?: () => number;
  /** Time that live answers are dated with (default: `now`); a pinned clock here leaves timing alone. */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface GetOptions {
  /** The source asking, for errors and counts. */
  source: string;
  /** Hosts this request may be answered from (redirects elsewhere are refused). */
  allowedHosts: readonly string[];
  headers?: Record<string, string>;
  /** Validators of a stored copy: a 304 answer then costs no body and no parse. */
  conditional?: { etag?: string; lastModified?: string };
}

export interface HttpResponse {
  status: number;
  /** The URL that answered (after redirects; in replay, the recorded URL), keys removed. */
  url: string;
  /** Lower-case names; values with keys removed (a server may echo the request URL). */
  headers: Record<string, string>;
  /** Decoded text ('' for a 304). */
  body: string;
  /** Bytes received on the wire. */
  bytes: number;
  from: 'network' | 'replay';
  /** When the response was observed: now for the network, the capture date in replay. */
  observedAt: string;
  replay?: { file: string; match: 'exact' | 'variant' | 'alias' };
}

export type HttpEvent =
  | { type: 'attempt'; source: string; url: string; attempt: number }
  | { type: 'retry'; source: string; url: string; attempt: number; delayMs: number; reason: string }
  | { type: 'response'; source: string; url: string; status: number; from: 'network' | 'replay'; bytes: number; ms: number }
  | { type: 'failure'; source: string; url: string; error: StingerError };

export const DEFAULT_TIMEOUTS: Timeouts = { headersMs: 20_000, bodyMs: 20_000, totalMs: 60_000 };
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Response headers a replay dispatcher (`./replay.ts`) adds to say which recording answered; the client trusts
 * them in replay mode only, and strips them.
 */
export const REPLAY_HEADERS = {
  file: 'x-stingerdb-replay-file',
  url: 'x-stingerdb-replay-url',
  capturedAt: 'x-stingerdb-captured-at',
  match: 'x-stingerdb-replay-match',
} as const;
export const DEFAULT_MAX_DECODED_BYTES = 32 * 1024 * 1024;
const ERROR_BODY_BYTES = 64 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export class HttpClient {
  readonly mode: 'live' | 'replay';
  private readonly timeouts: Timeouts;
  private readonly retryPolicy: RetryPolicy;
  private readonly maxBodyBytes: number;
  private readonly maxDecodedBytes: number;
  private readonly maxRedirects: number;
  readonly limiter: HostLimiter;
  private readonly now: () => number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: ClientOptions) {
    this.mode = options.mode;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.retryPolicy = { ...DEFAULT_RETRY, ...options.retry };
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.maxDecodedBytes = options.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.now = options.now ?? Date.now;
    this.clock = options.clock ?? this.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.limiter = options.limiter ?? new HostLimiter({ concurrency: 4, minIntervalMs: 0 }, this.now, this.sleep);
  }

  /** Declares the politeness limits of a source's hosts. */
  configureHosts(hosts: readonly string[], limits: HostLimits): void {
    for (const host of hosts) this.limiter.configure(host, limits);
  }

  /** GET with retries. Resolves with a 2xx or 304 response; anything else rejects with a typed error. */
  async get(url: string, options: GetOptions): Promise<HttpResponse> {
    const shown = redactUrl(url);
    const host = safeHost(url);
    if (!host || !isAllowedHost(host, options.allowedHosts)) {
      const error = new RedirectError('GET', shown, shown, `host ${host ?? '(invalid URL)'} is not among ${options.source}'s hosts`);
      this.emit({ type: 'failure', source: options.source, url: shown, error });
      throw error;
    }
    const { attempts, baseDelayMs, maxDelayMs, maxRetryAfterMs } = this.retryPolicy;
    for (let attempt = 1; ; attempt++) {
      this.emit({ type: 'attempt', source: options.source, url: shown, attempt });
      try {
        return await this.limiter.run(host, () => this.attempt(url, options));
      } catch (error) {
        const typed = toTypedError(error, 'GET', shown, this.timeouts);
        if (!typed.retryable || attempt >= attempts) {
          this.emit({ type: 'failure', source: options.source, url: shown, error: typed });
          throw typed;
        }
        let delayMs = Math.round(this.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
        if (typed instanceof RateLimitedError && typed.retryAfterMs != null) {
          if (typed.retryAfterMs > maxRetryAfterMs) {
            this.emit({ type: 'failure', source: options.source, url: shown, error: typed });
            throw typed;
          }
          delayMs = Math.max(delayMs, typed.retryAfterMs);
        }
        this.emit({ type: 'retry', source: options.source, url: shown, attempt, delayMs, reason: typed.code });
        await this.sleep(delayMs);
      }
    }
  }

  private emit(event: HttpEvent): void {
    this.options.onEvent?.(event);
  }

  /** One attempt: the request, its redirects and its body, under the total deadline. */
  private async attempt(startUrl: string, options: GetOptions): Promise<HttpResponse> {
    const started = this.now();
    const { headersMs, bodyMs, totalMs } = this.timeouts;
    const deadline = AbortSignal.timeout(totalMs);
    let url = startUrl;
    // Normalised, so that a caller's spelling (upper-case scheme, default port) cannot hide a loop.
    const seen = new Set<string>([new URL(startUrl).toString()]);
    for (let redirects = 0; ; redirects++) {
      const shown = redactUrl(url);
      let response: Dispatcher.ResponseData;
      // undici runs its headers and body timeouts on a coarse (~1 s) timer; ours keep sub-second settings exact.
      const headersWait = new AbortController();
      const headersTimer = setTimeout(() => headersWait.abort(), headersMs);
      try {
        response = await request(url, {
          method: 'GET',
          dispatcher: this.options.dispatcher,
          headers: this.requestHeaders(options),
          headersTimeout: headersMs,
          bodyTimeout: bodyMs,
          signal: AbortSignal.any([deadline, headersWait.signal]),
        });
      } catch (error) {
        if (deadline.aborted) throw new TimeoutError('GET', shown, 'total', totalMs);
        if (headersWait.signal.aborted) throw new TimeoutError('GET', shown, 'headers', headersMs);
        throw toTypedError(error, 'GET', shown, this.timeouts);
      } finally {
        clearTimeout(headersTimer);
      }
      // An undici body destroyed before its end emits 'error'; unheard, that is an uncaught exception.
      response.body.on('error', () => undefined);
      const { statusCode: status } = response;
      const headers = flattenHeaders(response.headers);
      try {
        if (REDIRECT_STATUSES.has(status) && headers.location) {
          await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
          const next = this.redirectTarget(url, headers.location, options, redirects, seen);
          seen.add(next);
          url = next;
          continue;
        }
        if (status === 304) {
          await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
          return this.finish(url, status, headers, '', 0, started, options);
        }
        if (status < 200 || status >= 300) {
          const { buffer } = await readBody(response, ERROR_BODY_BYTES, bodyMs, 'GET', shown, { truncate: true });
          const body = redactText(decodeText(safeDecompress(buffer, headers['content-encoding'], this.maxDecodedBytes), headers['content-type']));
          if (status === 429) {
            throw new RateLimitedError('GET', shown, parseRetryAfter(headers['retry-after'], this.now()), body, options.source);
          }
          const retryAfterMs = status === 503 ? parseRetryAfter(headers['retry-after'], this.now()) : null;
          // A 503 with Retry-After is a rate limit in all but name.
          if (retryAfterMs != null) throw new RateLimitedError('GET', shown, retryAfterMs, body, options.source, status);
          throw new HttpError('GET', shown, status, body, options.source);
        }
        const { buffer, bytes } = await readBody(response, this.maxBodyBytes, bodyMs, 'GET', shown);
        const decoded = decompress(buffer, headers['content-encoding'], this.maxDecodedBytes, shown);
        const body = decodeText(decoded, headers['content-type']);
        return this.finish(url, status, headers, body, bytes, started, options);
      } catch (error) {
        response.body.destroy();
        const typed = toTypedError(error, 'GET', shown, this.timeouts);
        // An abort mid-body surfaces as a socket or abort error: report it as the deadline it was.
        if (deadline.aborted && (typed instanceof NetworkError || typed instanceof TimeoutError)) {
          throw new TimeoutError('GET', shown, 'total', totalMs);
        }
        throw typed;
      }
    }
  }

  private finish(
    url: string,
    status: number,
    headers: Record<string, string>,
    body: string,
    bytes: number,
    started: number,
    options: GetOptions,
  ): HttpResponse {
    const replayed = this.mode === 'replay' && headers[REPLAY_HEADERS.file] !== undefined;
    const result: HttpResponse = {
      status,
      url: redactUrl(replayed ? headers[REPLAY_HEADERS.url] ?? url : url),
      headers: Object.fromEntries(
        Object.entries(headers)
          .filter(([name]) => !name.startsWith('x-stingerdb-'))
          .map(([name, value]) => [name, redactText(value)]),
      ),
      // A server may echo the key it was sent into what it answers (a title, a message): never into a stored body or the dataset.
      body: scrubSecrets(body),
      bytes,
      from: replayed ? 'replay' : 'network',
      observedAt: replayed ? headers[REPLAY_HEADERS.capturedAt] ?? isoNow(this.clock()) : isoNow(this.clock()),
    };
    if (replayed) {
      const match = headers[REPLAY_HEADERS.match];
      result.replay = { file: headers[REPLAY_HEADERS.file] ?? '', match: match === 'variant' || match === 'alias' ? match : 'exact' };
    }
    this.emit({ type: 'response', source: options.source, url: result.url, status, from: result.from, bytes, ms: this.now() - started });
    return result;
  }

  private requestHeaders(options: GetOptions): Record<string, string> {
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: '*/*',
      'accept-encoding': 'gzip, deflate, br',
      'accept-language': 'en-US,en;q=0.8',
      ...lowerKeys(options.headers ?? {}),
    };
    if (options.conditional?.etag) headers['if-none-match'] = options.conditional.etag;
    if (options.conditional?.lastModified) headers['if-modified-since'] = options.conditional.lastModified;
    return headers;
  }

  private redirectTarget(from: string, location: string, options: GetOptions, redirects: number, seen: Set<string>): string {
    const shownFrom = redactUrl(from);
    let target: URL;
    try {
      target = new URL(location, from);
    } catch {
      throw new RedirectError('GET', shownFrom, redactText(location), 'invalid Location');
    }
    const shownTarget = redactUrl(target);
    if (redirects >= this.maxRedirects) throw new RedirectError('GET', shownFrom, shownTarget, `more than ${this.maxRedirects} redirects`);
    if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new RedirectError('GET', shownFrom, shownTarget, `scheme ${target.protocol}`);
    // Request headers (a source's Authorization, say) must not go out in clear because a server said so.
    if (new URL(from).protocol === 'https:' && target.protocol === 'http:') {
      throw new RedirectError('GET', shownFrom, shownTarget, 'from https to http');
    }
    if (!isAllowedHost(target.hostname, options.allowedHosts)) {
      throw new RedirectError('GET', shownFrom, shownTarget, `host ${target.hostname} is not among ${options.source}'s hosts`);
    }
    if (seen.has(target.toString())) throw new RedirectError('GET', shownFrom, shownTarget, 'redirect loop');
    return target.toString();
  }
}

function isoNow(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function safeHost(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

/** Exact host names only: a source that lists `www.imdb.com` is not answered from `imdb.com.evil.test`. */
export function isAllowedHost(host: string, allowed: readonly string[]): boolean {
  return allowed.includes(host.toLowerCase());
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(name.toLowerCase() === 'set-cookie' ? '\n' : ', ') : String(value);
  }
  return out;
}

/** `Retry-After` as ms from now: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), 10 ** 9) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

async function readBody(
  response: Dispatcher.ResponseData,
  limit: number,
  idleMs: number,
  method: string,
  url: string,
  { truncate = false } = {},
): Promise<{ buffer: Buffer; bytes: number }> {
  const declared = Number(response.headers['content-length']);
  if (!truncate && Number.isFinite(declared) && declared > limit) {
    throw new BodyTooLargeError(method, url, limit);
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  let idle = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idle = true;
      response.body.destroy();
    }, idleMs);
  };
  arm();
  try {
    for await (const chunk of response.body) {
      arm();
      const buf = chunk as Buffer;
      bytes += buf.length;
      if (bytes > limit) {
        if (truncate) {
          chunks.push(buf.subarray(0, buf.length - (bytes - limit)));
          response.body.destroy();
          break;
        }
        response.body.destroy();
        throw new BodyTooLargeError(method, url, limit);
      }
      chunks.push(buf);
    }
  } catch (error) {
    if (idle) throw new TimeoutError(method, url, 'body', idleMs);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { buffer: Buffer.concat(chunks), bytes };
}

/** Undoes Content-Encoding, refusing to inflate beyond `maxBytes` (decompression bombs). */
export function decompress(buffer: Buffer, encoding: string | undefined, maxBytes: number, url: string): Buffer {
  // An empty body (a 204, say) is not a corrupt stream, whatever its Content-Encoding says.
  if (!encoding || buffer.length === 0) return buffer;
  let out = buffer;
  const codings = encoding
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c !== 'identity')
    .reverse();
  for (const coding of codings) {
    const options = { maxOutputLength: maxBytes };
    try {
      if (coding === 'gzip' || coding === 'x-gzip') out = zlib.gunzipSync(out, options);
      else if (coding === 'br') out = zlib.brotliDecompressSync(out, options);
      else if (coding === 'deflate') {
        try {
          out = zlib.inflateSync(out, options);
        } catch (error) {
          if (isTooLarge(error)) throw error;
          out = zlib.inflateRawSync(out, options);
        }
      } else throw new UnexpectedContentError('http', url, `unsupported Content-Encoding "${coding}"`);
    } catch (error) {
      if (error instanceof StingerError) throw error;
      if (isTooLarge(error)) throw new BodyTooLargeError('GET', url, maxBytes, 'decompressed body');
      throw new UnexpectedContentError('http', url, `corrupt ${coding} body (${(error as Error).message})`);
    }
  }
  return out;
}

function safeDecompress(buffer: Buffer, encoding: string | undefined, maxBytes: number): Buffer {
  try {
    return decompress(buffer, encoding, maxBytes, '');
  } catch {
    return buffer;
  }
}

function isTooLarge(error: unknown): boolean {
  return error instanceof RangeError || (error as NodeJS.ErrnoException)?.code === 'ERR_BUFFER_TOO_LARGE';
}

/**
 * Bytes to text: BOM first, then the Content-Type charset, then a `<meta charset>` in the first 2 KB
 * (Rotten Tomatoes 2008 pages are ISO-8859-1), else UTF-8. Invalid sequences become U+FFFD, never a crash.
 */
export function decodeText(buffer: Buffer, contentType: string | undefined): string {
  let charset: string | undefined;
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) charset = 'utf-8';
  else if (buffer[0] === 0xff && buffer[1] === 0xfe) charset = 'utf-16le';
  else if (buffer[0] === 0xfe && buffer[1] === 0xff) charset = 'utf-16be';
  charset ??= /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  if (!charset && /html|xml/i.test(contentType ?? 'text/html')) {
    const head = buffer.subarray(0, 2048).toString('latin1');
    charset = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1];
  }
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8', { fatal: false, ignoreBOM: false });
  } catch {
    decoder = new TextDecoder('utf-8', { fatal: false });
  }
  // Node 20's TextDecoder decodes windows-1252 (and the labels mapped onto it: ISO-8859-1, latin1, ascii) as
  // plain Latin-1, so curly quotes, dashes and € in 0x80-0x9F come out as C1 control characters.
  if (decoder.encoding === 'windows-1252') return decodeWindows1252(buffer);
  return decoder.decode(buffer);
}

/** What windows-1252 puts at 0x80-0x9F (five unassigned bytes map to the C1 control of the same value, as WHATWG says). */
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(buffer: Buffer): string {
  return buffer.toString('latin1').replace(/[\x80-\x9f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/** Maps undici and system errors onto the typed errors; typed errors pass through. */
export function toTypedError(error: unknown, method: string, url: string, timeouts: Partial<Timeouts> = {}): StingerError {
  if (error instanceof StingerError) return error;
  const e = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code ?? '';
  switch (code) {
    case 'UND_MOCK_ERR_MOCK_NOT_MATCHED':
      return new NotRecordedError(method, url);
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new TimeoutError(method, url, 'connect', 0);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new TimeoutError(method, url, 'headers', timeouts.headersMs ?? 0);
    case 'UND_ERR_BODY_TIMEOUT':
      return new TimeoutError(method, url, 'body', timeouts.bodyMs ?? 0);
    case 'UND_ERR_HEADERS_OVERFLOW':
      return new BodyTooLargeError(method, url, 0, 'headers');
    case 'UND_ERR_RES_EXCEEDED_MAX_SIZE':
      return new BodyTooLargeError(method, url, 0);
  }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return new TimeoutError(method, url, 'total', timeouts.totalMs ?? 0);
  return new NetworkError(method, url, redactText(`${code || e?.name || 'error'}${e?.message ? `: ${e.message}` : ''}`), { cause: error });
}
