/**
 * Typed errors. Every error that can end a request, a parse or a write is one of these classes, carries the
 * context needed to act on it (source, method, URL with keys removed, status, what was missing, the path),
 * and says whether trying again can help. One decision point (the HTTP client's retry loop) reads `retryable`.
 */
import nodePath from 'node:path';

export abstract class StingerError extends Error {
  /** Whether repeating the same request later may succeed. */
  abstract readonly retryable: boolean;
  /** A short machine-readable class name, used in run summaries. */
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    // Messages quote what servers sent (a JSON parser's excerpt, a field): printed as they are, a control
    // or bidi character would rewrite a terminal line or a log.
    super(message.replace(UNPRINTABLE, escapeChar), options);
    this.name = new.target.name;
  }
}

// Controls other than newline and tab, C1 controls, bidi marks, embeddings, overrides and isolates, line and
// paragraph separators, zero-width characters and BOM.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g;

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A response with a status that is not a success, after retries where they apply. */
export class HttpError extends StingerError {
  readonly code: string = 'http';
  readonly retryable: boolean;
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    /** The start of the response body (bounded), so a source can read an API error out of it. */
    readonly body: string = '',
    readonly source?: string,
  ) {
    super(`${source ? `${source}: ` : ''}${method} ${url} answered HTTP ${status}`);
    this.retryable = status === 429 || (status >= 500 && status !== 501);
  }
}

/** HTTP 429 (or a documented rate-limit body). `retryAfterMs` is what the server asked for, if anything. */
export class RateLimitedError extends HttpError {
  override readonly code = 'rate-limited';
  constructor(method: string, url: string, readonly retryAfterMs: number | null, body = '', source?: string, status = 429) {
    super(method, url, status, body, source);
    this.message += retryAfterMs != null ? ` (Retry-After ${Math.round(retryAfterMs / 1000)} s)` : '';
  }
}

/** The connection failed or broke (DNS, refused, reset, TLS). */
export class NetworkError extends StingerError {
  readonly code = 'network';
  readonly retryable = true;
  constructor(readonly method: string, readonly url: string, readonly reason: string, options?: { cause?: unknown }) {
    super(`${method} ${url} failed: ${reason}`, options);
  }
}

/** A phase of the request took too long. `total` is the whole-request deadline. */
export class TimeoutError extends StingerError {
  readonly code = 'timeout';
  readonly retryable: boolean;
  constructor(
    readonly method: string,
    readonly url: string,
    readonly phase: 'connect' | 'headers' | 'body' | 'total',
    readonly timeoutMs: number,
  ) {
    super(`${method} ${url} timed out (${phase}, ${timeoutMs} ms)`);
    this.retryable = true;
  }
}

/** The body (compressed or decompressed) is larger than the client accepts. */
export class BodyTooLargeError extends StingerError {
  readonly code = 'body-too-large';
  readonly retryable = false;
  constructor(
    readonly method: string,
    readonly url: string,
    /** The limit in bytes; 0 when the dispatcher enforced its own (response headers). */
    readonly limitBytes: number,
    readonly what: 'body' | 'decompressed body' | 'headers' = 'body',
  ) {
    super(`${method} ${url}: ${what} ${limitBytes > 0 ? `exceeds ${limitBytes} bytes` : 'larger than the client accepts'}`);
  }
}

/** A redirect that the client refuses to follow (foreign host, scheme, loop, too many). */
export class RedirectError extends StingerError {
  readonly code = 'redirect-refused';
  readonly retryable = false;
  constructor(readonly method: string, readonly url: string, readonly location: string, readonly reason: string) {
    super(`${method} ${url}: redirect to ${location} refused (${reason})`);
  }
}

/** Replay mode: the corpus holds no response for this request. Never answered with anything invented. */
export class NotRecordedError extends StingerError {
  readonly code = 'not-recorded';
  readonly retryable = false;
  constructor(readonly method: string, readonly url: string) {
    super(`${method} ${url} is not recorded in the replay corpus`);
  }
}

/** A replay corpus whose index names files it cannot serve (outside its folder, missing): refused whole. */
export class ReplayCorpusError extends StingerError {
  readonly code = 'replay-corpus';
  readonly retryable = false;
  constructor(readonly dir: string, readonly problems: readonly string[]) {
    super(`replay corpus ${dir}: index.json names files that cannot be served — fix or remove these entries:\n${problems.slice(0, 20).join('\n')}${problems.length > 20 ? `\n- … and ${problems.length - 20} more` : ''}`);
  }
}

