/**
 * Scheduled refresh against a loopback server whose answers change between runs: only due work is done,
 * conditional requests cost no parse, a changed layout trips the quality gate and leaves the previous
 * snapshot, and a run killed with SIGKILL resumes without repeating a completed fetch, ending with the same
 * dataset as an uninterrupted run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDue } from '../../src/pipeline/due.ts';
import type { RunOptions } from '../../src/pipeline/run.ts';
import { formatSummary } from '../../src/pipeline/summary.ts';
import { REPO_ROOT } from '../helpers/corpus.ts';
import { dirs, HOUR, KEY, runAgainstMirror, startMirror, T0, TMDB_FILES, WATCHLIST, type Mirror } from '../helpers/tmdb-mirror.ts';

describe('refresh against a server whose answers change', () => {
  let mirror: Mirror;
  let d: ReturnType<typeof dirs>;
  const run = (at: number, extra: Partial<RunOptions> = {}) => runAgainstMirror(mirror, d, at, extra);

  beforeAll(async () => {
    mirror = await startMirror();
    d = dirs('refresh');
  });
  afterAll(async () => {
    await mirror.server.close();
    rmSync(d.root, { recursive: true, force: true });
  });

  it('the first run asks for everything and publishes', async () => {
    const report = await run(T0);
    const tmdb = report.collect!.stats.find((s) => s.source === 'tmdb')!;
    expect(tmdb.network).toBeGreaterThanOrEqual(10);
    expect(tmdb.failures).toBe(0);
    expect(report.publish).toMatchObject({ changed: true, version: '2.20261127.0' });
    const fightClub = (JSON.parse(readFileSync(path.join(d.outDir, 'records', 'movies.json'), 'utf8')) as { id: string; scores: { tmdb: { observedAt: string } } }[]).find((m) => m.id === 'tt0137523')!;
    expect(fightClub.scores.tmdb.observedAt).toBe('2026-11-27T03:17:00Z');
  });

  it('a second run with nothing due makes no requests and publishes no new version', async () => {
    const before = mirror.requests.length;
    const report = await run(T0 + HOUR);
    expect(mirror.requests.length).toBe(before);
    expect(report.collect!.stats.find((s) => s.source === 'tmdb')!.fresh).toBe(WATCHLIST.length);
    expect(report.publish).toMatchObject({ changed: false, version: '2.20261127.0' });
  });

  it('once due, an unchanged resource answers 304 (no parse) and a changed ETag is fetched and parsed', async () => {
    const details = JSON.parse(mirror.bodies.get('/3/movie/550')!) as { vote_average: number; vote_count: number };
    mirror.bodies.set('/3/movie/550', JSON.stringify({ ...details, vote_average: 8.5, vote_count: details.vote_count + 1000 }));
    const notModifiedBefore = mirror.notModified;
    // Scores are due daily: two days later every film is asked again, with its validators.
    const report = await run(T0 + 48 * HOUR);
    const tmdb = report.collect!.stats.find((s) => s.source === 'tmdb')!;
    // Five films' details are unchanged (304, and no follow-ups); Fight Club's changed details are parsed and
    // their follow-ups, its four unchanged sub-resources, answer 304 too.
    expect(mirror.notModified - notModifiedBefore).toBe(WATCHLIST.length - 1 + 4);
    expect(tmdb.notModified).toBe(WATCHLIST.length - 1 + 4);
    expect(tmdb.parsed).toBe(1); // only Fight Club's details came back with a body
    expect(report.publish).toMatchObject({ changed: true, version: '2.20261129.0' });
    const movies = JSON.parse(readFileSync(path.join(d.outDir, 'records', 'movies.json'), 'utf8')) as { id: string; scores: { tmdb: { voteAverage: number; observedAt: string } } }[];
    expect(movies.find((m) => m.id === 'tt0137523')!.scores.tmdb).toMatchObject({ voteAverage: 8.5, observedAt: '2026-11-29T03:17:00Z' });
    // An unchanged film keeps the date its values were first seen.
    expect(movies.find((m) => m.id === 'tt0133093')!.scores.tmdb.observedAt).toBe('2026-11-27T03:17:00Z');
  });

  it('a source that starts answering in a changed layout trips the gate; the previous snapshot stays', async () => {
    const manifestBefore = readFileSync(path.join(d.outDir, 'manifest.json'), 'utf8');
    const moviesBefore = readFileSync(path.join(d.outDir, 'records', 'movies.json'));
    const observationsBefore = readFileSync(path.join(d.observationsDir, 'tmdb.jsonl'), 'utf8');
    for (const route of Object.keys(TMDB_FILES)) {
      mirror.bodies.set(route, JSON.stringify({ data: { type: 'movie', attributes: JSON.parse(mirror.bodies.get(route)!) } }));
    }
    const report = await run(T0 + 96 * HOUR);
    expect(report.refused?.join('\n')).toMatch(/tmdb/);
    expect(report.publish).toBeUndefined();
    expect(readFileSync(path.join(d.outDir, 'manifest.json'), 'utf8')).toBe(manifestBefore);
    expect(readFileSync(path.join(d.outDir, 'records', 'movies.json')).equals(moviesBefore)).toBe(true);
    // Nothing the source said before is lost.
    expect(readFileSync(path.join(d.observationsDir, 'tmdb.jsonl'), 'utf8')).toBe(observationsBefore);
    // A person who has read the report may publish anyway: the data is unchanged, so no new version.
    const forced = await run(T0 + 97 * HOUR, { force: true, forcePublish: true });
    expect(forced.overridden?.length).toBeGreaterThan(0);
    expect(forced.publish?.changed).toBe(false);
  });
});

describe('a run whose clock was set ahead', () => {
  let mirror: Mirror;
  let d: ReturnType<typeof dirs>;
  const run = (at: number) => runAgainstMirror(mirror, d, at);
  beforeAll(async () => {
    mirror = await startMirror();
    d = dirs('future-clock');
  });
  afterAll(async () => {
    await mirror.server.close();
    rmSync(d.root, { recursive: true, force: true });
  });

  it('does not freeze refresh: its checks and observations count as never made, and the report says so', async () => {
    const FUTURE = Date.parse('2099-01-01T00:00:00Z');
    await run(FUTURE);
    const before = mirror.requests.length;
    const report = await run(T0);
    // Every film is asked again with the real clock, although the 2099 run "checked" them all.
    expect(mirror.requests.length - before).toBeGreaterThanOrEqual(WATCHLIST.length);
    expect(report.collect!.stats.find((s) => s.source === 'tmdb')!.fresh).toBe(0);
    // Its check of each film, and of TMDB's change feed.
    expect(report.collect!.futureDated.checks).toBe(WATCHLIST.length + 1);
    expect(report.collect!.futureDated.observations).toBeGreaterThan(0);
    expect(formatSummary(report)).toMatch(/clock: 7 checks and \d+ observations were dated after this run's clock \(2026-11-27T03:17:00Z\): treated as never made/);
    // What the sources said is dated when it was seen with a clock that is right, not in 2099.
    const movies = JSON.parse(readFileSync(path.join(d.outDir, 'records', 'movies.json'), 'utf8')) as { id: string; scores: { tmdb?: { observedAt: string } } }[];
    expect(movies.find((m) => m.id === 'tt0137523')!.scores.tmdb!.observedAt).toBe('2026-11-27T03:17:00Z');
    expect(readFileSync(path.join(d.observationsDir, 'tmdb.jsonl'), 'utf8')).not.toContain('2099');
    // And the run after it is back to normal: nothing due an hour later.
    const later = await run(T0 + HOUR);
    expect(later.collect!.stats.find((s) => s.source === 'tmdb')!.fresh).toBe(WATCHLIST.length);
    expect(later.collect!.futureDated).toEqual({ checks: 0, observations: 0 });
  });
});

describe('a nightly run that starts a few minutes earlier than yesterday', () => {
  it('still finds daily data due (a TTL counts as elapsed a quarter early, at most 6 h)', () => {
    const film = { id: 'tt0137523', ids: { imdb: 'tt0137523' } };
    const source = { refresh: { default: 1 } };
    const attempt = { source: 'tmdb', film: film.id, checkedAt: '2026-11-27T03:17:40Z', outcome: 'ok' as const, failures: 0, error: null };
    const observations = [{ kind: 'score', observedAt: '2026-11-01' }] as never[];
    const at = (iso: string) => isDue({ source, film, observations, attempt, now: new Date(iso) });
    expect(at('2026-11-28T03:17:05Z')).toMatchObject({ due: true, reason: 'stale' });
    expect(at('2026-11-27T21:17:40Z')).toMatchObject({ due: true, reason: 'stale' });
    expect(at('2026-11-27T21:00:00Z')).toMatchObject({ due: false, reason: 'fresh' });
    // A weekly TTL is due 6 hours early at most.
    const weekly = { refresh: { default: 7 } };
    expect(isDue({ source: weekly, film, observations, attempt, now: new Date('2026-12-03T21:17:40Z') })).toMatchObject({ due: true });
    expect(isDue({ source: weekly, film, observations, attempt, now: new Date('2026-12-03T21:00:00Z') })).toMatchObject({ due: false });
    // A check dated in the future (beyond 5 minutes of skew) is ignored; one within the skew counts.
    const ahead = { ...attempt, checkedAt: '2026-11-28T03:30:00Z' };
    expect(isDue({ source, film, observations: [], attempt: ahead, now: new Date('2026-11-28T03:20:00Z') })).toMatchObject({ due: true, reason: 'new', ignoredFuture: { attempt: true, observations: 0 } });
    expect(isDue({ source, film, observations: [], attempt: ahead, now: new Date('2026-11-28T03:26:00Z') })).toMatchObject({ due: false, reason: 'nothing-to-ask' });
  });
});

describe('a run killed with SIGKILL', () => {
  let mirror: Mirror;
  const child = (config: object) =>
    spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'tests/fixtures/pipeline-child.ts'), JSON.stringify(config)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const finish = (proc: ReturnType<typeof child>) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
      let stdout = '';
      let stderr = '';
      proc.stdout!.on('data', (c) => (stdout += c));
      proc.stderr!.on('data', (c) => (stderr += c));
      proc.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  const configOf = (d: ReturnType<typeof dirs>) => ({
    ...d,
    routes: { 'https://api.themoviedb.org': mirror.server.origin },
    now: '2026-11-27T03:17:00Z',
    env: { TMDB_API_KEY: KEY },
    only: ['tmdb'],
  });

  beforeAll(async () => {
    mirror = await startMirror();
    mirror.delayMs = 60;
  });
  afterAll(() => mirror.server.close());

  it('resumes without repeating a completed fetch and ends with the dataset of an uninterrupted run', async () => {
    const whole = dirs('whole');
    const killed = dirs('killed');
    try {
      const uninterrupted = await finish(child(configOf(whole)));
      expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
      const fetchesOfWholeRun = mirror.requests.length;

      // Kill the second run once a few answers have gone out.
      mirror.requests = [];
      const proc = child(configOf(killed));
      const killedRun = finish(proc);
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (mirror.requests.length >= 6) {
            clearInterval(timer);
            proc.kill('SIGKILL');
            resolve();
          }
        }, 5);
      });
      expect((await killedRun).signal).toBe('SIGKILL');
      const db = new Database(path.join(killed.stateDir, 'state.sqlite'), { readonly: true });
      const journaled = (db.prepare('SELECT url FROM journal').all() as { url: string }[]).map((r) => new URL(r.url).pathname);
      db.close();
      expect(journaled.length).toBeGreaterThan(0);

      mirror.requests = [];
      const resumed = await finish(child(configOf(killed)));
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(JSON.parse(resumed.stdout).resumed).toBe(journaled.length);
      const refetched = mirror.requests.map((u) => new URL(u, 'http://x').pathname);
      for (const pathname of journaled) expect(refetched, `${pathname} was fetched again`).not.toContain(pathname);
      expect(refetched.length + journaled.length).toBeLessThanOrEqual(fetchesOfWholeRun);

      for (const name of ['records/movies.json', 'movies.answers.json', 'manifest.json', 'sqlite/movies.sqlite']) {
        expect(readFileSync(path.join(killed.outDir, name)).equals(readFileSync(path.join(whole.outDir, name))), name).toBe(true);
      }
      expect(readFileSync(path.join(killed.observationsDir, 'tmdb.jsonl'), 'utf8')).toBe(readFileSync(path.join(whole.observationsDir, 'tmdb.jsonl'), 'utf8'));
    } finally {
      rmSync(whole.root, { recursive: true, force: true });
      rmSync(killed.root, { recursive: true, force: true });
    }
  }, 60_000);
});

// The child process imports TypeScript through tsx; fail early with a clear message if it cannot start.
it('the child pipeline process starts', () => {
  const probe = spawnSync(process.execPath, ['--import', 'tsx', '-e', 'process.exit(0)'], { cwd: REPO_ROOT });
  expect(probe.status).toBe(0);
});
