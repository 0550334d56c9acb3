/**
 * The command line as a user meets it, run as a child process from a fresh working folder: `status` after a
 * replayed run finds the replay state (not "none recorded"), says which state it read and how to read the
 * other, prints JSON with `--json` and one date format in its text; `--version`; the project's own one-line
 * messages for unknown options and for options npm kept for itself; `--help` naming every key.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunState } from '../../src/pipeline/state.ts';
import { statusDay, statusMoment } from '../../src/pipeline/status.ts';
import { CORPUS_DIR, REPO_ROOT } from '../helpers/corpus.ts';

const TSX = path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs');
const WATCHLIST = path.join(REPO_ROOT, 'watchlist.json');

let cwd: string;

/** The command line run from `cwd`, outside npm unless `env` says otherwise. */
function cli(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_')));
  const result = spawnSync(process.execPath, ['--import', TSX, path.join(REPO_ROOT, 'src/cli.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...clean, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const status = (...args: string[]) => cli(['status', '--watchlist', WATCHLIST, ...args]);

/** Sets when a state folder was last written (seconds since 1970), for both its database and its WAL file. */
function writtenAt(dir: string, seconds: number) {
  for (const name of ['state.sqlite', 'state.sqlite-wal']) {
    const file = path.join(dir, name);
    if (existsSync(file)) utimesSync(file, seconds, seconds);
  }
}

beforeAll(() => {
  cwd = mkdtempSync(path.join(tmpdir(), 'stingerdb-cli-'));
});

afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('status', () => {
  it('before any run: says no run state is there, in either default folder', () => {
    const result = status();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`last run: none recorded — no run state yet in ${path.join('.stingerdb', 'live')} or ${path.join('.stingerdb', 'replay')}`);
  });

  it('after a replayed run (the Quick start): reads .stingerdb/replay, says so, and prints JSON with --json', () => {
    const run = cli(['collect', '--replay', CORPUS_DIR, '--only', 'metacritic,omdb', '--watchlist', WATCHLIST, '--quiet'], { STINGERDB_NOW: '2026-11-27T03:17:45Z' });
    expect(run.stderr).not.toMatch(/unexpected error/);
    expect(run.status).toBe(0);
    const text = status();
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^last run: \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(replay\) — state in \.stingerdb\/replay, the most recently written$/m);
    expect(text.stdout).not.toContain('none recorded');

    const json = status('--json');
    expect(json.status).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      state: { dir: string; chosen: string; lastRun: { mode: string; finishedAt: string } | null };
      observations: { count: number };
      sources: { source: string; films: number; newestObservation: string | null }[];
    };
    expect(parsed.state).toMatchObject({ dir: path.join(cwd, '.stingerdb', 'replay'), chosen: 'newest', lastRun: { mode: 'replay' } });
    expect(parsed.observations.count).toBeGreaterThan(0);
    expect(parsed.sources.map((s) => s.source)).toContain('metacritic');
  });

  it('with both states: reads the more recently written, names the other with --state; --state picks one', () => {
    const live = path.join(cwd, '.stingerdb', 'live');
    const replay = path.join(cwd, '.stingerdb', 'replay');
    const state = RunState.open(live);
    const id = state.startRun('2026-11-20T08:00:00Z', 'live');
    state.commitRun(id, '2026-11-20T08:05:00Z', [], {});
    state.close();

    writtenAt(replay, 1_800_000_000);
    writtenAt(live, 1_800_000_100);
    expect(status().stdout).toContain('last run: 2026-11-20 08:05 UTC (live) — state in .stingerdb/live, the most recently written (the other: --state .stingerdb/replay)');

    writtenAt(live, 1_700_000_000);
    expect(status().stdout).toMatch(/last run: .* \(replay\) — state in \.stingerdb\/replay, the most recently written \(the other: --state \.stingerdb\/live\)/);

    const chosen = status('--state', '.stingerdb/live');
    expect(chosen.stdout).toContain('last run: 2026-11-20 08:05 UTC (live) — state in .stingerdb/live\n');
    expect(JSON.parse(status('--state', '.stingerdb/live', '--json').stdout).state).toMatchObject({ chosen: 'given', lastRun: { mode: 'live', finishedAt: '2026-11-20T08:05:00Z' } });
  });

  it('shows every date in one format, a UTC day (unknown parts of a month- or year-only date as ??)', () => {
    const text = status().stdout;
    const table = text.split('\n').slice(text.split('\n').findIndex((line) => line.startsWith('source')) + 1);
    const dates = table.filter((line) => /^\w+\s+\d/.test(line)).map((line) => line.trim().split(/\s+/).at(-1)!);
    expect(dates.length).toBeGreaterThan(0);
    for (const date of dates) expect(date).toMatch(/^(\d{4}-(\d{2}|\?\?)-(\d{2}|\?\?)|-)$/);
    expect(text).not.toMatch(/T\d{2}:\d{2}/);
    expect(dates).toContain('2026-05-??');
    expect(text).toContain('?? where the source gives only the month or year');
    expect([statusDay('2026'), statusDay('2026-05'), statusDay('2026-05-03'), statusDay('2026-02-13T00:29:32Z'), statusDay('2026-02-13T23:30:00-02:00')]).toEqual([
      '2026-??-??',
      '2026-05-??',
      '2026-05-03',
      '2026-02-13',
      '2026-02-14',
    ]);
    expect(statusMoment('2026-02-13T00:29:32Z')).toBe('2026-02-13 00:29 UTC');
  });
});

describe('--version', () => {
  it('prints the pipeline version, and the dataset version when a snapshot is there', () => {
    const pipeline = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const none = cli(['--version']);
    expect(none.status).toBe(0);
    expect(none.stdout).toBe(`stingerdb pipeline ${pipeline}\ndataset none published in dataset\n`);
    const withSnapshot = cli(['--version', '--out', path.join(REPO_ROOT, 'dataset')]);
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'dataset', 'manifest.json'), 'utf8')) as { version: string; counts: { movies: number } };
    expect(withSnapshot.stdout).toMatch(new RegExp(`^stingerdb pipeline ${pipeline.replace(/\./g, '\\.')}\\ndataset ${manifest.version.replace(/\./g, '\\.')} \\(${manifest.counts.movies} films, `));
  });
});