/** A source needs a credential that is not set. */
export class MissingKeyError extends StingerError {
  readonly code = 'missing-key';
  readonly retryable = false;
  constructor(readonly source: string, readonly envVar: string) {
    super(`${source}: skipped, ${envVar} is not set (export ${envVar}=<your key>, or run with --replay <dir>)`);
  }
}

/** The API answered with an error body (TMDB status_code, OMDb "Response":"False"…). */
export class SourceApiError extends StingerError {
  readonly code: string;
  readonly retryable: boolean;
  constructor(
    readonly source: string,
    readonly url: string,
    readonly status: number,
    /** The source's own error code, when it has one (TMDB 7, 34, 25…). */
    readonly apiCode: number | string | null,
    readonly apiMessage: string,
    kind: ApiErrorKind = 'invalid-request',
  ) {
    super(`${source}: ${url} answered an error (HTTP ${status}${apiCode != null ? `, code ${apiCode}` : ''}): ${apiMessage}`);
    this.code = `api-${kind}`;
    this.retryable = kind === 'rate-limited' || kind === 'server';
    this.kind = kind;
  }
  readonly kind: ApiErrorKind;
}
export type ApiErrorKind = 'auth' | 'not-found' | 'rate-limited' | 'invalid-request' | 'server';

/** The response is not what the parser was built for (HTML where JSON was expected, an empty body…). */
export class UnexpectedContentError extends StingerError {
  readonly code = 'unexpected-content';
  readonly retryable = false;
  constructor(readonly source: string, readonly url: string, readonly reason: string) {
    super(`${source}: ${url}: ${reason}`);
  }
}

/** The page no longer carries a value where any known markup generation had it. */
export class LayoutChangedError extends StingerError {
  readonly code = 'layout-changed';
  readonly retryable = false;
  constructor(
    readonly source: string,
    readonly url: string,
    /** Markup generations (or shapes) that were tried. */
    readonly tried: readonly string[],
    /** What none of them found. */
    readonly missing: string,
  ) {
    super(`${source}: ${url}: layout changed — no ${missing} found (tried: ${tried.join(', ') || 'none'})`);
  }
}

/** A lookup (search, find) answered but nothing in it is the film asked for. */
export class NoMatchError extends StingerError {
  readonly code = 'no-match';
  readonly retryable = false;
  constructor(readonly source: string, readonly url: string, readonly reason: string) {
    super(`${source}: ${url}: ${reason}`);
  }
}

/** A response is about another film than the one requested (fuzzy title lookups, wrong ids). */
export class IdentityMismatchError extends StingerError {
  readonly code = 'identity-mismatch';
  readonly retryable = false;
  constructor(readonly source: string, readonly url: string, readonly expected: string, readonly got: string) {
    super(`${source}: ${url} answered for ${got}, not for ${expected}: not used`);
  }
}

/** Data that fails the schema. `issues` is a list of `- path: message` lines. */
export class ValidationError extends StingerError {
  readonly code: string = 'validation';
  readonly retryable = false;
  constructor(readonly what: string, readonly issues: readonly string[]) {
    super(`${what} failed validation:\n${issues.join('\n')}`);
  }
}

/** Publishing refused: nothing was written, the previous snapshot stays. */
export class PublishRefusedError extends ValidationError {
  override readonly code = 'publish-refused';
}

/** Bad usage: an option, a variable or an input file that cannot be used as given (exit code 2). Nothing was done. */
export class UsageError extends StingerError {
  readonly code: string = 'usage';
  readonly retryable = false;
}

/**
 * A folder given for one role (the dataset snapshot, the observation store, the run state) is a file, or
 * holds something else. Refused before anything is read from the network or written, so nothing is touched.
 */
export class WrongFolderError extends UsageError {
  override readonly code = 'wrong-folder';
  constructor(
    readonly path: string,
    /** What the folder should be: "a stingerdb snapshot", "an observation store"… */
    readonly role: string,
    /** What it is instead. */
    readonly found: string,
    /** What to give instead. */
    readonly todo: string,
  ) {
    super(`${path} is not ${role} (${found}): nothing was touched. ${todo}`);
  }
}

/**
 * The published snapshot (`dataset/`) cannot be read: its manifest is missing, not JSON or not a
 * snapshot's. Publishing over it is refused — the quality gates would have nothing to compare with, and
 * the versions it issued would be forgotten.
 */
