/**
 * API keys never leave the process: with fake keys set, no file written anywhere (the run's folders, and
 * every file of the repository, tracked, untracked or ignored, but node_modules), no log line, no summary and
 * no error message contains them — raw or URL-encoded. Once over the replayed corpus (the whole pipeline), and
 * once live against a loopback that sends them back every way a server can: in error bodies, headers, a
 * redirect's Location, and inside the data itself (a synopsis quoting the request, a title that is the key).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline, type RunReport } from '../../src/pipeline/run.ts';
import { formatMarkdownSummary, formatSummary } from '../../src/pipeline/summary.ts';
import { CORPUS_DIR, REPO_ROOT, corpusText } from '../helpers/corpus.ts';
import { runDirs, startLiveSites, type LiveSites, type RunDirs } from '../helpers/live-run.ts';

/** Keys no file can hold by chance: each run of the suite makes its own. */
const fakeKey = (name: string) => `FAKEKEY${name}${randomBytes(9).toString('hex')}`;

function forms(key: string): string[] {
  return [...new Set([key, encodeURIComponent(key), Buffer.from(key).toString('base64')])];
}

/** Every file under a folder (recursively). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** The repository's files: tracked, untracked and ignored, but not node_modules (git only reads here). */
function repositoryFiles(): string[] {
  const list = (args: string[]) => execFileSync('git', ['ls-files', '-z', ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).split('\0').filter(Boolean);
  const files = new Set([...list(['--cached', '--others', '--exclude-standard']), ...list(['--others', '--ignored', '--exclude-standard'])]);
  return [...files].filter((f) => !f.startsWith('node_modules/') && !f.includes('/node_modules/')).map((f) => path.join(REPO_ROOT, f));
}

/** Files (and texts) that contain one of the keys, in any of its forms. */
function leaks(keys: readonly string[], files: readonly string[], texts: Record<string, string>): string[] {
  const found: string[] = [];
  const needles = keys.flatMap(forms);
  for (const file of files) {
    if (!existsSync(file) || !statSync(file).isFile() || statSync(file).size > 256 * 1024 * 1024) continue;
    const bytes = readFileSync(file);
    for (const needle of needles) if (bytes.includes(needle)) found.push(`${path.relative(REPO_ROOT, file)} contains ${needle.slice(0, 12)}…`);
  }
  for (const [name, text] of Object.entries(texts)) for (const needle of needles) if (text.includes(needle)) found.push(`${name} contains ${needle.slice(0, 12)}…`);
  return found;
}

function reportTexts(report: RunReport, logs: readonly string[]): Record<string, string> {
  return {
    logs: logs.join('\n'),
    summary: formatSummary(report, { problemsPerSource: 1_000 }),
    'markdown summary': formatMarkdownSummary(report),
    report: JSON.stringify(report),
  };
}

describe('API keys, replayed corpus', () => {
  const keys = { TMDB_API_KEY: fakeKey('TMDB'), OMDB_API_KEY: fakeKey('OMDB') };
  let dirs: RunDirs;
  afterAll(() => rmSync(dirs.root, { recursive: true, force: true }));

  it('appear in no file written under the run folders or the repository, no log line, summary or error', async () => {
    dirs = runDirs('secrets-replay', []);
    const logs: string[] = [];
    const report = await runPipeline({
      steps: { collect: true, build: true },
      replay: CORPUS_DIR,
      watchlist: path.join(REPO_ROOT, 'watchlist.json'),
      observationsDir: dirs.observationsDir,
      outDir: dirs.outDir,
      stateDir: dirs.stateDir,
      env: keys,
      log: (line) => logs.push(line),
      date: new Date('2026-11-27T00:00:00Z'),
    });
    expect(report.publish?.changed).toBe(true);
    const written = filesUnder(dirs.root);
    expect(written.length).toBeGreaterThan(5);
    const repository = repositoryFiles();
    expect(repository.length).toBeGreaterThan(50);
    expect(leaks(Object.values(keys), [...written, ...repository], reportTexts(report, logs))).toEqual([]);
  }, 120_000);
});

describe('API keys, live against a server that sends them back', () => {
  const keys = { TMDB_API_KEY: fakeKey('TMDB'), OMDB_API_KEY: fakeKey('OMDB') };
  // A v4 read token goes in the Authorization header: a JWT-shaped fake.
  const bearer = `eyJ${fakeKey('BEARER')}`;
  const FILMS = [{ imdb: 'tt0137523', tmdb: 550, title: 'Fight Club', year: 1999 }, { imdb: 'tt0770828', title: 'Man of Steel', year: 2013 }];
  let sites: LiveSites;
  const runs: { dirs: RunDirs; report: RunReport }[] = [];

  beforeAll(async () => {
    sites = await startLiveSites();
    const echo = (req: IncomingMessage) => `${req.url} ${req.headers.authorization ?? ''}`;
    const details = JSON.parse(corpusText('tmdb/fight-club-550__movie-details__jdrouet-2024.json')) as Record<string, unknown>;
    sites.server
      .on('/3/movie/550', (req, res) => {
        const body = { ...details, overview: `You asked for ${echo(req)}`, tagline: echo(req), original_title: new URL(req.url!, 'http://x').searchParams.get('api_key') ?? req.headers.authorization };
        res.writeHead(200, { 'content-type': 'application/json', 'x-request': echo(req), 'content-location': req.url! }).end(JSON.stringify(body));
      })
      .on('/3/movie/550/credits', (req, res) =>
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': echo(req) }).end(JSON.stringify({ status_code: 7, status_message: `Invalid API key: ${echo(req)}`, success: false })),
      )
      .on('/3/movie/550/keywords', (req, res) => res.writeHead(302, { location: `/3/movie/550/keywords-moved${new URL(req.url!, 'http://x').search}` }).end())
      .on('/3/movie/550/keywords-moved', (req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`internal error while serving ${echo(req)}`))
      .on('/3/movie/550/external_ids', (req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(`{"id":550,"imdb_id":"tt0137523","broken": ${JSON.stringify(echo(req))}`))
      .on('/', (req, res) => {
        const key = new URL(req.url!, 'http://x').searchParams.get('apikey');
        const record = JSON.parse(corpusText('omdb/man-of-steel-2013-tt0770828__by-id__subliminal-2026.json')) as Record<string, unknown>;
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': `k=${key}` }).end(JSON.stringify({ ...record, Title: key, Plot: `requested ${req.url}`, Director: `${key}, Zack Snyder` }));
      });
    for (const [name, tmdbKey] of [
      ['secrets-live-v3', keys.TMDB_API_KEY],
      ['secrets-live-v4', bearer],
    ] as const) {
      const dirs = runDirs(name, FILMS);
      // The feeds and other sources answer 404: this run is about the keyed APIs.
      const report = await sites.run(dirs, { env: { TMDB_API_KEY: tmdbKey, OMDB_API_KEY: keys.OMDB_API_KEY }, forcePublish: true, date: new Date('2026-11-27T00:00:00Z') });
      runs.push({ dirs, report });
    }
  }, 60_000);

  afterAll(async () => {
    await sites.close();
    for (const { dirs } of runs) rmSync(dirs.root, { recursive: true, force: true });
  });

  it('the keys were sent, and sent back (the test is not vacuous)', () => {
    expect(sites.server.hits('/3/movie/550')).toBe(2);
    expect(sites.server.hits('/')).toBeGreaterThanOrEqual(2);
    const [v3, v4] = runs;
    expect(v3!.report.collect!.stats.find((s) => s.source === 'tmdb')!.observations).toBeGreaterThan(0);
    expect(v4!.report.collect!.stats.find((s) => s.source === 'tmdb')!.observations).toBeGreaterThan(0);
    expect(v3!.report.collect!.stats.find((s) => s.source === 'omdb')!.observations).toBeGreaterThan(0);
    expect(v3!.report.collect!.stats.find((s) => s.source === 'tmdb')!.errors).toMatchObject({ 'api-auth': 1 });
  });

  it('appear in no file written, no log line, summary, report or error message', () => {
    const files = runs.flatMap(({ dirs }) => filesUnder(dirs.root));
    expect(files.some((f) => f.endsWith('movies.json'))).toBe(true);
    expect(files.some((f) => f.endsWith('tmdb.jsonl'))).toBe(true);
    const texts = Object.assign({}, ...runs.map(({ report }, i) => Object.fromEntries(Object.entries(reportTexts(report, sites.logs)).map(([k, v]) => [`run ${i + 1} ${k}`, v]))));
    expect(leaks([...Object.values(keys), bearer], [...files, ...repositoryFiles()], texts)).toEqual([]);
    // What the server echoed is still there, with the key taken out.
    const movies = JSON.parse(readFileSync(path.join(runs[0]!.dirs.outDir, 'records', 'movies.json'), 'utf8')) as { id: string; synopsis?: string }[];
    expect(movies.find((m) => m.id === 'tt0137523')?.synopsis).toMatch(/^You asked for \/3\/movie\/550\?.*\[redacted\]/);
  });
});