describe('usage errors: one line of the project’s own, with the advice that fits how it was run', () => {
  it('an unknown option names it and how to list the options, under npm and outside it', () => {
    const outside = cli(['--bogus']);
    expect(outside.status).toBe(2);
    expect(outside.stderr).toBe('unknown option --bogus: node --import tsx src/cli.ts --help lists the options\n');
    const underNpm = cli(['run', '--bogus'], { npm_lifecycle_event: 'pipeline' });
    expect(underNpm.stderr).toBe('unknown option --bogus: npm run pipeline -- --help lists the options\n');
    expect(cli(['--replay'], { npm_lifecycle_event: 'pipeline' }).stderr).toBe('--replay needs a value, as in npm run pipeline -- --replay <value>\n');
  });

  it('an option npm kept for itself (written without --) is named, with the command that passes it', () => {
    // `npm run pipeline --replay ../shared/corpus`: npm takes --replay, sets npm_config_replay, passes the folder on.
    const replay = cli(['run', '../shared/corpus'], { npm_lifecycle_event: 'pipeline', npm_config_replay: 'true' });
    expect(replay.status).toBe(2);
    expect(replay.stderr).toBe('npm took --replay for itself: put the options after --, as in npm run pipeline -- --replay ../shared/corpus\n');
    // `npm run status --json`: npm takes --json, and status would print text.
    const json = cli(['status'], { npm_lifecycle_event: 'status', npm_config_json: 'true' });
    expect(json.status).toBe(2);
    expect(json.stderr).toBe('npm took --json for itself: put the options after --, as in npm run status -- --json\n');
    expect(json.stdout).toBe('');
    // Under another script (the test suite), npm's settings are not the command line's.
    expect(cli(['--version'], { npm_lifecycle_event: 'test', npm_config_json: 'true' }).status).toBe(0);
  });
});

describe('--help', () => {
  it('names both API keys and --version, and says options go after -- under npm', () => {
    const help = cli(['--help']).stdout;
    expect(help).toMatch(/^ {2}TMDB_API_KEY /m);
    expect(help).toMatch(/^ {2}OMDB_API_KEY /m);
    expect(help).toMatch(/^ {2}-v, --version /m);
    expect(help).toContain('npm run status -- --json');
  });

  it('every option --help lists is in the README’s option table, --concurrency included', () => {
    const help = cli(['--help']).stdout;
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| option | what it does |'), readme.indexOf('\n\n', readme.indexOf('| option | what it does |')));
    const options = [...help.slice(help.indexOf('Options:'), help.indexOf('\n\n', help.indexOf('Options:'))).matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!);
    expect(options).toContain('--concurrency');
    for (const option of options.filter((o) => o !== '--help')) expect(table, option).toContain(`\`${option}`);
  });
});