export class SnapshotUnreadableError extends StingerError {
  readonly code = 'snapshot-unreadable';
  readonly retryable = false;
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: the published snapshot cannot be read (${reason}); nothing was published. Restore it from git (${gitRestore(nodePath.dirname(file))}), or replace it anyway with --force-publish.`);
  }
}

/** The run state (`state.sqlite`) cannot be opened: not a database, or damaged. */
export class RunStateUnreadableError extends StingerError {
  readonly code = 'state-unreadable';
  readonly retryable = false;
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: the run state cannot be read (${reason}). Remove it (rm -f ${file} ${file}-wal ${file}-shm): the run state is a cache, the next run asks every source again.`);
  }
}

/** A folder as messages show it: relative to the working folder when inside it, with a trailing slash. */
export function shownFolder(dir: string): string {
  return `${nodePath.resolve(dir) === process.cwd() ? '.' : shownPath(dir)}/`;
}

/** The command that gets a damaged snapshot folder back (it is committed). */
export function gitRestore(dir: string): string {
  return `git checkout -- ${shownFolder(dir)}`;
}

/** A value parsed from a page is out of its range (a tomatometer of 140). */
export class OutOfRangeError extends StingerError {
  readonly code = 'out-of-range';
  readonly retryable = false;
  constructor(readonly source: string, readonly url: string, readonly field: string, readonly value: unknown) {
    super(`${source}: ${url}: ${field} = ${quoted(value)} is out of range: rejected`);
  }
}

/** What each file-system errno a person can act on means, and what to do about it. */
const FILE_SYSTEM_ERRNOS = {
  ENOSPC: { reason: 'disk full', advice: 'free some space and run again' },
  EDQUOT: { reason: 'disk quota exceeded', advice: 'free some space (or raise the quota) and run again' },
  EROFS: { reason: 'read-only file system', advice: 'make it writable (or point the option at a writable folder) and run again' },
  EACCES: { reason: 'permission denied', advice: 'give this user write access to it (or point the option at another folder) and run again' },
  EPERM: { reason: 'operation not permitted', advice: 'give this user write access to it (or point the option at another folder) and run again' },
  ENOTDIR: { reason: 'a part of the path is a file, not a folder', advice: 'move that file out of the way and run again' },
  EISDIR: { reason: 'a folder is where the file should be', advice: 'move that folder out of the way and run again' },
} as const;
export type FileSystemErrno = keyof typeof FILE_SYSTEM_ERRNOS;

/**
 * A file or folder could not be written: the disk is full, the folder read-only, the user not allowed…
 * Says which path, what was being done, what the failure left as it was, and what to do.
 */
export class FileSystemError extends StingerError {
  readonly code = 'file-system';
  readonly retryable = false;
  /** What to do about it ("free some space and run again"). */
  readonly advice: string;
  constructor(
    readonly path: string,
    /** What was being done: "writing", "creating the folder", "removing"… */
    readonly operation: string,
    readonly errno: FileSystemErrno,
    /** What the failure left as it was ("the previous file is kept"), when the caller knows. */
    readonly kept?: string,
    options?: { cause?: unknown },
  ) {
    const { reason, advice } = FILE_SYSTEM_ERRNOS[errno];
    super(`${shownPath(path)}: ${reason} (${errno}) while ${operation}${kept ? ` — ${kept}` : ''}; ${advice}`, options);
    this.advice = advice;
  }

  /** `error` as a `FileSystemError` about `file` when its errno is one of those a person can act on, else null. */
  static from(error: unknown, file: string, operation: string): FileSystemError | null {
    const errno = (error as NodeJS.ErrnoException | null)?.code;
    return errno !== undefined && Object.hasOwn(FILE_SYSTEM_ERRNOS, errno) ? new FileSystemError(file, operation, errno as FileSystemErrno, undefined, { cause: error }) : null;
  }

  /** The same failure, adding what it left as it was — told about another path (a temporary's target, say) when given. */
  retold(kept: string, about: { path: string; operation: string } = this): FileSystemError {
    return new FileSystemError(about.path, about.operation, this.errno, kept, { cause: this.cause });
  }
}

/** A line of an observation file that cannot be read, and why. */
export interface DamagedLine {
  file: string;
  /** 1-based. */
  line: number;
  reason: string;
  /** Further unreadable lines in the same file. */
  others: number;
}

/**
 * Observation files with lines that cannot be read (a file cut short by a full disk, a bad edit). Read as
 * fewer observations, they would publish fewer records: the run stops before collecting or building.
 * One line per file (its first unreadable line), then the way out.
 */
export class DamagedObservationsError extends StingerError {
  readonly code = 'damaged-observations';
  readonly retryable = false;
  constructor(
    readonly dir: string,
    /** The first unreadable line of each damaged file. */
    readonly damaged: readonly DamagedLine[],
  ) {
    super(
      [
        ...damaged.map((d) => `${shownPath(d.file)}:${d.line}: ${d.reason}${d.others ? ` (and ${d.others} more unreadable line${d.others > 1 ? 's' : ''})` : ''}`),
        `stopped before collecting or building: restore the committed copy (git checkout -- ${shownPath(dir)}/) or remove the file to start that source afresh`,
      ].join('\n'),
    );
  }
}

/** A path as messages show it: relative to the working folder when inside it (`observations/tmdb.jsonl`), else absolute. */
export function shownPath(file: string): string {
  const relative = nodePath.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !nodePath.isAbsolute(relative) ? relative : file;
}

/** A value as a message quotes it: JSON-escaped (controls and bidi characters included), at most `max` characters. */
export function quoted(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : describeValue(value);
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text).replace(UNPRINTABLE, escapeChar);
}

/** A short rendering of any value; a structure too deep to print is named, not printed. */
function describeValue(value: unknown): string {
  try {
    return String(JSON.stringify(value));
  } catch {
    return Array.isArray(value) ? '[array]' : typeof value === 'object' ? '{object}' : typeof value;
  }
}

/** Formats zod issues as `- path: message` lines. */
export function formatIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], limit = 20): string[] {
  const lines = issues.slice(0, limit).map((i) => `- ${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  if (issues.length > limit) lines.push(`- … and ${issues.length - limit} more`);
  return lines;
}

/** Another run holds a folder this run would write (its lock file beside it); nothing was done. */
export class LockedError extends StingerError {
  readonly code = 'locked';
  readonly retryable = true;
  constructor(
    readonly folder: string,
    readonly lockFile: string,
    /** The holder's pid and start; null when the lock file cannot be read. */
    readonly pid: number | null,
    readonly startedAt: string | null,
    /** The holder's host when it is not this one (its liveness cannot be checked from here). */
    readonly host: string | null,
  ) {
    super(
      pid === null
        ? `${lockFile} is not a lock file this pipeline can read: remove it if no stingerdb run is using ${folder}`
        : `another run (pid ${pid}${host ? ` on ${host}` : ''}, started ${startedAt}) holds ${folder}: wait for it to end, or remove ${lockFile} if no stingerdb run is going on${host ? ' there' : ''}`,
    );
  }
}

/**
 * A run told to stop (SIGTERM, SIGINT, SIGHUP, its parent process gone) before it finished: nothing was
 * published, and what it had received is kept for the next run.
 */
export class RunStoppedError extends StingerError {
  readonly code = 'stopped';
  readonly retryable = true;
  constructor(
    /** The signal that stopped it (SIGHUP also when its parent process ended). */
    readonly signal: NodeJS.Signals,
    /** Why, as the message says it: "by SIGTERM", "because its parent process (pid 812) ended". */
    why: string,
    /** What was kept: "dataset/ still 1.20261127.0, nothing published; 312 answers kept in the run journal". */
    kept: string,
  ) {
    super(`stopped ${why}: ${kept} — run the same command again to resume`);
  }
}

/** An error no typed class describes (a bug, or a case nobody foresaw); kept with its cause for the report. */
export class InternalError extends StingerError {
  readonly code = 'internal';
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A typed error as it is, anything else wrapped in `InternalError` (so a run summary can count it). */
export function toStingerError(error: unknown): StingerError {
  if (error instanceof StingerError) return error;
  if (error instanceof Error) return new InternalError(`${error.name}: ${error.message}`, { cause: error });
  return new InternalError(String(error));
}

/** A request not made because its source was halted earlier in the run. */
export class HaltedError extends StingerError {
  readonly code = 'halted';
  readonly retryable = false;
  constructor(readonly source: string, reason: string) {
    super(`${source}: not requested, source halted (${reason})`);
  }
}

/** robots.txt of the host disallows this URL for us. */
export class RobotsDisallowedError extends StingerError {
  readonly code = 'robots-disallowed';
  readonly retryable = false;
  constructor(readonly source: string, readonly url: string) {
    super(`${source}: ${url} is disallowed by the host's robots.txt: not fetched`);
  }
}

/** Why a run is told to stop: the reason `RunOptions.signal` is aborted with. */
export class StopRequest extends Error {
  constructor(
    readonly signal: NodeJS.Signals,
    /** How the stop line says it: "by SIGTERM", "because its parent process (pid 812) ended". */
    readonly why: string = `by ${signal}`,
  ) {
    super(`stop requested ${why}`);
  }
}
